/**
 * The HTTP server's one 'request' listener: Socket.IO's own path is left to Socket.IO, webhooks go
 * to their raw node:http routes (refused with 503 once shutdown began), everything else through
 * pino-http to Express.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { HttpProblem, sendProblem } from './problem.js';
import { type RawRouteHandler, requestIdOf } from './raw-routes.js';

export interface RequestListenerParts {
  rawRoutes: Map<string, RawRouteHandler>;
  api: Express;
  /** Socket.IO's path, e.g. /socket.io; undefined where no sockets are served (ROLE=ingest): Express answers 404. */
  socketPath: string | undefined;
  logger: Logger;
  isShuttingDown: () => boolean;
}

export function createRequestListener({ rawRoutes, api, socketPath, logger, isShuttingDown }: RequestListenerParts) {
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

  return (req: IncomingMessage, res: ServerResponse): void => {
    // Socket.IO, attached first, answers its own path (HTTP long-polling); answering it here too
    // would send a 404 first and make engine.io throw "headers already sent".
    if (socketPath !== undefined && req.url?.startsWith(`${socketPath}/`)) return;
    // The path alone: a sender may add query parameters (tracking, tenant) to the URL it was given.
    const rawRoute = rawRoutes.get(req.url?.split('?', 1)[0] ?? '');
    if (rawRoute) {
      if (isShuttingDown()) {
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
    api(req, res);
  };
}
