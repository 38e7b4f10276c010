/**
 * POST /api/v1/webhooks/responses, the native webhook: verify the Standard Webhooks signature,
 * parse, validate, count. A receiver takes the raw bytes and headers and says what became of the
 * delivery, or throws an IngestError; the HTTP edge (server/http/raw-routes.ts) reads the body
 * and turns both into answers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type IngestStatus, responseWebhookSchema } from '../../shared/schemas.js';
import { InvalidSignatureError, invalidInput, MalformedJsonError } from './errors.js';
import type { ResponseIngest } from './response-ingest.js';
import type { SignatureVerifier } from './signature.js';

export const WEBHOOK_PATH = '/api/v1/webhooks/responses';

/** What became of a delivery: counted, duplicate, kept unmatched, or (platforms) a ping or an event of no use. */
export type ReceiveStatus = IngestStatus | 'ignored' | 'ok';

/**
 * Takes one delivery's raw body and headers. Throws an IngestError when it is refused, and
 * StoreUnavailableError when the store is unreachable (nothing was counted: the sender retries).
 */
export type WebhookReceiver = (body: Buffer, headers: IncomingHttpHeaders) => Promise<ReceiveStatus>;

/** Parses a verified body as JSON. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MalformedJsonError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

export function createWebhookReceiver(deps: { ingest: ResponseIngest; verifier: SignatureVerifier }): WebhookReceiver {
  return async (body, headers) => {
    const signatureProblem = deps.verifier.verify(body, headers);
    if (signatureProblem) throw new InvalidSignatureError(signatureProblem);
    const parsed = responseWebhookSchema.safeParse(parseJsonBody(body));
    if (!parsed.success) throw invalidInput(parsed.error);
    return deps.ingest.ingest(parsed.data.data);
  };
}
