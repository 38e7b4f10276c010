/**
 * Everything served through Express: health and metrics, the /api/v1 routes (CORS, rate limit,
 * JSON only), widget assets and pages, then 404 and problem+json for every error. The webhooks
 * are not here: they run on plain node:http ahead of Express (raw-routes.ts).
 */
import compression from 'compression';
import cors from 'cors';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AuditLog, auditContext } from '../audit/audit-log.js';
import { AdminSessions } from '../auth/admin-session.js';
import type { ReadTokens } from '../auth/read-tokens.js';
import type { Config } from '../config.js';
import type { ResponseIngest } from '../ingest/response-ingest.js';
import type { SnapshotCache } from '../live/snapshots.js';
import type { TextFeed } from '../live/text-feed.js';
import type { Metrics } from '../observability/metrics.js';
import type { OriginCheck } from '../origins.js';
import type { TextAdmin } from '../privacy/text-admin.js';
import type { ResponseStore } from '../store/response-store.js';
import { adminRoutes } from './admin-routes.js';
import { auditRoutes } from './audit-routes.js';
import { backupRoutes } from './backup-routes.js';
import { DISTRIBUTION_PATH, distributionRoutes } from './distribution-routes.js';
import { errorHandler } from './error-handler.js';
import { eventRoutes } from './event-routes.js';
import { exportRoutes } from './export-routes.js';
import { HISTORY_PATH, historyRoutes } from './history-routes.js';
import { oidcRoutes } from './oidc-routes.js';
import { opsRoutes } from './ops-routes.js';
import { pageRoutes } from './pages.js';
import { HttpProblem } from './problem.js';
import { readAuthorizer, readRoutes, staffAuthorizer } from './read-routes.js';
import { textRoutes } from './text-routes.js';
import { tokenRoutes } from './token-routes.js';
import { trustFunction } from './webhook-guard.js';
import { widgetAssets } from './widget-assets.js';

export interface HttpApiParts {
  config: Config;
  store: ResponseStore;
  ingest: ResponseIngest;
  tokens: ReadTokens;
  snapshots: SnapshotCache;
  textFeed: TextFeed;
  textAdmin: TextAdmin;
  metrics: Metrics;
  logger: Logger;
  isOriginAllowed: OriginCheck;
  /** True once shutdown began: /readyz answers 503 so load balancers move on. */
  isShuttingDown: () => boolean;
}

export function createHttpApi(parts: HttpApiParts): Express {
  const { config, store, ingest, tokens, snapshots, textFeed, textAdmin, metrics, logger, isOriginAllowed } = parts;
  const app = express();
  app.disable('x-powered-by');
  // Only the proxies TRUST_PROXY names may set the client address (the rate limits' key).
  app.set('trust proxy', trustFunction(config.trustProxy));
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
  app.use(opsRoutes(store, metrics, parts.isShuttingDown));
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
    const csvAllowed = (DISTRIBUTION_PATH.test(req.path) || HISTORY_PATH.test(req.path)) && req.is('text/csv');
    if (type && ['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is('application/json') && !csvAllowed) {
      next(new HttpProblem(415, 'unsupported-media-type', `Content-Type must be application/json, not "${type}"`));
      return;
    }
    next();
  });
  // Every admin route records its actions with one audit() call (audit/audit-log.ts).
  const auditLog = new AuditLog(store, logger, config.auditRetentionDays * 86_400_000);
  api.use(auditContext(auditLog));
  // Before the general JSON parser: a restore's body is a whole backup, far over MAX_BODY_BYTES.
  api.use(backupRoutes({ store, adminToken: config.adminToken }));
  api.use(express.json({ limit: config.maxBodyBytes }));
  api.use(readRoutes({ store, tokens, snapshots, textFeed, publicStats: config.publicStats, textLimit: config.textLimit, adminToken: config.adminToken }));
  const authorize = readAuthorizer({ tokens, publicStats: config.publicStats });
  // The admin page's campaign tab lists the rounds and downloads the exports with its own sign-in.
  const staff = staffAuthorizer(authorize, config.adminToken);
  api.use(eventRoutes({ store, adminToken: config.adminToken, authorize: staff }));
  api.use(exportRoutes({ store, snapshots, authorize: staff, timeZone: config.timeZone }));
  api.use(historyRoutes({ store, authorize, adminToken: config.adminToken, maxBodyBytes: config.maxBodyBytes, timeZone: config.timeZone }));
  api.use(adminRoutes({ store, ingest, tokens, adminToken: config.adminToken, texts: textAdmin }));
  api.use(textRoutes({ store, texts: textAdmin, adminToken: config.adminToken, textLimit: config.textLimit }));
  api.use(distributionRoutes({ store, adminToken: config.adminToken, maxBodyBytes: config.maxBodyBytes }));
  api.use(tokenRoutes({ store, tokens, adminToken: config.adminToken }));
  api.use(auditRoutes({ auditLog, adminToken: config.adminToken }));
  app.use('/api/v1', api);

  app.use(widgetAssets({ isOriginAllowed }));
  app.use(pageRoutes({ config, tokens }));
  app.use((req, _res, next) => next(new HttpProblem(404, 'not-found', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler(logger));
  return app;
}
