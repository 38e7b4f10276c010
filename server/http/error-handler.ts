/** Express's last stop: every error becomes a problem+json answer; only unexpected ones are logged. */
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { IngestError } from '../ingest/errors.js';
import { StoreUnavailableError } from '../store/response-store.js';
import { HttpProblem, problemFromIngest, sendProblem } from './problem.js';

export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    let problem: HttpProblem;
    if (error instanceof HttpProblem) problem = error;
    else if (error instanceof IngestError) problem = problemFromIngest(error);
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
