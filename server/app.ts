/**
 * createApp composes the parts (config, store, logger, adapter) into one HTTP + Socket.IO server.
 * It takes its parts rather than building them, so tests and main.ts can pass their own; each
 * named part is built in its own module: the live layer (live/create-live.ts), ingest, the raw
 * webhook routes (http/raw-routes.ts) and the Express API (http/api.ts).
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Logger, pino } from 'pino';
import { ReadTokens } from './auth/read-tokens.js';
import type { Config } from './config.js';
import { createHttpApi } from './http/api.js';
import { HttpProblem, sendProblem } from './http/problem.js';
import { createRawRoutes, type RawRouteHandler } from './http/raw-routes.js';
import { createRequestListener } from './http/request-listener.js';
import { WebhookGuard } from './http/webhook-guard.js';
import { ResponseIngest } from './ingest/response-ingest.js';
import { createLive, type LiveParts } from './live/create-live.js';
import type { LiveClock, LiveServer } from './live/live-server.js';
import type { SnapshotCache } from './live/snapshots.js';
import type { TextFeed } from './live/text-feed.js';
import { createMetrics } from './observability/metrics.js';
import { originCheck } from './origins.js';
import { TextAdmin } from './privacy/text-admin.js';
import type { ResponseStore } from './store/response-store.js';

export { errorHandler } from './http/error-handler.js';

export interface AppParts {
  config: Config;
  store: ResponseStore;
  logger?: Logger;
  /** The Socket.IO adapter for several instances (see live/redis-adapter.ts). */
  adapter?: LiveParts['adapter'];
  /** Time for live expiry timers; tests pass a fake clock. */
  clock?: LiveClock;
}

export interface App {
  httpServer: Server;
  live: LiveServer;
  snapshots: SnapshotCache;
  textFeed: TextFeed;
  ingest: ResponseIngest;
  tokens: ReadTokens;
  logger: Logger;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Graceful: stop accepting, finish in-flight webhooks, close sockets. The store stays open (its owner closes it). */
  close(): Promise<void>;
}

export function createApp({ config, store, logger = pino({ level: config.logLevel }), adapter, clock }: AppParts): App {
  const metrics = createMetrics();
  const tokens = new ReadTokens(config.tokenSecret, store);
  const isOriginAllowed = originCheck(config.allowedOrigins);
  const inFlight = new InFlight();
  let shuttingDown = false;
  const isShuttingDown = () => shuttingDown;

  const httpServer = createServer();
  // ROLE (config.ts): an ingest process serves no sockets, a live process no webhooks.
  const serveSockets = config.role !== 'ingest';
  const serveWebhooks = config.role !== 'live';
  const { live, snapshots, textFeed } = createLive({ httpServer, store, tokens, metrics, config, isOriginAllowed, log: logger, adapter, clock, serveSockets });
  const ingest = new ResponseIngest(store, {
    holdTexts: config.textModeration,
    textFilter: config.textFilter,
    listener: live,
    indexStep: config.minGroupSize,
    unmatchedDropped: (dropped) => {
      metrics.unmatchedDropped.inc(dropped);
      logger.warn({ dropped, limit: config.unmatchedLimit }, 'more unmatched responses than UNMATCHED_LIMIT: dropped the oldest');
    },
  });
  const textAdmin = new TextAdmin(store, textFeed, logger, config.textRetentionDays * 86_400_000);
  textAdmin.startSweeping();

  // Refused webhooks: limited per client address (TRUST_PROXY), summed into one log line a minute.
  const guard = new WebhookGuard({ trustProxy: config.trustProxy, log: logger, countRefusal: (outcome) => metrics.webhooks.inc({ outcome }) });
  const webhookRoutes = guard.wrap(createRawRoutes({ ...config, store, ingest, metrics, log: logger, track: (work) => inFlight.track(work), refusals: guard }));
  const rawRoutes = serveWebhooks ? webhookRoutes : new Map([...webhookRoutes.keys()].map((path) => [path, notHere(path)]));
  const api = createHttpApi({ config, store, ingest, tokens, snapshots, textFeed, textAdmin, metrics, logger, isOriginAllowed, isShuttingDown });
  // Websockets leave the HTTP server's own bookkeeping once upgraded (closeAllConnections does
  // not reach them): kept here so close() can cut those that outstay the grace period.
  const upgraded = new Set<Duplex>();
  httpServer.on('upgrade', (_req, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  const cutConnections = () => {
    httpServer.closeAllConnections();
    for (const socket of upgraded) socket.destroy();
  };
  httpServer.on('request', createRequestListener({ rawRoutes, api, socketPath: serveSockets ? live.io.path() : undefined, logger, isShuttingDown }));

  return {
    httpServer,
    live,
    snapshots,
    textFeed,
    ingest,
    tokens,
    logger,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    async close() {
      shuttingDown = true;
      textAdmin.stop();
      guard.close();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await inFlight.settled();
      // Socket.IO's close resolves once the HTTP server has, which waits for every connection: a
      // websocket whose client never answers the close frame is held for ws's 30 s. Widgets
      // reconnect anyway (to another instance), so after a short grace the rest are cut.
      const cut = setTimeout(cutConnections, CLOSE_GRACE_MS);
      try {
        await live.close();
      } finally {
        clearTimeout(cut);
      }
      cutConnections();
      await closed;
    },
  };
}

/** How long close() lets websockets finish their close handshake before cutting them. */
const CLOSE_GRACE_MS = 1000;

/** A webhook sent to a live-only process (ROLE=live): said plainly, so a misrouted proxy is found at once. */
const notHere =
  (path: string): RawRouteHandler =>
  async (req, res) => {
    req.resume();
    sendProblem(
      res,
      new HttpProblem(404, 'not-found', 'This process serves widgets only (ROLE=live); send webhooks to an ingest process (ROLE=ingest or all)'),
      path,
    );
  };

/** The webhooks being handled, so shutdown can wait for them. */
class InFlight {
  private readonly work = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    const done = () => this.work.delete(work);
    work.then(done, done);
    return work;
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.work]);
  }
}
