/**
 * A one-line progress bar on stderr, redrawn with "\r" at most every 100 ms. When stderr is not a
 * terminal (a log, a CI job) it writes a plain line at each tenth instead, so logs stay readable.
 */
import type { CliWriter } from './io.js';
import { bar } from './table.js';

export class ProgressBar {
  private lastDraw = 0;
  private lastTenth = -1;
  private readonly tty: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: CliWriter = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Shows `done` of the total, with a short status after the bar. */
  update(done: number, status: string, force = false): void {
    const share = this.total === 0 ? 1 : done / this.total;
    const text = `${bar(share, 30)} ${String(Math.floor(share * 100)).padStart(3)}%  ${done}/${this.total}  ${status}`;
    if (this.tty) {
      const now = Date.now();
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r${text}\u001b[K`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth > this.lastTenth || force) {
      this.lastTenth = tenth;
      this.stream.write(`${text}\n`);
    }
  }

  /** Draws the final state and ends the line. */
  finish(done: number, status: string): void {
    if (this.tty) {
      this.update(done, status, true);
      this.stream.write('\n');
    } else if (Math.floor((this.total === 0 ? 1 : done / this.total) * 10) > this.lastTenth) this.update(done, status, true);
  }
}
