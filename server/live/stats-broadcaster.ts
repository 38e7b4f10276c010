/**
 * Coalesces `survey:stats` per survey: the first change after a quiet spell goes out at once,
 * later ones at most every `intervalMs`, and the last change is always delivered. Emitting on
 * every response collapses a server under a burst; this keeps each widget to a few messages.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';
import type { SnapshotCache } from './snapshots.js';

interface SurveyState {
  dirty: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class StatsBroadcaster {
  private readonly surveys = new Map<string, SurveyState>();

  constructor(
    private readonly snapshots: SnapshotCache,
    private readonly intervalMs: number,
    /** May spread the emit over several event-loop turns; the flush waits for it. */
    private readonly emit: (snapshot: SurveySnapshot) => void | Promise<void>,
    private readonly onError: (error: unknown, surveyId: string) => void,
  ) {}

  /** `countsOnly`: more responses were counted, nothing else changed (see SnapshotCache.recent). */
  markDirty(surveyId: string, countsOnly = false): void {
    if (countsOnly) this.snapshots.countsChanged(surveyId);
    else this.snapshots.invalidate(surveyId);
    let state = this.surveys.get(surveyId);
    if (!state) {
      state = { dirty: false, timer: undefined };
      this.surveys.set(surveyId, state);
    }
    state.dirty = true;
    // With a timer pending, that flush will pick this change up.
    if (!state.timer) state.timer = setTimeout(() => void this.flush(surveyId), 0);
  }

  private async flush(surveyId: string): Promise<void> {
    const state = this.surveys.get(surveyId);
    if (!state) return;
    if (!state.dirty) {
      // Quiet for a whole interval: forget the survey so the next change goes out at once.
      this.surveys.delete(surveyId);
      return;
    }
    state.dirty = false;
    // The next flush may come no sooner than one interval from now.
    state.timer = setTimeout(() => void this.flush(surveyId), this.intervalMs);
    try {
      this.snapshots.invalidate(surveyId);
      const snapshot = await this.snapshots.get(surveyId);
      if (snapshot) await this.emit(snapshot);
    } catch (error) {
      // The store failed: try again at the next flush rather than lose the last update.
      state.dirty = true;
      this.onError(error, surveyId);
    }
  }

  close(): void {
    for (const state of this.surveys.values()) clearTimeout(state.timer);
    this.surveys.clear();
  }
}
