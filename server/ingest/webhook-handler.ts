/**
 * POST /api/v1/webhooks/responses, on plain node:http rather than Express: it needs the raw
 * bytes for the signature anyway, and skipping Express's pipeline roughly triples the
 * requests/s this path can take (see bench/). createRawPostRoute is the shared part that the
 * platform webhooks (platforms/) use too: method, body limit, problem answers, metrics.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { responseWebhookSchema } from '../../shared/schemas.js';
import type { Metrics } from '../http/metrics.js';
import { HttpProblem, invalidBody, sendProblem } from '../http/problem.js';
import { StoreUnavailableError } from '../store/response-store.js';
import type { ResponseIngest } from './response-ingest.js';
import type { SignatureVerifier } from './signature.js';

export const WEBHOOK_PATH = '/api/v1/webhooks/responses';
const RETRY_AFTER_S = '5';

export interface RawRouteDeps {
  maxBodyBytes: number;
  /** Refusals are logged (warn, error for 5xx) with the request id; accepted ones at debug only. */
  log: Logger;
  metrics: Metrics;
  /** Counts in-flight webhooks so shutdown can wait for them. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Counts 4xx refusals for one summary line a minute; without it each is logged on its own. */
  refusals?: { refused(outcome: string): void };
}

export interface WebhookDeps extends RawRouteDeps {
  ingest: ResponseIngest;
  verifier: SignatureVerifier;
}

/** What a raw route answers: a status, a JSON body, and the outcome label for metrics. */
export interface RawAnswer {
  status: number;
  body: unknown;
  outcome: string;
}

export type RawRouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Reads the body, refusing (413) as soon as it passes the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The request id: the caller's X-Request-Id (a proxy's), else a new one; echoed in the answer.
 * Raw routes log it themselves rather than through pino-http, whose per-request child logger
 * was a noticeable part of the webhook path's CPU (see bench/).
 */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = (typeof given === 'string' && given.slice(0, 100)) || randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

const tooLarge = (limit: number) => new HttpProblem(413, 'body-too-large', `The body is larger than MAX_BODY_BYTES (${limit} bytes)`);

/** Parses a verified body as JSON, or answers 400. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpProblem(400, 'malformed-json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A POST route on plain node:http: reads the raw body (413 past the limit), hands it to `handle`,
 * and answers its JSON, or a problem: HttpProblem as thrown, 503 with Retry-After when the store
 * is unreachable (the sender retries), 500 for anything else.
 */
export function createRawPostRoute(path: string, deps: RawRouteDeps, handle: (body: Buffer, req: IncomingMessage) => Promise<RawAnswer>): RawRouteHandler {
  const { metrics } = deps;
  return async function handleRawPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const reqId = requestIdOf(req, res);
    let outcome = 'error';
    try {
      if (req.method !== 'POST') throw new HttpProblem(405, 'method-not-allowed', 'Webhooks are delivered with POST', { headers: { Allow: 'POST' } });
      const body = await readBody(req, deps.maxBodyBytes);
      const answer = await deps.track(handle(body, req));
      outcome = answer.outcome;
      const json = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
      res.end(json);
      if (deps.log.isLevelEnabled('debug')) deps.log.debug({ reqId, path, status: answer.status, outcome }, 'webhook answered');
    } catch (error) {
      let problem: HttpProblem;
      if (error instanceof HttpProblem) problem = error;
      else if (error instanceof StoreUnavailableError) {
        problem = new HttpProblem(503, 'store-unavailable', 'The response was not stored; retry later', { headers: { 'Retry-After': RETRY_AFTER_S } });
      } else {
        deps.log.error({ err: error, reqId, path }, 'webhook failed');
        problem = new HttpProblem(500, 'internal-error', 'The response was not stored');
      }
      outcome = problem.slug;
      sendProblem(res, problem, path);
      // Method, path, status and outcome only: the body may hold tenants' words. Refusals are
      // summed into one line a minute: a flood of bad requests must not become a flood of lines.
      const line = { reqId, method: req.method, path, status: problem.status, outcome };
      if (problem.status >= 500) deps.log.error(line, 'webhook refused');
      else if (deps.refusals) {
        deps.refusals.refused(outcome);
        if (deps.log.isLevelEnabled('debug')) deps.log.debug(line, 'webhook refused');
      } else deps.log.warn(line, 'webhook refused');
    } finally {
      metrics.webhooks.inc({ outcome });
      metrics.ingestSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}

export function createWebhookHandler(deps: WebhookDeps): RawRouteHandler {
  return createRawPostRoute(WEBHOOK_PATH, deps, async (body, req) => {
    const signatureProblem = deps.verifier.verify(body, req.headers);
    if (signatureProblem) throw new HttpProblem(401, 'invalid-signature', signatureProblem);
    const parsed = responseWebhookSchema.safeParse(parseJsonBody(body));
    if (!parsed.success) throw invalidBody(parsed.error);
    const status = await deps.ingest.ingest(parsed.data.data);
    return { status: status === 'unmatched' ? 202 : 200, body: { status }, outcome: status };
  });
}
