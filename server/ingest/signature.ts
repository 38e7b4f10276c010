/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * "<webhook-id>.<webhook-timestamp>.<body>", ±5 minutes tolerance, constant-time comparison.
 * Several secrets may be configured so a sender's secret can be rotated without downtime.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export class SignatureVerifier {
  private readonly webhooks: Webhook[];

  constructor(secrets: string[]) {
    this.webhooks = secrets.map((secret) => new Webhook(secret));
  }

  get configured(): boolean {
    return this.webhooks.length > 0;
  }

  /** Returns undefined when the body is signed by one of the secrets, else why not. */
  verify(body: Buffer, headers: IncomingHttpHeaders): string | undefined {
    if (this.webhooks.length === 0) return 'No WEBHOOK_SECRETS are configured, so no webhook can be verified';
    const signed = {
      'webhook-id': String(headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(headers['webhook-signature'] ?? ''),
    };
    const missing = Object.entries(signed)
      .filter(([, value]) => value === '')
      .map(([name]) => name);
    if (missing.length > 0) return `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`;
    let reason = 'No signature matches any configured secret';
    for (const webhook of this.webhooks) {
      try {
        webhook.verify(body, signed, { jsonParse: false });
        return undefined;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        // Timestamp errors are the same for every secret: report them as they are.
        if (/timestamp|Signature Headers/i.test(error.message)) return `${error.message} (tolerance is 5 minutes)`;
        reason = 'No signature matches any configured secret';
      }
    }
    return reason;
  }
}
