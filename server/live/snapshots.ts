/**
 * Snapshots of surveys, built from the store and shared by every reader of this instance:
 * a thousand widgets subscribing at once cost one store read, not a thousand.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';
import type { ResponseStore } from '../store/response-store.js';
import { buildSnapshot } from '../store/snapshot.js';

export class SnapshotCache {
  /** `fresh`: nothing changed since it was built (countsChanged clears it, invalidate drops the entry). */
  private readonly cache = new Map<string, { snapshot: Promise<SurveySnapshot | undefined>; builtAt: number; fresh: boolean }>();

  constructor(
    private readonly store: ResponseStore,
    /** How long a snapshot may be reused when nothing marked it stale (counts from other instances). */
    private readonly maxAgeMs: number,
    /** Below this many responses an area's index values are hidden (privacy/small-groups.ts). */
    private readonly minGroupSize = 1,
  ) {}

  /** The survey's snapshot, or undefined when it is not defined. */
  get(surveyId: string): Promise<SurveySnapshot | undefined> {
    const cached = this.cache.get(surveyId);
    if (cached?.fresh && Date.now() - cached.builtAt < this.maxAgeMs) return cached.snapshot;
    const snapshot = this.build(surveyId);
    this.cache.set(surveyId, { snapshot, builtAt: Date.now(), fresh: true });
    // Neither a failed read nor an unknown survey is kept: anyone may ask for any id.
    const forget = () => {
      if (this.cache.get(surveyId)?.snapshot === snapshot) this.cache.delete(surveyId);
    };
    snapshot.then((found) => found || forget(), forget);
    return snapshot;
  }

  /**
   * A snapshot at most one interval old whose survey has since changed only by more responses
   * counted (countsChanged), or a fresh one. Every count in it is at most today's, so an area
   * that is large in it is large now: enough for deciding that a text may name its area without
   * a store read per text (text-feed.ts asks get() when an area looks small).
   */
  recent(surveyId: string): Promise<SurveySnapshot | undefined> {
    const cached = this.cache.get(surveyId);
    if (cached && Date.now() - cached.builtAt < this.maxAgeMs) return cached.snapshot;
    return this.get(surveyId);
  }

  /** Responses were counted: get() builds anew, recent() may still answer with the last one. */
  countsChanged(surveyId: string): void {
    const cached = this.cache.get(surveyId);
    if (cached) cached.fresh = false;
  }

  /** Anything else changed (the definition, a deletion): no reader gets the old snapshot. */
  invalidate(surveyId: string): void {
    this.cache.delete(surveyId);
  }

  private async build(surveyId: string): Promise<SurveySnapshot | undefined> {
    const survey = await this.store.getSurvey(surveyId);
    if (!survey) return undefined;
    const [counts, events] = await Promise.all([this.store.getCounts(surveyId), this.store.listEvents(surveyId)]);
    return buildSnapshot(survey, counts, Date.now(), this.minGroupSize, events);
  }
}
