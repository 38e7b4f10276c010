/**
 * Snapshots of surveys, built from the store and shared by every reader of this instance:
 * a thousand widgets subscribing at once cost one store read, not a thousand.
 *
 * A survey naming an earlier campaign (compareTo) carries a comparison with it. The earlier
 * campaign's whole life (its daily series) is read once and kept, not read for every snapshot:
 * it is usually closed. It is read again at once when its definition or imported history
 * changes (surveyChanged), within EARLIER_MIN_AGE_MS when its counts change (invalidate), and
 * at least every EARLIER_MAX_AGE_MS, for changes made through other instances.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';
import { type EarlierCampaign, earlierCampaign } from '../store/comparison.js';
import { readDailySeries } from '../store/daily.js';
import type { ResponseStore } from '../store/response-store.js';
import { buildSnapshot } from '../store/snapshot.js';

/** How long an earlier campaign's data is reused when nothing said it changed. */
export const EARLIER_MAX_AGE_MS = 60_000;
/** Once its counts changed, it is reused this long at most (its definition or an import: not at all). */
export const EARLIER_MIN_AGE_MS = 5_000;

export interface SnapshotCacheOptions {
  /** Below this many responses an area's index values are hidden (privacy/small-groups.ts). */
  minGroupSize?: number;
  /** TIMEZONE: the calendar days a comparison counts in. */
  timeZone?: string;
}

export class SnapshotCache {
  /** `fresh`: nothing changed since it was built (countsChanged clears it, invalidate drops the entry). */
  private readonly cache = new Map<string, { snapshot: Promise<SurveySnapshot | undefined>; builtAt: number; fresh: boolean }>();
  /** Earlier campaigns by survey id, as comparisons read them. */
  private readonly earlier = new Map<string, { campaign: Promise<EarlierCampaign | undefined>; builtAt: number; stale: boolean }>();
  /** Earlier survey id -> the surveys whose snapshots compare with it. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly minGroupSize: number;
  private readonly timeZone: string;

  constructor(
    private readonly store: ResponseStore,
    /** How long a snapshot may be reused when nothing marked it stale (counts from other instances). */
    private readonly maxAgeMs: number,
    { minGroupSize = 1, timeZone = 'Europe/Stockholm' }: SnapshotCacheOptions = {},
  ) {
    this.minGroupSize = minGroupSize;
    this.timeZone = timeZone;
  }

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

  /**
   * Responses were counted (ingest only adds): as invalidate, except that recent() may still
   * answer with the survey's last snapshot; get() builds anew.
   */
  countsChanged(surveyId: string): void {
    const cached = this.cache.get(surveyId);
    this.invalidate(surveyId);
    if (cached) this.cache.set(surveyId, { ...cached, fresh: false });
  }

  /**
   * Its counts changed: drops the survey's snapshot and those comparing with it; as an earlier
   * campaign its data is read again, at most every EARLIER_MIN_AGE_MS (an earlier campaign still
   * open and busy must not make every snapshot of the later one read its whole life).
   */
  invalidate(surveyId: string): void {
    this.cache.delete(surveyId);
    const earlier = this.earlier.get(surveyId);
    if (earlier) earlier.stale = true;
    for (const later of this.dependents.get(surveyId) ?? []) this.cache.delete(later);
  }

  /** Its definition or imported history changed: as invalidate, and its data as an earlier campaign is read again at once. */
  surveyChanged(surveyId: string): void {
    this.earlier.delete(surveyId);
    this.invalidate(surveyId);
  }

  /** The surveys whose snapshots compare with this one (as built on this instance). */
  comparingWith(surveyId: string): string[] {
    return [...(this.dependents.get(surveyId) ?? [])];
  }

  private async build(surveyId: string): Promise<SurveySnapshot | undefined> {
    const survey = await this.store.getSurvey(surveyId);
    if (!survey) return undefined;
    const [counts, events, earlier] = await Promise.all([
      this.store.getCounts(surveyId),
      this.store.listEvents(surveyId),
      survey.compareTo ? this.earlierCampaign(survey.compareTo, surveyId) : undefined,
    ]);
    return buildSnapshot(survey, counts, Date.now(), this.minGroupSize, events, earlier);
  }

  private earlierCampaign(earlierId: string, laterId: string): Promise<EarlierCampaign | undefined> {
    let later = this.dependents.get(earlierId);
    if (!later) {
      later = new Set();
      this.dependents.set(earlierId, later);
    }
    later.add(laterId);
    const cached = this.earlier.get(earlierId);
    const age = cached ? Date.now() - cached.builtAt : Number.POSITIVE_INFINITY;
    if (cached && age < EARLIER_MAX_AGE_MS && (!cached.stale || age < EARLIER_MIN_AGE_MS)) return cached.campaign;
    const campaign = this.readEarlier(earlierId);
    this.earlier.set(earlierId, { campaign, builtAt: Date.now(), stale: false });
    const forget = () => {
      if (this.earlier.get(earlierId)?.campaign === campaign) this.earlier.delete(earlierId);
    };
    campaign.then((found) => found || forget(), forget);
    return campaign;
  }

  private async readEarlier(surveyId: string): Promise<EarlierCampaign | undefined> {
    const survey = await this.store.getSurvey(surveyId);
    if (!survey) return undefined;
    const [counts, distribution] = await Promise.all([this.store.getCounts(surveyId), this.store.distributionHistory(surveyId)]);
    const series = await readDailySeries(this.store, survey, { timeZone: this.timeZone, counts });
    return earlierCampaign(survey, series, distribution, counts);
  }
}
