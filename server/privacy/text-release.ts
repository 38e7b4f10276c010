/**
 * When a free-text answer may reach widgets. An answer that appears seconds after a door knock
 * or a phone call points at the tenant just reached, so answers are held back:
 * arrivals in one window of TEXT_DELAY_S are released together at the end of the following
 * window (so each waits between the delay and twice the delay), in an order that does not
 * follow arrival, with their arrival time coarsened. The schedule is derived from the arrival
 * time alone, so every instance and every read path (REST, socket) agrees without coordination.
 */
const COARSEN_MS = 10 * 60_000;

export class TextReleasePolicy {
  constructor(
    /** TEXT_DELAY_S in milliseconds; 0 turns delay, batching and shuffling off. */
    readonly delayMs: number,
  ) {}

  get delayed(): boolean {
    return this.delayMs > 0;
  }

  /** The epoch ms at which an answer received at `receivedAt` may be shown. */
  releaseAt(receivedAt: number): number {
    if (!this.delayed) return receivedAt;
    return (Math.floor(receivedAt / this.delayMs) + 2) * this.delayMs;
  }

  isReleased(receivedAt: number, now: number): boolean {
    return now >= this.releaseAt(receivedAt);
  }

  /** The arrival time widgets see: coarsened to the batch window (at least 10 minutes) while delay is on. */
  publicReceivedAt(receivedAt: number): number {
    if (!this.delayed) return receivedAt;
    const grain = Math.max(this.delayMs, COARSEN_MS);
    return Math.floor(receivedAt / grain) * grain;
  }

  /** The next moment a batch is released, after `now`. */
  nextReleaseAfter(now: number): number {
    return (Math.floor(now / this.delayMs) + 1) * this.delayMs;
  }

  /**
   * Orders released answers for a feed: newest batch first; within a batch by the random id,
   * not by arrival. Without delay, simply newest first.
   */
  feedOrder<T extends { id: string; receivedAt: string }>(texts: T[]): T[] {
    const at = (text: T) => Date.parse(text.receivedAt);
    if (!this.delayed) return [...texts].sort((a, b) => at(b) - at(a));
    return [...texts].sort((a, b) => this.releaseAt(at(b)) - this.releaseAt(at(a)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
