/**
 * Snapshots of surveys, built from the store and shared by every reader of this instance:
 * a thousand widgets subscribing at once cost one store read, not a thousand.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';
import type { ResponseStore } from '../store/response-store.js';
import { buildSnapshot } from '../store/snapshot.js';

export class SnapshotCache {
  private readonly cache = new Map<string, { snapshot: Promise<SurveySnapshot | undefined>; builtAt: number }>();

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
    if (cached && Date.now() - cached.builtAt < this.maxAgeMs) return cached.snapshot;
    const snapshot = this.build(surveyId);
    this.cache.set(surveyId, { snapshot, builtAt: Date.now() });
    // Neither a failed read nor an unknown survey is kept: anyone may ask for any id.
    const forget = () => {
      if (this.cache.get(surveyId)?.snapshot === snapshot) this.cache.delete(surveyId);
    };
    snapshot.then((found) => found || forget(), forget);
    return snapshot;
  }

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
