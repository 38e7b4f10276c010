/**
 * POST /api/v1/webhooks/responses, on plain node:http rather than Express: it needs the raw
 * bytes for the signature anyway, and skipping Express's pipeline roughly triples the
 * requests/s this path can take (see bench/).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseWebhookSchema } from '../../shared/schemas.js';
import type { Metrics } from '../http/metrics.js';
import { HttpProblem, invalidBody, sendProblem } from '../http/problem.js';
import { StoreUnavailableError } from '../store/response-store.js';
import type { ResponseIngest } from './response-ingest.js';
import type { SignatureVerifier } from './signature.js';

export const WEBHOOK_PATH = '/api/v1/webhooks/responses';
const RETRY_AFTER_S = '5';

export interface WebhookDeps {
  ingest: ResponseIngest;
  verifier: SignatureVerifier;
  maxBodyBytes: number;
  metrics: Metrics;
  /** Counts in-flight webhooks so shutdown can wait for them. */
  track<T>(work: Promise<T>): Promise<T>;
}

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

const tooLarge = (limit: number) => new HttpProblem(413, 'body-too-large', `The body is larger than MAX_BODY_BYTES (${limit} bytes)`);

export function createWebhookHandler(deps: WebhookDeps) {
  const { metrics } = deps;
  return async function handleWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let outcome = 'error';
    try {
      if (req.method !== 'POST') throw new HttpProblem(405, 'method-not-allowed', 'Webhooks are delivered with POST', { headers: { Allow: 'POST' } });
      const body = await readBody(req, deps.maxBodyBytes);
      const signatureProblem = deps.verifier.verify(body, req.headers);
      if (signatureProblem) throw new HttpProblem(401, 'invalid-signature', signatureProblem);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new HttpProblem(400, 'malformed-json', `The body is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = responseWebhookSchema.safeParse(json);
      if (!parsed.success) throw invalidBody(parsed.error);
      const status = await deps.track(deps.ingest.ingest(parsed.data.data));
      outcome = status;
      const answer = JSON.stringify({ status });
      res.writeHead(status === 'unmatched' ? 202 : 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(answer) });
      res.end(answer);
    } catch (error) {
      let problem: HttpProblem;
      if (error instanceof HttpProblem) problem = error;
      else if (error instanceof StoreUnavailableError) {
        problem = new HttpProblem(503, 'store-unavailable', 'The response was not stored; retry later', { headers: { 'Retry-After': RETRY_AFTER_S } });
      } else {
        (req as IncomingMessage & { log?: { error: (o: object, m: string) => void } }).log?.error({ err: error }, 'webhook failed');
        problem = new HttpProblem(500, 'internal-error', 'The response was not stored');
      }
      outcome = problem.slug;
      sendProblem(res, problem, WEBHOOK_PATH);
    } finally {
      metrics.webhooks.inc({ outcome });
      metrics.ingestSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
