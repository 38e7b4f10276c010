/**
 * When live subscriptions end (their token runs out): one timer for all of them, armed for the
 * earliest. A timer per socket and survey cost each idle screen a Timeout, its closures and often
 * a timer list of its own (bench/: memory per widget); here a subscription costs one entry in the
 * set of those due at its time, which every screen showing the same token shares.
 */

/** What expiry timers need of time; the real one by default. */
export interface LiveClock {
  now(): number;
  setTimeout(run: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout | undefined): void;
}

export const realClock: LiveClock = { now: () => Date.now(), setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (timer) => clearTimeout(timer) };

/** setTimeout's limit (~24.8 days): a token living longer is waited for in steps of at most this. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class ExpiryQueue<T> {
  /** What is due at each time. */
  private readonly due = new Map<number, Set<T>>();
  /** The keys of `due`, earliest first: few (one per token in use), so a sorted array does. */
  private readonly times: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The time the timer is armed for (it may wait a step short of it: MAX_TIMER_MS). */
  private armedFor: number | undefined;
  private count = 0;

  constructor(
    private readonly clock: LiveClock,
    /** Called once for each item at (or after) its time, unless deleted first. */
    private readonly expire: (item: T) => void,
  ) {}

  /** Items waiting for their time. */
  get size(): number {
    return this.count;
  }

  /** Whether the one timer is armed (for leak checks). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  add(item: T, at: number): void {
    let items = this.due.get(at);
    if (!items) {
      items = new Set();
      this.due.set(at, items);
      this.times.splice(this.insertionIndex(at), 0, at);
    }
    if (items.has(item)) return;
    items.add(item);
    this.count++;
    this.schedule();
  }

  /** Forgets an item added for `at`; nothing when it is not waiting there. */
  delete(item: T, at: number): void {
    const items = this.due.get(at);
    if (!items?.delete(item)) return;
    this.count--;
    if (items.size > 0) return;
    this.due.delete(at);
    this.times.splice(this.insertionIndex(at), 1);
    this.schedule();
  }

  close(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
    this.due.clear();
    this.times.length = 0;
    this.count = 0;
  }

  /** The first index whose time is not before `at`. */
  private insertionIndex(at: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.times[middle] as number) < at) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Keeps the timer armed for the earliest time, and only then. */
  private schedule(): void {
    const next = this.times[0];
    if (next === this.armedFor) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = next;
    if (next === undefined) return;
    // setTimeout cannot wait past MAX_TIMER_MS (it would fire at once): wait in steps.
    this.timer = this.clock.setTimeout(() => this.fire(), Math.min(MAX_TIMER_MS, Math.max(0, next - this.clock.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    const now = this.clock.now();
    // One item's failure must not keep the others (nor the later ones) from ending: it is thrown
    // once the rest are done and the timer armed again, as it was from its own timer before.
    let failure: { error: unknown } | undefined;
    while (this.times.length > 0 && (this.times[0] as number) <= now) {
      const at = this.times.shift() as number;
      const items = this.due.get(at);
      this.due.delete(at);
      for (const item of items ?? []) {
        this.count--;
        try {
          this.expire(item);
        } catch (error) {
          failure ??= { error };
        }
      }
    }
    this.schedule();
    if (failure) throw failure.error;
  }
}
