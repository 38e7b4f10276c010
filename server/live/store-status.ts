/**
 * Watches whether this instance's store answers, and tells the widgets connected here
 * (`server:status`) when that changes: while Redis is away the server stays up, refuses
 * webhooks with 503 (senders retry) and widgets say the figures may be behind.
 */
import type { Namespace } from 'socket.io';
import type { ServerStatus } from '../../shared/events.js';
import type { ResponseStore } from '../store/response-store.js';

/** How often the store is pinged: a board learns of an outage within about this long. */
export const STORE_CHECK_MS = 1000;

export class StoreStatus {
  private current: ServerStatus['store'] = 'ok';
  private readonly timer: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly store: Pick<ResponseStore, 'ping'>,
    private readonly live: Pick<Namespace, 'local'>,
    private readonly log: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void },
    intervalMs = STORE_CHECK_MS,
  ) {
    this.timer = setInterval(() => void this.check(), intervalMs).unref();
  }

  get status(): ServerStatus {
    return { store: this.current };
  }

  /** Pings the store and tells every local widget when the answer changed. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    let next: ServerStatus['store'];
    try {
      await this.store.ping();
      next = 'ok';
    } catch {
      next = 'unavailable';
    } finally {
      this.checking = false;
    }
    if (next === this.current) return;
    this.current = next;
    this.log.warn({ store: next }, next === 'ok' ? 'store reachable again' : 'store unreachable: refusing webhooks with 503 until it is back');
    // Local: each instance watches its own connection; the adapter needs the store that is away.
    this.live.local.emit('server:status', this.status);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
