/**
 * createApp wires the parts (config, store, logger, adapter) into one HTTP + Socket.IO server.
 * It takes its parts rather than building them, so tests and main.ts can pass their own.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { createAdapter } from '@socket.io/redis-adapter';
import compression from 'compression';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { type Logger, pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { AuditLog, auditContext } from './audit/audit-log.js';
import { AdminSessions } from './auth/admin-session.js';
import { ReadTokens } from './auth/read-tokens.js';
import type { Config } from './config.js';
import { adminRoutes } from './http/admin-routes.js';
import { auditRoutes } from './http/audit-routes.js';
import { DISTRIBUTION_PATH, distributionRoutes } from './http/distribution-routes.js';
import { createMetrics } from './http/metrics.js';
import { oidcRoutes } from './http/oidc-routes.js';
import { opsRoutes } from './http/ops-routes.js';
import { pageRoutes } from './http/pages.js';
import { HttpProblem, sendProblem } from './http/problem.js';
import { readRoutes } from './http/read-routes.js';
import { textRoutes } from './http/text-routes.js';
import { tokenRoutes } from './http/token-routes.js';
import { widgetAssets } from './http/widget-assets.js';
import { createPlatformRoutes } from './ingest/platforms/index.js';
import { ResponseIngest } from './ingest/response-ingest.js';
import { SignatureVerifier } from './ingest/signature.js';
import { createWebhookHandler, requestIdOf, WEBHOOK_PATH } from './ingest/webhook-handler.js';
import { LiveServer } from './live/live-server.js';
import { TextAdmin } from './privacy/text-admin.js';
import { TextReleasePolicy } from './privacy/text-release.js';
import { type ResponseStore, StoreUnavailableError } from './store/response-store.js';

export interface AppParts {
  config: Config;
  store: ResponseStore;
  logger?: Logger;
  /** The Socket.IO adapter for several instances (see live/redis-adapter.ts). */
  adapter?: ReturnType<typeof createAdapter>;
}

export interface App {
  httpServer: Server;
  live: LiveServer;
  ingest: ResponseIngest;
  tokens: ReadTokens;
  logger: Logger;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Graceful: stop accepting, finish in-flight webhooks, close sockets. The store stays open (its owner closes it). */
  close(): Promise<void>;
}

export function createApp({ config, store, logger = pino({ level: config.logLevel }), adapter }: AppParts): App {
  const metrics = createMetrics();
  const tokens = new ReadTokens(config.tokenSecret, store);
  const ingest = new ResponseIngest(store, { holdTexts: config.textModeration });
  let shuttingDown = false;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
    return work;
  };

  const isOriginAllowed = (origin: string | undefined, req: IncomingMessage) => {
    if (!origin) return true; // not a browser, or a same-origin navigation
    if (config.allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };

  const httpLogger = pinoHttp({
    logger,
    genReqId: requestIdOf,
    // Bodies and query strings may carry tokens or tenants' words: log method, path and status only.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
  });

  const handleWebhook = createWebhookHandler({
    ingest,
    verifier: new SignatureVerifier(config.webhookSecrets),
    maxBodyBytes: config.maxBodyBytes,
    metrics,
    track,
    log: logger,
  });
  // Raw node:http routes, ahead of Express: the native webhook and one per survey platform.
  const rawRoutes = new Map([[WEBHOOK_PATH, handleWebhook], ...createPlatformRoutes({ ...config, store, ingest, metrics, track, log: logger })]);

  const httpServer = createServer();
  const live = new LiveServer(httpServer, {
    store,
    tokens,
    metrics,
    statsIntervalMs: config.statsIntervalMs,
    textLimit: config.textLimit,
    publicStats: config.publicStats,
    isOriginAllowed,
    log: logger,
    adapter,
    privacy: { policy: new TextReleasePolicy(config.textDelayS * 1000), moderation: config.textModeration, minGroupSize: config.minGroupSize },
    claim: (key) => store.claimOnce(key, 24 * 3_600_000),
  });
  ingest.setListener(live);
  const textAdmin = new TextAdmin(store, live.textFeed, logger, config.textRetentionDays * 86_400_000);
  textAdmin.startSweeping();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(
    helmet({
      // Widgets on other origins load scripts and read stats cross-origin; CORS decides who may.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      // Intranets often run on plain http: HTTPS upgrades are the reverse proxy's decision, not ours.
      strictTransportSecurity: false,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  // The widget script, pages and JSON go out compressed (the entry is ~74 KB, ~24 KB gzipped).
  app.use(compression());
  app.use(opsRoutes(store, metrics, () => shuttingDown));
  // Admin sign-in with the organisation's accounts, when OIDC_* is set (auth/admin-session.ts).
  if (config.oidc) {
    const sessions = new AdminSessions(store, config.oidc.sessionTtlMs);
    app.use(sessions.middleware());
    app.use(oidcRoutes({ oidc: config.oidc, sessions, store, log: logger }));
  }

  const api = express.Router();
  api.use(cors({ origin: (origin, callback) => callback(null, !origin || config.allowedOrigins.includes(origin)), maxAge: 600 }));
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: 1200,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) =>
        next(new HttpProblem(429, 'too-many-requests', 'Too many requests from this address; slow down', { headers: { 'Retry-After': '60' } })),
    }),
  );
  api.use((req, _res, next) => {
    const type = req.headers['content-type'];
    const csvAllowed = DISTRIBUTION_PATH.test(req.path) && req.is('text/csv');
    if (type && ['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is('application/json') && !csvAllowed) {
      next(new HttpProblem(415, 'unsupported-media-type', `Content-Type must be application/json, not "${type}"`));
      return;
    }
    next();
  });
  api.use(express.json({ limit: config.maxBodyBytes }));
  const auditLog = new AuditLog(store, logger, config.auditRetentionDays * 86_400_000);
  api.use(auditContext(auditLog));
  api.use(readRoutes({ store, tokens, snapshots: live.snapshots, textFeed: live.textFeed, publicStats: config.publicStats, textLimit: config.textLimit }));
  api.use(adminRoutes({ store, ingest, tokens, adminToken: config.adminToken }));
  api.use(textRoutes({ store, texts: textAdmin, adminToken: config.adminToken, textLimit: config.textLimit }));
  api.use(distributionRoutes({ store, adminToken: config.adminToken, maxBodyBytes: config.maxBodyBytes }));
  api.use(tokenRoutes({ store, tokens, adminToken: config.adminToken }));
  api.use(auditRoutes({ auditLog, adminToken: config.adminToken }));
  app.use('/api/v1', api);

  app.use(widgetAssets({ isOriginAllowed }));
  app.use(pageRoutes({ config, tokens }));
  app.use((req, _res, next) => next(new HttpProblem(404, 'not-found', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler(logger));

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Socket.IO, attached first, answers its own path (HTTP long-polling); answering it here too
    // would send a 404 first and make engine.io throw "headers already sent".
    if (req.url?.startsWith(`${live.io.path()}/`)) return;
    // The path alone: a sender may add query parameters (tracking, tenant) to the URL it was given.
    const rawRoute = rawRoutes.get(req.url?.split('?', 1)[0] ?? '');
    if (rawRoute) {
      if (shuttingDown) {
        sendProblem(
          res,
          new HttpProblem(503, 'store-unavailable', 'This instance is shutting down; retry', { headers: { 'Retry-After': '1', Connection: 'close' } }),
        );
        return;
      }
      void rawRoute(req, res);
      return;
    }
    httpLogger(req, res);
    app(req, res);
  });

  return {
    httpServer,
    live,
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
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      await live.close();
      httpServer.closeAllConnections();
      await closed;
    },
  };
}

export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    let problem: HttpProblem;
    if (error instanceof HttpProblem) problem = error;
    else if (error instanceof StoreUnavailableError)
      problem = new HttpProblem(503, 'store-unavailable', 'The store is unreachable; retry later', { headers: { 'Retry-After': '5' } });
    else if (error?.type === 'entity.parse.failed') problem = new HttpProblem(400, 'malformed-json', `The body is not valid JSON: ${error.message}`);
    else if (error?.type === 'entity.too.large') problem = new HttpProblem(413, 'body-too-large', `The body is larger than ${error.limit} bytes`);
    else if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500)
      problem = new HttpProblem(error.status, 'invalid-body', error.message);
    else {
      logger.error({ err: error }, 'request failed');
      problem = new HttpProblem(500, 'internal-error');
    }
    sendProblem(res as ServerResponse, problem, req.originalUrl.split('?')[0]);
  };
