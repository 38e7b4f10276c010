/**
 * The edge of the raw webhook routes: who the client is (TRUST_PROXY, the same rule Express
 * uses), a brake on clients whose webhooks keep being refused for their signature, and one
 * log line a minute that counts refusals instead of one line per refused request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import { HttpProblem, sendProblem } from './problem.js';
import type { RawRouteHandler } from './raw-routes.js';

/** Whose X-Forwarded-For is believed (config.trustProxy): a hop count, or named ranges, IPs and CIDRs. */
export function trustFunction(trustProxy: number | string[]): (address: string, hop: number) => boolean {
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return proxyaddr.compile(trustProxy);
}

/**
 * Signature refusals per client address and minute before every webhook from that address is
 * answered 429 until the minute is over. A platform with a wrong secret sends far fewer (one
 * per response, retried over hours), and what a 429 delays it retries later: real deliveries
 * are only ever late, never lost. A guesser gets 600 tries a minute at a 256-bit secret.
 */
export const REFUSED_WEBHOOKS_PER_MINUTE = 600;
const WINDOW_MS = 60_000;
/** Addresses tracked per window at most, so a flood of spoofed sources cannot grow the map without end. */
const MAX_TRACKED = 100_000;

export interface WebhookGuardOptions {
  trustProxy: number | string[];
  log: { warn(obj: object, msg: string): void };
  /** Counts a 429 in the webhook metrics. */
  countRefusal?(outcome: string): void;
  limit?: number;
  now?: () => number;
}

export class WebhookGuard {
  private readonly trust: (address: string, hop: number) => boolean;
  private readonly limit: number;
  private readonly now: () => number;
  private windowStart: number;
  private refusedBy = new Map<string, number>();
  /** Refusals per outcome since the last summary line. */
  private readonly outcomes = new Map<string, number>();
  private summarySince: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: WebhookGuardOptions) {
    this.trust = trustFunction(options.trustProxy);
    this.limit = options.limit ?? REFUSED_WEBHOOKS_PER_MINUTE;
    this.now = options.now ?? Date.now;
    this.windowStart = this.now();
    this.summarySince = this.now();
    this.timer = setInterval(() => this.flush(), WINDOW_MS).unref();
  }

  /** The client's address by the TRUST_PROXY rule. */
  clientAddress(req: IncomingMessage): string {
    return proxyaddr(req, this.trust);
  }

  /** Wraps raw routes: refused clients get 429 before their body is read; refusals are counted. */
  wrap(routes: Map<string, RawRouteHandler>): Map<string, RawRouteHandler> {
    return new Map([...routes].map(([path, handler]) => [path, (req: IncomingMessage, res: ServerResponse) => this.handle(path, handler, req, res)]));
  }

  /** A refused webhook (4xx), for the summary line. */
  refused(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** Logs one line with the refusals since the last one, if any. */
  flush(): void {
    if (this.outcomes.size === 0) return;
    const refused = Object.fromEntries(this.outcomes);
    const total = [...this.outcomes.values()].reduce((sum, n) => sum + n, 0);
    this.options.log.warn({ refused, total, sinceS: Math.round((this.now() - this.summarySince) / 1000) }, 'webhooks refused');
    this.outcomes.clear();
    this.summarySince = this.now();
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private async handle(path: string, handler: RawRouteHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.roll();
    const address = this.clientAddress(req);
    if ((this.refusedBy.get(address) ?? 0) >= this.limit) {
      const retryAfterS = Math.max(1, Math.ceil((this.windowStart + WINDOW_MS - this.now()) / 1000));
      req.resume();
      sendProblem(
        res,
        new HttpProblem(429, 'too-many-requests', `Too many webhooks with an invalid signature from this address; retry in ${retryAfterS} s`, {
          headers: { 'Retry-After': String(retryAfterS), Connection: 'close' },
        }),
        path,
      );
      this.refused('too-many-requests');
      this.options.countRefusal?.('too-many-requests');
      return;
    }
    await handler(req, res);
    if (res.statusCode === 401) {
      this.roll();
      const count = this.refusedBy.get(address);
      if (count !== undefined || this.refusedBy.size < MAX_TRACKED) this.refusedBy.set(address, (count ?? 0) + 1);
    }
  }

  private roll(): void {
    if (this.now() - this.windowStart < WINDOW_MS) return;
    this.windowStart = this.now();
    this.refusedBy = new Map();
  }
}
