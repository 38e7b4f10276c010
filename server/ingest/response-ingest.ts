/**
 * The one ingest path every sender ends in: redact -> find survey -> count or keep unmatched
 * -> tell the live layer. Webhook adapters only verify and translate into ResponseData.
 */
import type { IngestStatus, ResponseData, Survey } from '../../shared/schemas.js';
import { UNASSIGNED_AREA_ID } from '../../shared/schemas.js';
import { redactAnswers } from '../privacy/redact.js';
import { applyTextFilter, type TextFilterMode } from '../privacy/text-filter.js';
import { isLate } from '../store/pace.js';
import type { CountedResponse, ResponseStore, StoredText } from '../store/response-store.js';
import { countResponse, withoutOutOfScaleValues } from './count-response.js';
import { InvalidInputError } from './errors.js';
import { surveyForKept } from './platforms/sources.js';

/** What the live layer needs to hear from ingest. */
export interface IngestListener {
  statsChanged(surveyId: string): void;
  textsCreated(texts: StoredText[]): void;
}

export interface ReplayResult {
  replayed: number;
  duplicate: number;
  /** Received after their survey's closesAt: kept as late, as the webhook would have, not counted. */
  late: number;
  stillUnmatched: number;
}

export interface IngestOptions {
  /** Told of every counted response (the live layer); none in tests that only count. */
  listener?: IngestListener;
  /** TEXT_MODERATION=hold: texts are stored pending approval. */
  holdTexts?: boolean;
  /** TEXT_FILTER: insults masked, or held for approval. */
  textFilter?: TextFilterMode;
  /** MIN_GROUP_SIZE: index values are published after this many new answers (default 1). */
  indexStep?: number;
  /** Told when keeping an unmatched response dropped older ones (UNMATCHED_LIMIT). */
  unmatchedDropped?: (dropped: number) => void;
  now?: () => number;
}

export class ResponseIngest {
  private readonly listener: IngestListener | undefined;

  constructor(
    private readonly store: ResponseStore,
    private readonly options: IngestOptions = {},
  ) {
    this.listener = options.listener;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Derives the response's aggregates; with moderation, its texts start out pending. */
  private count(survey: Survey, data: ResponseData, receivedAt: number): CountedResponse {
    const counted = countResponse(survey, data, receivedAt, this.options.indexStep);
    if (this.options.holdTexts) for (const text of counted.texts) text.status = 'pending';
    applyTextFilter(counted.texts, this.options.textFilter ?? 'off');
    return counted;
  }

  /**
   * Counts one response. Resolves only once the store holds it; throws InvalidInputError for a
   * response the survey cannot take and StoreUnavailableError when the store is unreachable.
   */
  async ingest(data: ResponseData, receivedAt = this.now()): Promise<IngestStatus> {
    // Redact before anything is kept anywhere. Only answers to the survey's text questions are kept
    // (and so redacted); for an unmatched response those are not known yet, so every text is.
    const survey = await this.store.getSurvey(data.surveyId);
    if (!survey) {
      const kept = await this.store.keepUnmatched({ data: redactAnswers(data), receivedAt: new Date(receivedAt).toISOString() });
      if (kept.dropped > 0) this.options.unmatchedDropped?.(kept.dropped);
      return kept.status;
    }
    const redacted = redactAnswers(data, survey);
    if (isLate(survey, receivedAt)) {
      // Checked against the index scales now, so a reopening never meets a response it cannot count.
      this.count(survey, redacted, receivedAt);
      const kept = await this.store.keepLate({
        data: redacted,
        receivedAt: new Date(receivedAt).toISOString(),
        areaKey: redacted.areaId ?? UNASSIGNED_AREA_ID,
      });
      if (kept === 'late') this.listener?.statsChanged(survey.id);
      return kept;
    }
    const counted = this.count(survey, redacted, receivedAt);
    const outcome = await this.store.recordResponse(counted);
    if (outcome === 'accepted') {
      this.listener?.statsChanged(survey.id);
      if (counted.texts.length > 0) this.listener?.textsCreated(counted.texts);
    }
    return outcome;
  }

  /**
   * Counts the survey's kept late responses when its closesAt has moved past them (a reopening),
   * each exactly once: recordResponse deduplicates by response id, so a replay interrupted
   * between counting and forgetting, or run twice, counts nothing twice.
   */
  async replayLate(surveyId: string): Promise<{ replayed: number; stillLate: number }> {
    const result = { replayed: 0, stillLate: 0 };
    const survey = await this.store.getSurvey(surveyId);
    if (!survey) return result;
    for (const kept of await this.store.listLate(surveyId)) {
      const receivedAt = Date.parse(kept.receivedAt);
      if (isLate(survey, receivedAt)) {
        result.stillLate += 1;
        continue;
      }
      let counted: CountedResponse;
      try {
        counted = this.count(survey, kept.data, receivedAt);
      } catch (error) {
        // The survey's indexes changed since and cannot take it: it stays kept, for the admin to see.
        if (error instanceof InvalidInputError) {
          result.stillLate += 1;
          continue;
        }
        throw error;
      }
      if ((await this.store.recordResponse(counted)) === 'accepted') {
        result.replayed += 1;
        if (counted.texts.length > 0) this.listener?.textsCreated(counted.texts);
      }
      await this.store.removeLate(surveyId, kept.data.responseId);
    }
    if (result.replayed > 0) this.listener?.statsChanged(surveyId);
    return result;
  }

  /** Counts every kept response whose survey now exists. */
  async replayUnmatched(): Promise<ReplayResult> {
    const result: ReplayResult = { replayed: 0, duplicate: 0, late: 0, stillUnmatched: 0 };
    for (const kept of await this.store.listUnmatched()) {
      // A platform response is kept under its platform id until a survey's sources name it.
      const survey = await surveyForKept(this.store, kept.data.surveyId);
      if (!survey) {
        result.stillUnmatched += 1;
        continue;
      }
      let counted: CountedResponse;
      const receivedAt = Date.parse(kept.receivedAt);
      try {
        // A platform's response, kept under its platform id, is counted as its route would have.
        const data = kept.data.surveyId === survey.id ? kept.data : withoutOutOfScaleValues(survey, kept.data);
        counted = this.count(survey, data, receivedAt);
        // It arrived after the survey closed: kept as late, exactly as ingest() would have then.
        if (isLate(survey, receivedAt)) {
          const outcome = await this.store.keepLate({ data: { ...data, surveyId: survey.id }, receivedAt: kept.receivedAt, areaKey: counted.areaKey });
          if (outcome === 'late') {
            result.late += 1;
            this.listener?.statsChanged(survey.id);
          } else result.duplicate += 1;
          await this.store.removeUnmatched(kept.data.surveyId, kept.data.responseId);
          continue;
        }
      } catch (error) {
        // A kept response the survey's indexes cannot take stays kept for the admin to see.
        if (error instanceof InvalidInputError) {
          result.stillUnmatched += 1;
          continue;
        }
        throw error;
      }
      if ((await this.store.recordResponse(counted)) === 'accepted') {
        result.replayed += 1;
        this.listener?.statsChanged(survey.id);
        if (counted.texts.length > 0) this.listener?.textsCreated(counted.texts);
      } else result.duplicate += 1;
      await this.store.removeUnmatched(kept.data.surveyId, kept.data.responseId);
    }
    return result;
  }
}
