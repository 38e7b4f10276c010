/**
 * Builds the live layer in one place: the Socket.IO server on the HTTP server, the snapshot
 * cache and the text feed (both shared with the REST reads, so REST and sockets never disagree),
 * and the LiveServer that handles `/live`. The LiveServer closes what it was given.
 */
import { createServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { type ClientToServerEvents, LIVE_NAMESPACE, type ServerToClientEvents } from '../../shared/events.js';
import type { ReadTokens } from '../auth/read-tokens.js';
import type { Metrics } from '../observability/metrics.js';
import { TextReleasePolicy } from '../privacy/text-release.js';
import type { ResponseStore } from '../store/response-store.js';
import { forEachAreaScope, scopedTextsRoom, textInScope } from './area-scopes.js';
import { type LiveClock, LiveServer, textsRoom } from './live-server.js';
import { SnapshotCache } from './snapshots.js';
import { TextFeed } from './text-feed.js';

export interface LiveParts {
  httpServer: HttpServer;
  store: ResponseStore;
  tokens: ReadTokens;
  metrics: Metrics;
  config: {
    statsIntervalMs: number;
    textLimit: number;
    publicStats: boolean;
    textDelayS: number;
    textModeration: boolean;
    minGroupSize: number;
    /** TIMEZONE: the calendar days comparisons with an earlier campaign count in. */
    timeZone: string;
  };
  isOriginAllowed: (origin: string | undefined, req: IncomingMessage) => boolean;
  log: { warn: (obj: object, msg: string) => void };
  /** Socket.IO adapter; the Redis one when several instances share a store. */
  adapter?: ServerOptions['adapter'];
  /** Time for expiry timers; tests pass a fake clock. */
  clock?: LiveClock;
  /**
   * False in an ingest-only process (ROLE=ingest): Socket.IO is not attached to the HTTP server,
   * so no widget connects here; its emits still reach the live processes through the adapter.
   */
  serveSockets?: boolean;
}

/** A batch of released texts is pushed by one instance: the claim on it lasts a day. */
const CLAIM_MS = 24 * 3_600_000;

/** The live layer's parts: the REST reads use the same snapshots and text feed as the sockets. */
export interface Live {
  live: LiveServer;
  snapshots: SnapshotCache;
  textFeed: TextFeed;
}

export function createLive({ httpServer, store, tokens, metrics, config, isOriginAllowed, log, adapter, clock, serveSockets = true }: LiveParts): Live {
  const options: Partial<ServerOptions> = {
    // Origins are checked in allowRequest: it also covers WebSocket upgrades, which CORS does not.
    allowRequest: (req, callback) => {
      const allowed = isOriginAllowed(req.headers.origin, req);
      callback(allowed ? null : 'origin not allowed', allowed);
    },
    cors: { origin: (origin, callback) => callback(null, origin ?? false), credentials: false },
    serveClient: false,
    // Snapshots are small and go to thousands of screens: compressing each frame per socket
    // costs CPU and a zlib context per connection (Socket.IO's advice for many clients).
    perMessageDeflate: false,
    ...(adapter ? { adapter } : {}),
  };
  // Not serving sockets, it is attached to an HTTP server that never listens: nothing connects,
  // and its emits go to the other processes through the adapter all the same.
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(serveSockets ? httpServer : createServer(), options);
  if (serveSockets) {
    // Once connected, nothing reads the HTTP request that opened the connection (origin and
    // token were checked on the way in); holding it kept its headers, parser state and buffers
    // alive for every widget (Socket.IO's "memory usage" advice).
    io.engine.on('connection', (rawSocket: { request: unknown }) => {
      rawSocket.request = null;
    });
  }
  const namespace = io.of(LIVE_NAMESPACE);
  const snapshots = new SnapshotCache(store, config.statsIntervalMs, { minGroupSize: config.minGroupSize, timeZone: config.timeZone });
  const textFeed = new TextFeed({
    store,
    snapshots,
    policy: new TextReleasePolicy(config.textDelayS * 1000),
    moderation: config.textModeration,
    minGroupSize: config.minGroupSize,
    textLimit: config.textLimit,
    publish: (text) => {
      namespace.to(textsRoom(text.surveyId)).emit('text:created', text);
      metrics.messagesPushed.inc({ event: 'text:created' });
      // Area-scoped feeds get the answers of their areas (area-scopes.ts).
      forEachAreaScope(
        store,
        text.surveyId,
        (areaIds) => {
          if (textInScope(text, areaIds)) namespace.to(scopedTextsRoom(text.surveyId, areaIds)).emit('text:created', text);
        },
        log,
      );
    },
    unpublish: (removed, text) => {
      namespace.to(textsRoom(removed.surveyId)).emit('text:removed', removed);
      metrics.messagesPushed.inc({ event: 'text:removed' });
      forEachAreaScope(
        store,
        removed.surveyId,
        (areaIds) => {
          if (!text.areaHidden && textInScope(text, areaIds)) namespace.to(scopedTextsRoom(removed.surveyId, areaIds)).emit('text:removed', removed);
        },
        log,
      );
    },
    claim: (key) => store.claimOnce(key, CLAIM_MS),
    log,
  });
  const { statsIntervalMs, textLimit, publicStats } = config;
  const live = new LiveServer({ io, store, tokens, metrics, snapshots, textFeed, statsIntervalMs, textLimit, publicStats, log, clock });
  return { live, snapshots, textFeed };
}
