/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * "<webhook-id>.<webhook-timestamp>.<body>", ±5 minutes tolerance, constant-time comparison.
 * Several secrets may be configured so a sender's secret can be rotated without downtime.
 *
 * Verified with node:crypto rather than the standardwebhooks package's verify(): that one
 * computes the HMAC in pure JavaScript, which cost about a sixth of the webhook path's CPU
 * (see bench/). Messages and rules are the package's own.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

const SECRET_PREFIX = 'whsec_';
const TOLERANCE_S = 5 * 60;
const TOLERANCE_NOTE = '(tolerance is 5 minutes)';

/** The HMAC key of a `whsec_…` secret; the package's constructor decodes strictly and throws on a malformed one. */
function keyOf(secret: string): Buffer {
  new Webhook(secret);
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

const signatureOf = (key: Buffer, id: string, timestampS: number, body: string | Buffer) =>
  createHmac('sha256', key).update(`${id}.${timestampS}.`).update(body).digest('base64');

/** The three Standard Webhooks headers of one delivery. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export interface SignOptions {
  /** The message id; a redelivery reuses its first id. Default: a new `msg_…`. */
  id?: string;
  /** When it is sent (Date or epoch ms). Default: now. */
  timestamp?: Date | number;
}

/**
 * Signs bodies the way senders do, for the demo sender, the CLI, tests and the bench. Decodes the
 * secret once: the bench's load generator signs tens of thousands of bodies a second.
 */
export function webhookSigner(secret: string): (body: string, options?: SignOptions) => WebhookHeaders {
  const key = keyOf(secret);
  return (body, { id = `msg_${randomUUID()}`, timestamp = Date.now() } = {}) => {
    const timestampS = Math.floor((typeof timestamp === 'number' ? timestamp : timestamp.getTime()) / 1000);
    return { 'webhook-id': id, 'webhook-timestamp': String(timestampS), 'webhook-signature': `v1,${signatureOf(key, id, timestampS, body)}` };
  };
}

/** One signed delivery's headers (see webhookSigner). */
export const signWebhook = (secret: string, body: string, options?: SignOptions): WebhookHeaders => webhookSigner(secret)(body, options);

export class SignatureVerifier {
  private readonly keys: Buffer[];

  constructor(secrets: string[]) {
    this.keys = secrets.map(keyOf);
  }

  get configured(): boolean {
    return this.keys.length > 0;
  }

  /** Returns undefined when the body is signed by one of the secrets, else why not. */
  verify(body: Buffer, headers: IncomingHttpHeaders, now = Date.now()): string | undefined {
    if (this.keys.length === 0) return 'No WEBHOOK_SECRETS are configured, so no webhook can be verified';
    const signed = {
      'webhook-id': String(headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(headers['webhook-signature'] ?? ''),
    };
    const missing = Object.entries(signed)
      .filter(([, value]) => value === '')
      .map(([name]) => name);
    if (missing.length > 0) return `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`;

    const timestamp = Number.parseInt(signed['webhook-timestamp'], 10);
    if (Number.isNaN(timestamp)) return `Invalid Signature Headers ${TOLERANCE_NOTE}`;
    const nowS = Math.floor(now / 1000);
    if (nowS - timestamp > TOLERANCE_S) return `Message timestamp too old ${TOLERANCE_NOTE}`;
    if (timestamp > nowS + TOLERANCE_S) return `Message timestamp too new ${TOLERANCE_NOTE}`;

    const passed = signed['webhook-signature']
      .split(' ')
      .map((versioned) => versioned.split(','))
      .filter(([version, signature]) => version === 'v1' && signature !== undefined)
      .map(([, signature]) => Buffer.from(signature as string));
    for (const key of this.keys) {
      const expected = Buffer.from(signatureOf(key, signed['webhook-id'], timestamp, body));
      if (passed.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected))) return undefined;
    }
    return 'No signature matches any configured secret';
  }
}
