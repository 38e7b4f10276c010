/**
 * What admins and the retention sweep do to stored free text: approve or reject held answers,
 * delete a shown one, erase one respondent's answers, drop answers past retention. Every
 * removal of an answer widgets may have shown is pushed as `text:removed` at once. Counts never change.
 */
import type { Logger } from 'pino';
import type { TextFeed } from '../live/text-feed.js';
import type { ResponseStore, StoredText } from '../store/response-store.js';

export class TextAdmin {
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ResponseStore,
    private readonly feed: TextFeed,
    private readonly log: Logger,
    private readonly retentionMs: number,
  ) {}

  /** Answers waiting for approval, newest first. */
  async pending(surveyId: string, limit: number): Promise<StoredText[]> {
    return (await this.store.latestTexts(surveyId, limit)).filter((text) => text.status === 'pending');
  }

  /** Approves an answer; undefined when no survey has it. */
  async approve(textId: string): Promise<StoredText | undefined> {
    const [before] = await this.editAnywhere(textId, 'approve');
    if (!before) return undefined;
    const approved: StoredText = { ...before, status: 'approved' };
    if (before.status === 'pending') this.feed.textApproved(approved);
    return approved;
  }

  /** Deletes an answer (a rejection, or taking down a shown one); undefined when no survey has it. */
  async remove(textId: string): Promise<StoredText | undefined> {
    const [before] = await this.editAnywhere(textId, 'delete');
    if (before) this.feed.textRemoved(before, this.feed.isVisible(before));
    return before;
  }

  /**
   * Deletes a survey with its counts and texts; feeds still showing its texts drop them
   * (`text:removed`). False when the survey did not exist.
   */
  async deleteSurvey(surveyId: string): Promise<boolean> {
    // Read first: once deleted, nothing says which answers the feeds were showing. The list is
    // capped at TEXT_LIMIT, so "all of them" is bounded.
    const texts = await this.store.latestTexts(surveyId, Number.MAX_SAFE_INTEGER);
    if (!(await this.store.deleteSurvey(surveyId))) return false;
    for (const text of texts) this.feed.textRemoved(text, this.feed.isVisible(text));
    return true;
  }

  /** Erases every free-text answer of one response, wherever it is kept (GDPR erasure). */
  async eraseResponse(surveyId: string, responseId: string): Promise<{ removedTexts: number; removedUnmatched: boolean }> {
    const removed = await this.store.editTexts(surveyId, { responseId }, 'delete');
    for (const text of removed) this.feed.textRemoved(text, this.feed.isVisible(text));
    const unmatched = (await this.store.listUnmatched()).some((kept) => kept.data.surveyId === surveyId && kept.data.responseId === responseId);
    if (unmatched) await this.store.removeUnmatched(surveyId, responseId);
    await this.store.removePending(surveyId, responseId);
    // The response id, never the text: the log must not become a copy of what was erased.
    this.log.info({ surveyId, responseId, removedTexts: removed.length, removedUnmatched: unmatched }, "erased a response's free text");
    return { removedTexts: removed.length, removedUnmatched: unmatched };
  }

  /** Drops free text older than the retention period; counts stay. */
  async sweepExpired(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.retentionMs).toISOString();
    let removed = 0;
    for (const survey of await this.store.listSurveys()) {
      const expired = await this.store.editTexts(survey.id, { receivedBefore: cutoff }, 'delete');
      for (const text of expired) this.feed.textRemoved(text, this.feed.isVisible(text));
      removed += expired.length;
    }
    // Unmatched responses keep their counts-to-be, but not their words, past retention.
    for (const kept of await this.store.listUnmatched()) {
      if (kept.receivedAt >= cutoff || !kept.data.answers.some((answer) => answer.text !== undefined)) continue;
      await this.store.removeUnmatched(kept.data.surveyId, kept.data.responseId);
      await this.store.keepUnmatched({ ...kept, data: { ...kept.data, answers: kept.data.answers.map(({ text: _text, ...answer }) => answer) } });
      removed += 1;
    }
    if (removed > 0) this.log.info({ removed }, 'dropped free text past TEXT_RETENTION_DAYS');
    return removed;
  }

  /** Sweeps now and then every hour. */
  startSweeping(everyMs = 3_600_000): void {
    const sweep = () => this.sweepExpired().catch((error) => this.log.warn({ err: error }, 'retention sweep failed; will retry'));
    void sweep();
    this.sweepTimer = setInterval(sweep, everyMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    clearInterval(this.sweepTimer);
  }

  private async editAnywhere(textId: string, change: 'approve' | 'delete'): Promise<StoredText[]> {
    for (const survey of await this.store.listSurveys()) {
      const matched = await this.store.editTexts(survey.id, { id: textId }, change);
      if (matched.length > 0) return matched;
    }
    return [];
  }
}
