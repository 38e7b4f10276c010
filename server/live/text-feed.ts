/**
 * Decides which free-text answers widgets may see, and when they are pushed: after the release
 * delay (privacy/text-release.ts), only once approved when moderation is on, never naming an
 * area with fewer than MIN_GROUP_SIZE responses. REST reads and socket pushes both go
 * through here, so they can never disagree.
 */
import type { SurveySnapshot, TextAnswer } from '../../shared/schemas.js';
import { UNASSIGNED_AREA_ID } from '../../shared/schemas.js';
import { smallAreas } from '../privacy/small-groups.js';
import type { TextReleasePolicy } from '../privacy/text-release.js';
import type { ResponseStore, StoredText } from '../store/response-store.js';
import type { SnapshotCache } from './snapshots.js';

export interface TextFeedOptions {
  store: ResponseStore;
  snapshots: SnapshotCache;
  policy: TextReleasePolicy;
  /** TEXT_MODERATION=hold: answers wait for an admin's approval. */
  moderation: boolean;
  minGroupSize: number;
  /** Free-text answers kept per survey: what a feed can show at most. */
  textLimit: number;
  publish(text: TextAnswer): void;
  /** `text` as stored: which area-scoped feeds may have shown it. */
  unpublish(removed: { id: string; surveyId: string }, text: StoredText): void;
  /**
   * True for exactly one caller per key across instances (the store's claim); so a batch
   * released at one moment is pushed once, not once per instance.
   */
  claim(key: string): Promise<boolean>;
  log: { warn: (obj: object, msg: string) => void };
}

export class TextFeed {
  private ticker: NodeJS.Timeout | undefined;
  private lastTick = Date.now();
  private closed = false;

  constructor(private readonly options: TextFeedOptions) {
    if (options.policy.delayed) this.scheduleTick();
  }

  /** Whether widgets may see this answer now. */
  isVisible(text: StoredText, now = Date.now()): boolean {
    return text.status !== 'pending' && this.options.policy.isReleased(Date.parse(text.receivedAt), now);
  }

  /** New answers from ingest: pushed at once only when neither delay nor moderation holds them. */
  textsCreated(texts: StoredText[]): void {
    void this.rememberSmallAreas(texts).then((remembered) => {
      if (!this.options.policy.delayed && !this.options.moderation) return this.publishAll(remembered);
    });
  }

  /**
   * Marks the answers whose area is small right after their response counted: they never show
   * their area, even once the area has grown (someone who saw the answer then must not learn
   * its area later). Runs when the answer arrives, long before its delay lets anyone see it.
   */
  private async rememberSmallAreas(texts: StoredText[]): Promise<StoredText[]> {
    const { minGroupSize, snapshots, store } = this.options;
    if (minGroupSize <= 1) return texts;
    try {
      const remembered: StoredText[] = [];
      for (const text of texts) {
        // A recent snapshot says "large" truthfully (counts only grow); "small" is checked on a fresh one.
        const isSmall = (snapshot: SurveySnapshot | undefined) =>
          !snapshot || publicAreaOf(snapshot, text.areaId, smallAreas(snapshot, minGroupSize)) === undefined;
        const small = isSmall(await snapshots.recent(text.surveyId)) && isSmall(await snapshots.get(text.surveyId));
        if (small) await store.editTexts(text.surveyId, { id: text.id }, 'hide-area');
        remembered.push(small ? { ...text, areaHidden: true } : text);
      }
      return remembered;
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not remember small areas of new free text');
      return texts.map((text) => ({ ...text, areaHidden: true }));
    }
  }

  /** An admin approved an answer: push it now if its delay has passed, else the release tick will. */
  textApproved(text: StoredText): void {
    if (this.isVisible(text)) void this.publishAll([text]);
  }

  /** An answer was deleted: feeds that may have shown it drop it. */
  textRemoved(text: StoredText, wasVisible: boolean): void {
    if (wasVisible) this.options.unpublish({ id: text.id, surveyId: text.surveyId }, text);
  }

  /** What a reader may see now: released, approved, newest batch first, area hidden where the group is small. */
  async visibleTexts(surveyId: string, limit: number): Promise<TextAnswer[]> {
    const now = Date.now();
    const stored = await this.options.store.latestTexts(surveyId, this.options.textLimit);
    const visible = this.options.policy.feedOrder(stored.filter((text) => this.isVisible(text, now))).slice(0, limit);
    const view = await this.publicView(surveyId);
    return visible.map(view);
  }

  private async publicView(surveyId: string): Promise<(text: StoredText) => TextAnswer> {
    const snapshot = await this.options.snapshots.get(surveyId);
    return publicTextView(snapshot, this.options.policy, this.options.minGroupSize);
  }

  private async publishAll(texts: StoredText[]): Promise<void> {
    try {
      const bySurvey = new Map<string, StoredText[]>();
      for (const text of texts) bySurvey.set(text.surveyId, [...(bySurvey.get(text.surveyId) ?? []), text]);
      for (const [surveyId, batch] of bySurvey) {
        const view = await this.publicView(surveyId);
        // Pushed oldest batch first so feeds (newest on top) end in feed order.
        for (const text of this.options.policy.feedOrder(batch).reverse()) this.options.publish(view(text));
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not push free-text answers');
    }
  }

  private scheduleTick(): void {
    if (this.closed) return;
    const next = this.options.policy.nextReleaseAfter(Date.now());
    this.ticker = setTimeout(() => void this.tick().finally(() => this.scheduleTick()), next - Date.now() + 5);
  }

  /** Pushes every answer whose release moment passed since the last tick, once across instances. */
  private async tick(): Promise<void> {
    const now = Date.now();
    const since = this.lastTick;
    this.lastTick = now;
    const { policy, store } = this.options;
    try {
      for (const survey of await store.listSurveys()) {
        const due = (await store.latestTexts(survey.id, this.options.textLimit)).filter((text) => {
          const releaseAt = policy.releaseAt(Date.parse(text.receivedAt));
          return releaseAt > since && releaseAt <= now && text.status !== 'pending';
        });
        // Claimed per release moment, which every instance computes alike from arrival times.
        const byRelease = new Map<number, StoredText[]>();
        for (const text of due) {
          const releaseAt = policy.releaseAt(Date.parse(text.receivedAt));
          byRelease.set(releaseAt, [...(byRelease.get(releaseAt) ?? []), text]);
        }
        for (const [releaseAt, batch] of byRelease) {
          if (await this.options.claim(`release:${survey.id}:${releaseAt}`)) await this.publishAll(batch);
        }
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not release free-text answers');
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.ticker);
  }
}

/** How an answer looks to widgets: no response id, coarsened time, no area for a small group. */
export function publicTextView(snapshot: SurveySnapshot | undefined, policy: TextReleasePolicy, minGroupSize: number): (text: StoredText) => TextAnswer {
  const small = snapshot ? smallAreas(snapshot, minGroupSize) : new Set<string>();
  return (text) => {
    const areaId = snapshot && !text.areaHidden ? publicAreaOf(snapshot, text.areaId, small) : undefined;
    // Built field by field (not by spreading) so a field added to StoredText never leaks by accident.
    return {
      id: text.id,
      surveyId: text.surveyId,
      ...(areaId === undefined ? {} : { areaId }),
      questionId: text.questionId,
      text: text.text,
      receivedAt: new Date(policy.publicReceivedAt(Date.parse(text.receivedAt))).toISOString(),
    };
  };
}

/** The area a text may name: its own (or "unassigned" for one the survey does not define), unless that area is small. */
function publicAreaOf(snapshot: SurveySnapshot, areaKey: string, small: Set<string>): string | undefined {
  const areaId = snapshot.areas.some((area) => area.id === areaKey) ? areaKey : UNASSIGNED_AREA_ID;
  return small.has(areaId) ? undefined : areaId;
}
