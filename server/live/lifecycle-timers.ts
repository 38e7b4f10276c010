/**
 * A survey opens and closes at set times, with or without responses arriving: at opensAt and
 * closesAt its snapshot (state, pace) changes, so widgets are told then, not at the next response.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';

/** setTimeout's longest wait; a transition further away is waited for in steps. */
const MAX_WAIT_MS = 2 ** 31 - 1;

export class LifecycleTimers {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly changed: (surveyId: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Wakes `changed` at the survey's next transition after now (none when there is none). */
  watch({ surveyId, opensAt, closesAt }: Pick<SurveySnapshot, 'surveyId' | 'opensAt' | 'closesAt'>): void {
    const now = this.now();
    const next = [opensAt, closesAt].map((iso) => (iso ? Date.parse(iso) : Number.NaN)).filter((at) => at > now);
    const at = next.length > 0 ? Math.min(...next) : undefined;
    const current = this.timers.get(surveyId);
    if (current?.at === at) return;
    if (current) clearTimeout(current.timer);
    this.timers.delete(surveyId);
    if (at === undefined) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(surveyId);
        if (this.now() >= at) this.changed(surveyId);
        else this.watch({ surveyId, opensAt, closesAt });
      },
      Math.min(MAX_WAIT_MS, at - now + 5),
    );
    timer.unref();
    this.timers.set(surveyId, { at, timer });
  }

  close(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
