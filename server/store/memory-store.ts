/**
 * The embedded default store: everything in this process, gone at exit. Good for a first run,
 * a demo and one instance; it passes the same contract suite as the Redis store.
 */
import { EventEmitter } from 'node:events';
import type { ResponseData, SourcePlatform, Survey, SurveyEvent } from '../../shared/schemas.js';
import { type AuditEntry, type AuditFilter, auditMatches, byNewestToken, type SessionRecord, type TokenRecord } from './admin-records.js';
import {
  AREA_HOURS_KEPT_MS,
  addTo,
  assertRecordable,
  byEventTime,
  type CountedResponse,
  DEFAULT_UNMATCHED_LIMIT,
  DEFAULT_UNMATCHED_TTL_MS,
  DISTRIBUTION_HISTORY_LIMIT,
  type DistributionRecord,
  emptyCounts,
  emptyIndexSum,
  frozenSurvey,
  type ImportedDayCount,
  indexSumOf,
  type KeepUnmatchedResult,
  type LateResponse,
  mergePending,
  publishIndexStep,
  type RecordOutcome,
  type ResponseStore,
  type StoredText,
  type SurveyCounts,
  surveyWithSource,
  type TextChange,
  type TextMatch,
  type UnmatchedBounds,
  type UnmatchedResponse,
} from './response-store.js';
import {
  exportCounts,
  exportDistribution,
  exportHourly,
  exportImported,
  importCounts,
  importDistribution,
  importHourly,
  importImported,
  type SurveyExport,
} from './survey-export.js';

const MINUTE_WINDOW_MS = 61 * 60_000;

interface SurveyData {
  seen: Set<string>;
  counts: SurveyCounts;
  texts: StoredText[];
  /** Late responses kept, by response id. */
  late: Map<string, LateResponse>;
  /** Reminder rounds, by event id. */
  events: Map<string, SurveyEvent>;
  /** areaKey -> hour start -> responses, the survey's whole life (hourlyByArea). */
  hourly: Map<string, Map<number, number>>;
  /** Hand-out figures, oldest first. */
  distribution: DistributionRecord[];
  /** Imported earlier-campaign counts: date -> areaKey -> responses. */
  imported: Map<string, Map<string, number>>;
}

export interface MemoryStoreOptions extends UnmatchedBounds {
  /** Free-text answers kept per survey (newest win). */
  textLimit?: number;
}

export class MemoryStore implements ResponseStore {
  readonly kind = 'memory' as const;
  private readonly surveys = new Map<string, Survey>();
  private readonly data = new Map<string, SurveyData>();
  /** In the order kept (oldest first), each with the time (epoch ms) it expires. */
  private readonly unmatched = new Map<string, { response: UnmatchedResponse; expiresAt: number }>();
  /** Pending platform responses and remembered deliveries, each with the time (epoch ms) it expires. */
  private readonly pendingResponses = new Map<string, { data: ResponseData; expiresAt: number }>();
  private readonly deliveries = new Map<string, number>();
  private nextSweepAt = 0;
  private readonly changes = new EventEmitter();
  private readonly textLimit: number;
  private readonly unmatchedLimit: number;
  private readonly unmatchedTtlMs: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.textLimit = options.textLimit ?? 500;
    this.unmatchedLimit = options.unmatchedLimit ?? DEFAULT_UNMATCHED_LIMIT;
    this.unmatchedTtlMs = options.unmatchedTtlMs ?? DEFAULT_UNMATCHED_TTL_MS;
  }

  private dataOf(surveyId: string): SurveyData {
    let entry = this.data.get(surveyId);
    if (!entry) {
      entry = {
        seen: new Set(),
        counts: emptyCounts(),
        texts: [],
        late: new Map(),
        events: new Map(),
        hourly: new Map(),
        distribution: [],
        imported: new Map(),
      };
      this.data.set(surveyId, entry);
    }
    return entry;
  }

  async putSurvey(survey: Survey): Promise<void> {
    this.surveys.set(survey.id, frozenSurvey(survey));
    this.changes.emit('change', survey.id);
  }

  async getSurvey(surveyId: string): Promise<Survey | undefined> {
    return this.surveys.get(surveyId);
  }

  async listSurveys(): Promise<Survey[]> {
    return [...this.surveys.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async deleteSurvey(surveyId: string): Promise<boolean> {
    const existed = this.surveys.delete(surveyId);
    this.data.delete(surveyId);
    if (existed) this.changes.emit('change', surveyId);
    return existed;
  }

  onSurveyChange(listener: (surveyId: string) => void): void {
    this.changes.on('change', listener);
  }

  async findSurveyBySource(platform: SourcePlatform, externalId: string): Promise<Survey | undefined> {
    return surveyWithSource(this.surveys.values(), platform, externalId);
  }

  async recordResponse(response: CountedResponse): Promise<RecordOutcome> {
    // Checked before anything changes, and marked seen only once counted: a response refused
    // half-way would otherwise be "duplicate" on every retry and never counted.
    assertRecordable(response);
    const entry = this.dataOf(response.surveyId);
    if (entry.seen.has(response.responseId)) return 'duplicate';
    const c = entry.counts;
    c.responses += 1;
    addTo(c.byArea, response.areaKey);
    addTo(c.byChannel, response.channel);
    addTo(c.byHour, response.hour);
    if (response.minute !== undefined) {
      addTo(c.byMinute, response.minute);
      const cutoff = response.receivedAt - MINUTE_WINDOW_MS;
      for (const minute of c.byMinute.keys()) if (minute < cutoff) c.byMinute.delete(minute);
    }
    for (const { indexId, value } of response.indexValues) {
      publishIndexStep(indexSumOf(c, indexId, response.areaKey), value, response.indexStep);
      let whole = c.surveyIndexSums.get(indexId);
      if (!whole) {
        whole = emptyIndexSum();
        c.surveyIndexSums.set(indexId, whole);
      }
      publishIndexStep(whole, value, response.indexStep);
    }
    c.lastReceivedAt = Math.max(c.lastReceivedAt, response.receivedAt);
    countByArea(c, response);
    addTo(nestedCounter(entry.hourly, response.areaKey), response.hour);
    if (response.texts.length > 0) {
      entry.texts.unshift(...[...response.texts].reverse().map((text) => ({ ...text })));
      entry.texts.length = Math.min(entry.texts.length, this.textLimit);
    }
    entry.seen.add(response.responseId);
    return 'accepted';
  }

  async getCounts(surveyId: string): Promise<SurveyCounts> {
    return structuredClone(this.data.get(surveyId)?.counts ?? emptyCounts());
  }

  async hourlyByArea(surveyId: string): Promise<Map<string, Map<number, number>> | undefined> {
    if (!this.surveys.has(surveyId)) return undefined;
    return structuredClone(this.data.get(surveyId)?.hourly ?? new Map());
  }

  async recordDistribution(surveyId: string, record: DistributionRecord): Promise<void> {
    const { distribution } = this.dataOf(surveyId);
    distribution.push(structuredClone(record));
    if (distribution.length > DISTRIBUTION_HISTORY_LIMIT) distribution.splice(0, distribution.length - DISTRIBUTION_HISTORY_LIMIT);
  }

  async distributionHistory(surveyId: string): Promise<DistributionRecord[]> {
    return structuredClone(this.data.get(surveyId)?.distribution ?? []);
  }

  async importHistory(surveyId: string, counts: ImportedDayCount[]): Promise<number> {
    const entry = this.dataOf(surveyId);
    const delta = new Map<string, number>();
    for (const { date } of counts) {
      for (const [areaKey, n] of entry.imported.get(date) ?? []) addTo(delta, areaKey, -n);
      entry.imported.delete(date);
    }
    for (const { date, areaKey, responses } of counts) {
      if (responses === 0) continue;
      addTo(nestedCounter(entry.imported, date), areaKey, responses);
      addTo(delta, areaKey, responses);
    }
    let total = 0;
    for (const [areaKey, n] of delta) {
      if (n === 0) continue;
      addTo(entry.counts.byArea, areaKey, n);
      total += n;
    }
    entry.counts.responses += total;
    this.changes.emit('change', surveyId);
    return total;
  }

  async importedByDay(surveyId: string): Promise<Map<string, Map<string, number>>> {
    return structuredClone(this.data.get(surveyId)?.imported ?? new Map());
  }

  async editTexts(surveyId: string, match: TextMatch, change: TextChange): Promise<StoredText[]> {
    const entry = this.data.get(surveyId);
    if (!entry) return [];
    const matched = entry.texts.filter((text) => textMatches(text, match));
    const before = matched.map((text) => ({ ...text }));
    if (change === 'delete') entry.texts = entry.texts.filter((text) => !matched.includes(text));
    else if (change === 'hide-area') for (const text of matched) text.areaHidden = true;
    else for (const text of matched) if (text.status === 'pending') text.status = 'approved';
    return before;
  }

  async latestTexts(surveyId: string, limit: number): Promise<StoredText[]> {
    return (this.data.get(surveyId)?.texts ?? []).slice(0, limit).map((text) => ({ ...text }));
  }

  async keepUnmatched(response: UnmatchedResponse): Promise<KeepUnmatchedResult> {
    this.sweepExpired();
    const key = unmatchedKey(response.data.surveyId, response.data.responseId);
    const kept = this.unmatched.get(key);
    if (kept && kept.expiresAt > Date.now()) return { status: 'duplicate', dropped: 0 };
    this.unmatched.delete(key);
    this.unmatched.set(key, { response: structuredClone(response), expiresAt: Date.parse(response.receivedAt) + this.unmatchedTtlMs });
    let dropped = 0;
    // A Map iterates in insertion order: the first keys are the oldest kept.
    for (const oldest of this.unmatched.keys()) {
      if (this.unmatched.size <= this.unmatchedLimit) break;
      this.unmatched.delete(oldest);
      dropped += 1;
    }
    return { status: 'unmatched', dropped };
  }

  async listUnmatched(): Promise<UnmatchedResponse[]> {
    const now = Date.now();
    return [...this.unmatched.values()].filter((kept) => kept.expiresAt > now).map((kept) => structuredClone(kept.response));
  }

  async removeUnmatched(surveyId: string, responseId: string): Promise<void> {
    this.unmatched.delete(unmatchedKey(surveyId, responseId));
  }

  async keepLate(response: LateResponse): Promise<'late' | 'duplicate'> {
    const entry = this.dataOf(response.data.surveyId);
    const { responseId } = response.data;
    if (entry.seen.has(responseId) || entry.late.has(responseId)) return 'duplicate';
    entry.late.set(responseId, structuredClone(response));
    entry.counts.late += 1;
    addTo(entry.counts.lateByArea, response.areaKey);
    return 'late';
  }

  async listLate(surveyId: string): Promise<LateResponse[]> {
    return [...(this.data.get(surveyId)?.late.values() ?? [])].map((response) => structuredClone(response));
  }

  async removeLate(surveyId: string, responseId: string): Promise<void> {
    const entry = this.data.get(surveyId);
    const kept = entry?.late.get(responseId);
    if (!entry || !kept) return;
    entry.late.delete(responseId);
    entry.counts.late -= 1;
    addTo(entry.counts.lateByArea, kept.areaKey, -1);
    if (entry.counts.lateByArea.get(kept.areaKey) === 0) entry.counts.lateByArea.delete(kept.areaKey);
  }

  async keepPending(data: ResponseData, ttlMs: number): Promise<'kept' | 'counted'> {
    if (this.data.get(data.surveyId)?.seen.has(data.responseId)) return 'counted';
    const key = unmatchedKey(data.surveyId, data.responseId);
    const kept = this.livePending(key);
    this.pendingResponses.set(key, { data: structuredClone(kept ? mergePending(kept, data) : data), expiresAt: Date.now() + ttlMs });
    this.sweepExpired();
    return 'kept';
  }

  async getPending(surveyId: string, responseId: string): Promise<ResponseData | undefined> {
    const kept = this.livePending(unmatchedKey(surveyId, responseId));
    return kept && structuredClone(kept);
  }

  async removePending(surveyId: string, responseId: string): Promise<void> {
    this.pendingResponses.delete(unmatchedKey(surveyId, responseId));
  }

  async hasDelivery(key: string): Promise<boolean> {
    const expiresAt = this.deliveries.get(key);
    return expiresAt !== undefined && expiresAt > Date.now();
  }

  async rememberDelivery(key: string, ttlMs: number): Promise<void> {
    this.deliveries.set(key, Date.now() + ttlMs);
    this.sweepExpired();
  }

  private livePending(key: string): ResponseData | undefined {
    const kept = this.pendingResponses.get(key);
    if (kept && kept.expiresAt <= Date.now()) {
      this.pendingResponses.delete(key);
      return undefined;
    }
    return kept?.data;
  }

  /** Drops expired entries at most once a minute, so abandoned responses do not pile up. */
  private sweepExpired(): void {
    const now = Date.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 60_000;
    for (const [key, kept] of this.pendingResponses) if (kept.expiresAt <= now) this.pendingResponses.delete(key);
    for (const [key, expiresAt] of this.deliveries) if (expiresAt <= now) this.deliveries.delete(key);
    for (const [key, kept] of this.unmatched) if (kept.expiresAt <= now) this.unmatched.delete(key);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    // Check and set without an await between them: that is what makes it atomic here.
    const claim = `claim:${key}`;
    const expiresAt = this.deliveries.get(claim);
    if (expiresAt !== undefined && expiresAt > Date.now()) return false;
    this.deliveries.set(claim, Date.now() + ttlMs);
    return true;
  }

  async addEvent(surveyId: string, event: SurveyEvent, limit: number): Promise<boolean> {
    const entry = this.dataOf(surveyId);
    if (entry.events.size >= limit && !entry.events.has(event.id)) return false;
    entry.events.set(event.id, structuredClone(event));
    this.changes.emit('change', surveyId);
    return true;
  }

  async listEvents(surveyId: string): Promise<SurveyEvent[]> {
    return [...(this.data.get(surveyId)?.events.values() ?? [])].map((event) => structuredClone(event)).sort(byEventTime);
  }

  async deleteEvent(surveyId: string, eventId: string): Promise<boolean> {
    const deleted = this.data.get(surveyId)?.events.delete(eventId) ?? false;
    if (deleted) this.changes.emit('change', surveyId);
    return deleted;
  }

  async exportSurvey(surveyId: string): Promise<SurveyExport | undefined> {
    const survey = this.surveys.get(surveyId);
    if (!survey) return undefined;
    const entry = this.data.get(surveyId);
    return {
      survey: structuredClone(survey),
      counts: exportCounts(entry?.counts ?? emptyCounts()),
      texts: (entry?.texts ?? []).map((text) => ({ ...text })),
      responseIds: [...(entry?.seen ?? [])],
      late: [...(entry?.late.values() ?? [])].map((kept) => structuredClone(kept)),
      events: await this.listEvents(surveyId),
      hourlyByArea: exportHourly(entry?.hourly ?? new Map()),
      distributionHistory: exportDistribution(entry?.distribution ?? []),
      importedByDay: exportImported(entry?.imported ?? new Map()),
    };
  }

  async importSurvey(entry: SurveyExport, { replace = false } = {}): Promise<'imported' | 'exists'> {
    const { survey } = entry;
    if (this.surveys.has(survey.id) && !replace) return 'exists';
    this.surveys.set(survey.id, frozenSurvey(survey));
    this.data.set(survey.id, {
      seen: new Set(entry.responseIds),
      counts: importCounts(entry.counts),
      texts: entry.texts.slice(0, this.textLimit).map((text) => ({ ...text })),
      late: new Map((entry.late ?? []).map((kept) => [kept.data.responseId, structuredClone(kept)])),
      events: new Map((entry.events ?? []).map((event) => [event.id, structuredClone(event)])),
      hourly: importHourly(entry.hourlyByArea ?? []),
      distribution: importDistribution(entry.distributionHistory ?? []),
      imported: importImported(entry.importedByDay ?? []),
    });
    this.changes.emit('change', survey.id);
    return 'imported';
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.changes.removeAllListeners();
  }

  // ---- Admin: read-token registry, audit log, sessions (see admin-records.ts) ----

  private readonly tokens = new Map<string, TokenRecord>();
  private audit: AuditEntry[] = [];
  private readonly sessions = new Map<string, { session: SessionRecord; expiresAt: number }>();

  private liveToken(id: string): TokenRecord | undefined {
    const token = this.tokens.get(id);
    if (token && Date.parse(token.expiresAt) <= Date.now()) {
      this.tokens.delete(id);
      return undefined;
    }
    return token;
  }

  async recordToken(token: TokenRecord): Promise<void> {
    this.tokens.set(token.id, structuredClone(token));
  }

  async getToken(id: string): Promise<TokenRecord | undefined> {
    const token = this.liveToken(id);
    return token && structuredClone(token);
  }

  async listTokens(surveyId?: string): Promise<TokenRecord[]> {
    return [...this.tokens.keys()]
      .map((id) => this.liveToken(id))
      .filter((token): token is TokenRecord => token !== undefined && (surveyId === undefined || token.surveyId === surveyId))
      .map((token) => structuredClone(token))
      .sort(byNewestToken);
  }

  async revokeToken(id: string, at: string): Promise<TokenRecord | undefined> {
    const token = this.liveToken(id);
    if (!token) return undefined;
    token.revokedAt ??= at;
    this.changes.emit('token-revoked', structuredClone(token));
    return structuredClone(token);
  }

  onTokenRevoked(listener: (token: TokenRecord) => void): void {
    this.changes.on('token-revoked', listener);
  }

  async recordAudit(entry: AuditEntry, retentionMs: number): Promise<void> {
    const cutoff = new Date(Date.now() - retentionMs).toISOString();
    this.audit = this.audit.filter((kept) => kept.at >= cutoff);
    this.audit.push(structuredClone(entry));
    // Kept oldest first, whatever order entries came in.
    this.audit.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    for (let i = this.audit.length - 1; i >= 0 && found.length < filter.limit; i--) {
      const entry = this.audit[i] as AuditEntry;
      if (auditMatches(entry, filter)) found.push(structuredClone(entry));
    }
    return found;
  }

  async putSession(id: string, session: SessionRecord, ttlMs: number): Promise<void> {
    const now = Date.now();
    for (const [key, kept] of this.sessions) if (kept.expiresAt <= now) this.sessions.delete(key);
    this.sessions.set(id, { session: { ...session }, expiresAt: now + ttlMs });
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const kept = this.sessions.get(id);
    if (!kept || kept.expiresAt <= Date.now()) return undefined;
    return { ...kept.session };
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }
}

/** The inner counter under key, created on first use. */
function nestedCounter<K>(outer: Map<string, Map<K, number>>, key: string): Map<K, number> {
  const inner = outer.get(key) ?? new Map<K, number>();
  outer.set(key, inner);
  return inner;
}

/** Per-area channel counts and the per-area hours the pace reads (the last AREA_HOURS_KEPT_MS only). */
function countByArea(c: SurveyCounts, response: CountedResponse): void {
  const channels = c.byAreaChannel.get(response.areaKey) ?? new Map<string, number>();
  c.byAreaChannel.set(response.areaKey, channels);
  addTo(channels, response.channel);
  const cutoff = response.receivedAt - AREA_HOURS_KEPT_MS;
  if (response.hour < cutoff) return;
  const hours = c.byAreaHour.get(response.areaKey) ?? new Map<number, number>();
  c.byAreaHour.set(response.areaKey, hours);
  addTo(hours, response.hour);
  for (const perArea of c.byAreaHour.values()) for (const hour of perArea.keys()) if (hour < cutoff) perArea.delete(hour);
}

export function textMatches(text: StoredText, match: TextMatch): boolean {
  if ('id' in match) return text.id === match.id;
  if ('responseId' in match) return text.responseId === match.responseId;
  return text.receivedAt < match.receivedBefore;
}

export const unmatchedKey = (surveyId: string, responseId: string) => `${surveyId}\n${responseId}`;
