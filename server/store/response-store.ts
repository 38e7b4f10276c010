/**
 * The one store interface. Two implementations (memory-store.ts, redis-store.ts) pass the
 * same contract suite (test/server/store/contract.ts). The store keeps raw counters; the
 * snapshot is derived from them and the survey definition in snapshot.ts, so changing a
 * survey's `distributed` changes every rate without touching the counters.
 */
import type { ResponseData, SourcePlatform, Survey, SurveyEvent } from '../../shared/schemas.js';
import type { SurveyExport } from './survey-export.js';

/** A response ready to be counted: everything derived from the survey is computed by ingest. */
export interface CountedResponse {
  surveyId: string;
  responseId: string;
  /** The sender's areaId as given, or UNASSIGNED_AREA_ID; mapped to the survey's areas when read. */
  areaKey: string;
  channel: string;
  /** Start of the hour (epoch ms) the response belongs to on the timeline. */
  hour: number;
  /** Start of the minute (epoch ms) for the last-hour view; undefined when older than an hour. */
  minute: number | undefined;
  /** When the response arrived (epoch ms). */
  receivedAt: number;
  /** Per-response index values on 0–100, for the indexes this response answered. */
  indexValues: { indexId: string; value: number }[];
  /**
   * MIN_GROUP_SIZE: an index value is published again only after this many more responses
   * answered it (per area and for the survey; see publishIndexStep).
   */
  indexStep: number;
  /** Redacted free-text answers to store. */
  texts: StoredText[];
}

/** A free-text answer as kept in the store: admins may see its response id, widgets never. */
export interface StoredText {
  id: string;
  surveyId: string;
  areaId: string;
  questionId: string;
  text: string;
  receivedAt: string;
  responseId: string;
  /** With TEXT_MODERATION=hold, 'pending' until an admin approves it; absent means shown. */
  status?: 'pending' | 'approved';
  /** Its area had fewer than MIN_GROUP_SIZE responses when it arrived: never shown with its area. */
  areaHidden?: boolean;
}

export type TextChange = 'approve' | 'hide-area' | 'delete';

/** Which stored texts an edit applies to. */
export type TextMatch = { id: string } | { responseId: string } | { receivedBefore: string };

/** A response whose survey was not defined when it arrived, kept until replayed. */
export interface UnmatchedResponse {
  data: ResponseData;
  receivedAt: string;
}

/**
 * One index's running sum over the responses that answered it, and the sum and count last
 * published: only those reach a snapshot (see publishIndexStep).
 */
export interface KeepUnmatchedResult {
  status: 'unmatched' | 'duplicate';
  /** Older kept responses dropped to stay within the limit. */
  dropped: number;
}

/** Bounds of the kept unmatched responses (UNMATCHED_LIMIT, UNMATCHED_TTL_DAYS). */
export interface UnmatchedBounds {
  /** At most this many are kept; the oldest go first. */
  unmatchedLimit?: number;
  /** Each is kept this long after its receivedAt. */
  unmatchedTtlMs?: number;
}

export const DEFAULT_UNMATCHED_LIMIT = 10_000;
export const DEFAULT_UNMATCHED_TTL_MS = 30 * 86_400_000;

export interface IndexSum {
  sum: number;
  n: number;
  publishedSum: number;
  publishedN: number;
}

/**
 * Raw counters of one survey; snapshot.ts turns them into a SurveySnapshot. Area ids come from
 * senders (a platform's hidden field: respondents choose them), so every id-keyed counter is a
 * Map: an id such as `constructor` or `toString` is data, never a property of an object.
 */
export interface SurveyCounts {
  responses: number;
  byArea: Map<string, number>;
  byChannel: Map<string, number>;
  /** Hour start (epoch ms) -> responses. */
  byHour: Map<number, number>;
  /** Minute start (epoch ms) -> responses; may hold minutes older than an hour. */
  byMinute: Map<number, number>;
  /** indexId -> areaKey -> sum and count of per-response values. */
  indexSums: Map<string, Map<string, IndexSum>>;
  /** indexId -> the same over the whole survey, published in steps of its own. */
  surveyIndexSums: Map<string, IndexSum>;
  /** Newest receivedAt counted (epoch ms), 0 when none. */
  lastReceivedAt: number;
  /** areaKey -> channel -> responses. */
  byAreaChannel: Map<string, Map<string, number>>;
  /** areaKey -> hour start (epoch ms) -> responses; only the last AREA_HOURS_KEPT_MS (per-area pace). */
  byAreaHour: Map<string, Map<number, number>>;
  /** Responses kept as late (received after closesAt), and by areaKey. */
  late: number;
  lateByArea: Map<string, number>;
}

/** The hand-out figures (area id -> distributed) in force from `at` (ISO) on. */
export interface DistributionRecord {
  at: string;
  areas: Map<string, number>;
}

/** At most this many hand-out records are kept per survey; the oldest go first. */
export const DISTRIBUTION_HISTORY_LIMIT = 500;

/** One day's responses in one area of an imported earlier campaign. */
export interface ImportedDayCount {
  /** YYYY-MM-DD, a calendar day in TIMEZONE. */
  date: string;
  areaKey: string;
  responses: number;
}

/** Whether two hand-out figures differ (an area added, removed or changed). */
export function distributionDiffers(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return true;
  for (const [id, n] of a) if (b.get(id) !== n) return true;
  return false;
}

/** A survey's hand-out figures as a DistributionRecord's areas. */
export const distributionOf = (survey: Pick<Survey, 'areas'>): Map<string, number> => new Map(survey.areas.map((area) => [area.id, area.distributed]));

/** Per-area hour buckets are kept this long: the pace looks back 72 hours. */
export const AREA_HOURS_KEPT_MS = 73 * 3_600_000;

/** A response received after its survey closed: kept, counted in `late`, replayed on reopening. */
export interface LateResponse {
  data: ResponseData;
  receivedAt: string;
  /** The area it is counted under in `late` (as CountedResponse.areaKey). */
  areaKey: string;
}

export type RecordOutcome = 'accepted' | 'duplicate';

export interface ResponseStore {
  /** Which implementation, for logs and /readyz. */
  readonly kind: 'memory' | 'redis';

  putSurvey(survey: Survey): Promise<void>;
  /** Frozen (it is read on every webhook, so it is not copied): copy it before changing it. */
  getSurvey(surveyId: string): Promise<Survey | undefined>;
  listSurveys(): Promise<Survey[]>;
  /** Removes the survey with all its counts, texts and dedup keys. False when it did not exist. */
  deleteSurvey(surveyId: string): Promise<boolean>;
  /** Called (on every instance sharing the store) when a survey is created, changed or deleted. */
  onSurveyChange(listener: (surveyId: string) => void): void;
  /** The survey whose `sources` name this platform id, read from the same definitions getSurvey reads. */
  findSurveyBySource(platform: SourcePlatform, externalId: string): Promise<Survey | undefined>;

  /** Deduplicates by (surveyId, responseId) and updates every aggregate in one atomic step. */
  recordResponse(response: CountedResponse): Promise<RecordOutcome>;
  getCounts(surveyId: string): Promise<SurveyCounts>;
  /**
   * areaKey -> hour start (epoch ms) -> responses over the survey's whole life, never pruned.
   * Kept apart from SurveyCounts (whose byAreaHour keeps 73 hours for the pace) so that building
   * a snapshot never reads it; the daily series and reminder-round effects do. Undefined when
   * the survey is not defined.
   */
  hourlyByArea(surveyId: string): Promise<Map<string, Map<number, number>> | undefined>;
  /**
   * Remembers the hand-out figures (`distributed` per area) as they are from `record.at` on:
   * each change of them is recorded, so a day's response rate divides by the figures of that
   * day. The oldest go beyond DISTRIBUTION_HISTORY_LIMIT records.
   */
  recordDistribution(surveyId: string, record: DistributionRecord): Promise<void>;
  /** The recorded hand-out figures, oldest first. */
  distributionHistory(surveyId: string): Promise<DistributionRecord[]>;
  /**
   * Counts of an earlier campaign imported by day (POST …/history), atomically: the imported
   * counts of every date named are replaced by these (an area left out of a named date goes to
   * 0), and the difference is added to the survey's `responses` and per-area counts.
   * Listeners of onSurveyChange hear of it. Returns the change in `responses`.
   */
  importHistory(surveyId: string, counts: ImportedDayCount[]): Promise<number>;
  /** The imported counts: date (YYYY-MM-DD) -> areaKey -> responses. */
  importedByDay(surveyId: string): Promise<Map<string, Map<string, number>>>;
  /** Newest first. */
  latestTexts(surveyId: string, limit: number): Promise<StoredText[]>;
  /**
   * Approves (moderation), marks as shown without area (small groups) or deletes (rejection,
   * erasure, retention) a survey's stored texts that match, atomically; returns them as they
   * were before the change. Counts never change.
   */
  editTexts(surveyId: string, match: TextMatch, change: TextChange): Promise<StoredText[]>;

  /**
   * Keeps a response for a survey not defined yet; 'duplicate' when already kept. At most the
   * store's unmatchedLimit are kept: beyond it the oldest are dropped (`dropped` says how many),
   * and each is kept unmatchedTtlMs after its receivedAt.
   */
  keepUnmatched(response: UnmatchedResponse): Promise<KeepUnmatchedResult>;
  /** The kept responses that have not expired, oldest first. */
  listUnmatched(): Promise<UnmatchedResponse[]>;
  removeUnmatched(surveyId: string, responseId: string): Promise<void>;

  /**
   * Keeps a response that arrived after its survey closed, per survey, and counts it in `late`
   * under its areaKey; 'duplicate' when already kept or already counted.
   */
  keepLate(response: LateResponse): Promise<'late' | 'duplicate'>;
  /** The survey's kept late responses. */
  listLate(surveyId: string): Promise<LateResponse[]>;
  /** Forgets a kept late response and takes it out of `late` (it was counted, or is a duplicate). */
  removeLate(surveyId: string, responseId: string): Promise<void>;

  /**
   * Keeps a platform's response that does not count yet (e.g. a Formbricks response not finished),
   * merged into what is kept for the same (surveyId, responseId): answers by question id, and
   * areaId, channel and submittedAt when given, the later replacing the earlier. Kept for ttlMs
   * after the last merge. 'counted' (and nothing kept) when that response is already counted.
   */
  keepPending(data: ResponseData, ttlMs: number): Promise<'kept' | 'counted'>;
  /** The pending response merged so far, or undefined. */
  getPending(surveyId: string, responseId: string): Promise<ResponseData | undefined>;
  removePending(surveyId: string, responseId: string): Promise<void>;

  /** Whether a platform delivery (e.g. a Typeform event_id) was remembered and has not expired. */
  hasDelivery(key: string): Promise<boolean>;
  /** Remembers a delivery for ttlMs, so a redelivery within that time is known as one. */
  rememberDelivery(key: string, ttlMs: number): Promise<void>;

  /** True for exactly one caller per key within ttlMs, across every instance sharing the store. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;

  /**
   * Keeps a reminder round (server/store/survey-events.ts makes and checks it) unless the survey
   * has `limit` already: false then, with nothing changed. Listeners of onSurveyChange hear of it,
   * on every instance, so widgets get the new markers at once.
   */
  addEvent(surveyId: string, event: SurveyEvent, limit: number): Promise<boolean>;
  /** The survey's reminder rounds, oldest first (by `at`, then id). */
  listEvents(surveyId: string): Promise<SurveyEvent[]>;
  /** Forgets a reminder round; false when the survey has none of that id. Listeners hear of it. */
  deleteEvent(surveyId: string, eventId: string): Promise<boolean>;

  /**
   * The survey's full state for a backup (survey-export.ts): definition, counters, kept texts with
   * their state, and every counted response id. Undefined when the survey is not defined.
   */
  exportSurvey(surveyId: string): Promise<SurveyExport | undefined>;
  /**
   * Loads an exported survey as it was: exportSurvey of the same id then returns the same state
   * (texts beyond this store's text limit are dropped, oldest first). 'exists', with nothing
   * changed, when a survey of that id is defined, unless `replace` (then everything it had is
   * dropped first). Listeners of onSurveyChange hear of it.
   */
  importSurvey(entry: SurveyExport, options?: { replace?: boolean }): Promise<'imported' | 'exists'>;

  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // ---- Admin: read-token registry, audit log, sign-in sessions (store/admin-records.ts) ----

  /** Records a minted read token (never the token itself), kept until its expiry. */
  recordToken(token: TokenRecord): Promise<void>;
  /** The token's record, undefined when unknown or expired. */
  getToken(id: string): Promise<TokenRecord | undefined>;
  /** Unexpired tokens, newest first; of one survey when given. */
  listTokens(surveyId?: string): Promise<TokenRecord[]>;
  /**
   * Marks a token revoked (a second revocation keeps the first time) and tells every instance
   * sharing the store (onTokenRevoked). The record as it is now, or undefined when unknown or expired.
   */
  revokeToken(id: string, at: string): Promise<TokenRecord | undefined>;
  /** Called on every instance when a token is revoked (and again, for safety, after the store reconnects). */
  onTokenRevoked(listener: (token: TokenRecord) => void): void;

  /** Appends an audit entry and drops the ones older than retentionMs. */
  recordAudit(entry: AuditEntry, retentionMs: number): Promise<void>;
  /** Newest first, at most `limit`, filtered by survey and action when given. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;

  /** Keeps a sign-in session (or a sign-in under way) for ttlMs; `id` is already a hash of the cookie. */
  putSession(id: string, session: SessionRecord, ttlMs: number): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
}

export type { AuditEntry, AuditFilter, SessionRecord, TokenRecord } from './admin-records.js';

import type { AuditEntry, AuditFilter, SessionRecord, TokenRecord } from './admin-records.js';

/** Thrown by a store that cannot be reached; ingest answers 503 with Retry-After. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The response store is unreachable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

export function emptyCounts(): SurveyCounts {
  return {
    responses: 0,
    byArea: new Map(),
    byChannel: new Map(),
    byHour: new Map(),
    byMinute: new Map(),
    indexSums: new Map(),
    surveyIndexSums: new Map(),
    lastReceivedAt: 0,
    byAreaChannel: new Map(),
    byAreaHour: new Map(),
    late: 0,
    lateByArea: new Map(),
  };
}

/** The survey among `surveys` whose sources name this platform id. */
export function surveyWithSource(surveys: Iterable<Survey>, platform: SourcePlatform, externalId: string): Survey | undefined {
  for (const survey of surveys) {
    // Definitions stored before sources existed have none.
    if ((survey.sources ?? []).some((source) => source.platform === platform && source.externalId === externalId)) return survey;
  }
  return undefined;
}

/** Merges a later part of a pending response into the earlier one (see ResponseStore.keepPending). */
export function mergePending(earlier: ResponseData, later: ResponseData): ResponseData {
  const answers = new Map(earlier.answers.map((answer) => [answer.questionId, answer]));
  for (const answer of later.answers) answers.set(answer.questionId, answer);
  const areaId = later.areaId ?? earlier.areaId;
  const channel = later.channel ?? earlier.channel;
  const submittedAt = later.submittedAt ?? earlier.submittedAt;
  return {
    responseId: later.responseId,
    surveyId: later.surveyId,
    ...(areaId === undefined ? {} : { areaId }),
    ...(channel === undefined ? {} : { channel }),
    ...(submittedAt === undefined ? {} : { submittedAt }),
    answers: [...answers.values()],
  };
}

/** A deep-frozen copy: a survey shared by every reader, that none can change by accident. */
export function frozenSurvey(survey: Survey): Survey {
  const freeze = <T>(value: T): T => {
    if (value && typeof value === 'object') {
      for (const child of Object.values(value)) freeze(child);
      Object.freeze(value);
    }
    return value;
  };
  return freeze(structuredClone(survey));
}

/** The running index sum of one area, created on first use. */
export function indexSumOf(counts: SurveyCounts, indexId: string, areaKey: string): IndexSum {
  let perArea = counts.indexSums.get(indexId);
  if (!perArea) {
    perArea = new Map();
    counts.indexSums.set(indexId, perArea);
  }
  let sum = perArea.get(areaKey);
  if (!sum) {
    sum = emptyIndexSum();
    perArea.set(areaKey, sum);
  }
  return sum;
}

export const emptyIndexSum = (): IndexSum => ({ sum: 0, n: 0, publishedSum: 0, publishedN: 0 });

/**
 * Adds one response's index value and publishes the running mean only once `step` responses
 * (MIN_GROUP_SIZE) answered since the last publication. A value that moved with every response
 * would give that one response's answer to anyone comparing two snapshots; in steps, a change
 * blends at least `step` answers. record-responses.lua applies the same rule inside Redis.
 */
export function publishIndexStep(sum: IndexSum, value: number, step: number): void {
  sum.sum += value;
  sum.n += 1;
  if (sum.n >= sum.publishedN + step) {
    sum.publishedSum = sum.sum;
    sum.publishedN = sum.n;
  }
}

/** Reminder rounds oldest first: by `at` (ISO, compared as times), then by id. */
export function byEventTime(a: SurveyEvent, b: SurveyEvent): number {
  return Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Adds `by` to a counter of a Map, starting from 0. */
export function addTo<K>(counters: Map<K, number>, key: K, by = 1): void {
  counters.set(key, (counters.get(key) ?? 0) + by);
}

/**
 * Throws for a response no store can count (an index value that is not a finite number, a
 * step below 1): what record-responses.lua refuses with -1, checked before anything is written.
 */
export function assertRecordable(response: CountedResponse): void {
  const bad = !Number.isInteger(response.indexStep) || response.indexStep < 1 || response.indexValues.some(({ value }) => !Number.isFinite(value));
  if (bad) throw new InvalidRecordError(response.responseId);
}

/** A response with values no store can count: a programming error upstream, never stored. */
export class InvalidRecordError extends Error {
  constructor(responseId: string) {
    super(`Response "${responseId}" has index values or an index step the store cannot count`);
    this.name = 'InvalidRecordError';
  }
}
