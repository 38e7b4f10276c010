/**
 * The webhook routes on plain node:http rather than Express: they need the raw bytes for the
 * signature anyway, and skipping Express's pipeline roughly triples the requests/s this path can
 * take (see bench/). Each route reads the body (413 past the limit), hands it to an ingest
 * receiver (server/ingest/), and answers its status word as JSON, or a problem: the receiver's
 * IngestError mapped to problem+json, 503 with Retry-After when the store is unreachable (the
 * sender retries), 500 for anything else. Method, body limit, metrics and logging live here.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { IngestError } from '../ingest/errors.js';
import { createPlatformRoutes } from '../ingest/platforms/index.js';
import type { ResponseIngest } from '../ingest/response-ingest.js';
import { SignatureVerifier } from '../ingest/signature.js';
import { createWebhookReceiver, WEBHOOK_PATH, type WebhookReceiver } from '../ingest/webhook-handler.js';
import type { Metrics } from '../observability/metrics.js';
import type { ResponseStore } from '../store/response-store.js';
import { StoreUnavailableError } from '../store/response-store.js';
import { HttpProblem, problemFromIngest, sendProblem } from './problem.js';

const RETRY_AFTER_S = '5';

export interface RawRouteDeps {
  maxBodyBytes: number;
  /** Refusals are logged (warn, error for 5xx) with the request id; accepted ones at debug only. */
  log: Logger;
  metrics: Metrics;
  /** Counts in-flight webhooks so shutdown can wait for them. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Counts 4xx refusals for one summary line a minute (webhook-guard.ts); without it each is logged on its own. */
  refusals?: { refused(outcome: string): void };
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

/** A POST route on plain node:http around one ingest receiver (see the top of this file). */
export function createRawPostRoute(path: string, deps: RawRouteDeps, receive: WebhookReceiver): RawRouteHandler {
  const { metrics } = deps;
  return async function handleRawPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const reqId = requestIdOf(req, res);
    let outcome = 'error';
    try {
      if (req.method !== 'POST') throw new HttpProblem(405, 'method-not-allowed', 'Webhooks are delivered with POST', { headers: { Allow: 'POST' } });
      const body = await readBody(req, deps.maxBodyBytes);
      const status = await deps.track(receive(body, req.headers));
      outcome = status;
      const json = JSON.stringify({ status });
      // Kept but not counted yet: 202, so a sender's dashboard shows it apart from counted ones.
      const code = status === 'unmatched' ? 202 : 200;
      res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
      res.end(json);
      if (deps.log.isLevelEnabled('debug')) deps.log.debug({ reqId, path, status: code, outcome }, 'webhook answered');
    } catch (error) {
      let problem: HttpProblem;
      if (error instanceof HttpProblem) problem = error;
      else if (error instanceof IngestError) problem = problemFromIngest(error);
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

export interface RawRoutesParts extends RawRouteDeps {
  store: ResponseStore;
  ingest: ResponseIngest;
  webhookSecrets: string[];
  typeformSecret: string | undefined;
}

/** path -> handler: the native webhook and one per survey platform, served ahead of Express. */
export function createRawRoutes(parts: RawRoutesParts): Map<string, RawRouteHandler> {
  const receivers = new Map<string, WebhookReceiver>([
    [WEBHOOK_PATH, createWebhookReceiver({ ingest: parts.ingest, verifier: new SignatureVerifier(parts.webhookSecrets) })],
    ...createPlatformRoutes(parts),
  ]);
  return new Map([...receivers].map(([path, receive]) => [path, createRawPostRoute(path, parts, receive)]));
}
