/**
 * The Redis store (package `redis`): what several instances share. Every response is counted
 * by one Lua script call that deduplicates and updates all aggregates atomically; calls made in
 * the same event-loop turn go to Redis as one batch per survey, which halves Redis CPU under load.
 *
 * It runs on one Redis server or on a Redis Cluster (REDIS_URL=redis-cluster://…, see
 * redis-connection.ts). For a cluster every script, MULTI and multi-key command touches one hash
 * slot: the keys of one survey share the hash tag {<surveyId>}, the token registry the tag
 * {tokens}, the unmatched responses the tag {unmatched}; every other key is used alone.
 *
 * Keys (all under REDIS_PREFIX):
 *   surveys                hash  surveyId -> survey JSON
 *   surveys:changed        pub/sub channel, payload surveyId (sharded pub/sub on a cluster)
 *   surveys:applied        pub/sub channel, payload surveyId: an instance has applied a change (see announceChange)
 *   layout                 string the key layout's version (KEY_LAYOUT); older layouts are renamed at connect
 *   s:{<id>}:seen          set   response ids counted (deduplication)
 *   s:{<id>}:counts        hash  total, area:<id>, channel:<c>, hour:<ms>, last, index:<i>:<area>:sum|n|psum|pn
 *                                and sindex:<i>:sum|n|psum|pn (running and published index sums, per area and survey)
 *   s:{<id>}:recent        hash  minute start (ms) -> responses, last hour only
 *   s:{<id>}:texts         list  stored text JSON, newest first, capped
 *   {unmatched}            hash  "<surveyId>\n<responseId>" -> JSON
 *   {unmatched}:expiry     zset  the same fields, scored by when they expire (receivedAt + UNMATCHED_TTL_DAYS):
 *                                expired ones are dropped, and the lowest go first beyond UNMATCHED_LIMIT
 *   s:{<id>}:pending:<resp> hash a platform's response not counted yet: surveyId, responseId, areaId,
 *                                channel, submittedAt, a:<questionId> -> answer JSON; expires
 *   delivery:<key>         string a platform delivery seen (e.g. typeform:<event_id>); expires
 *   claim:<key>            string a job claimed by one instance; expires
 *   s:{<id>}:counts        (also) areachannel:<area>:<channel>, late, latearea:<area>
 *   s:{<id>}:areahours     hash  <area>:<hour ms> -> responses, last 73 hours; "pruned" -> hour pruned up to
 *   s:{<id>}:late          hash  responseId -> late response JSON (received after closesAt)
 *   s:{<id>}:events        hash  eventId -> reminder round JSON (SurveyEvent), at most MAX_EVENTS_PER_SURVEY
 *   s:{<id>}:hourly        hash  <area>:<hour ms> -> responses, the survey's whole life (hourlyByArea; not read by snapshots)
 *   s:{<id>}:distribution  list  hand-out figures JSON { at, areas: [[id, distributed]] }, oldest first, capped
 *   s:{<id>}:imported      hash  <date YYYY-MM-DD>:<area> -> responses of an imported earlier campaign (also in counts)
 *   {tokens}:<jti>         string a read token's record (JSON); expires with the token
 *   {tokens}:<jti>:revoked string when it was revoked (ISO); expires with the token
 *   {tokens}               zset  jti by expiry (ms), to list the registry
 *   tokens:revoked         pub/sub channel, payload the revoked token's record (JSON)
 *   audit                  zset  audit entry JSON by time (ms); older than the retention trimmed on write
 *   session:<hash>         string a sign-in session (JSON); expires
 *
 * Layout 1 (before hash tags: s:<id>:<name>, token:<jti>, tokens, unmatched, unmatched:expiry) is
 * renamed to the above when a store connects to a single Redis server (migrateKeyLayout).
 */
import { readFileSync } from 'node:fs';
import type { RedisClientType } from 'redis';
import type { Answer, ResponseData, SourcePlatform, Survey, SurveyEvent } from '../../shared/schemas.js';
import { type AuditEntry, type AuditFilter, auditMatches, byNewestToken, type SessionRecord, type TokenRecord } from './admin-records.js';
import { unmatchedKey } from './memory-store.js';
import { closeRedisConnection, createRedisConnection, isClusterUrl } from './redis-connection.js';
import {
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
  type IndexSum,
  InvalidRecordError,
  indexSumOf,
  type KeepUnmatchedResult,
  type LateResponse,
  type RecordOutcome,
  type ResponseStore,
  type StoredText,
  StoreUnavailableError,
  type SurveyCounts,
  surveyWithSource,
  type TextChange,
  type TextMatch,
  type UnmatchedBounds,
  type UnmatchedResponse,
} from './response-store.js';
import { type ExportedDistribution, exportCounts, exportDistribution, exportHourly, importDistribution, type SurveyExport } from './survey-export.js';

/** The key layout written by this version (see the top of this file); kept under `<prefix>layout`. */
export const KEY_LAYOUT = '2';

/** A key of one survey. All share the hash tag {surveyId}: one script or MULTI may touch them together on a cluster. */
export function surveyKey(prefix: string, surveyId: string, name: string): string {
  return `${prefix}s:{${surveyId}}:${name}`;
}

/** A key of the read-token registry (tag {tokens}): the registry's zset alone, or one token's record. */
export function tokenKey(prefix: string, tokenId?: string, revoked = false): string {
  return `${prefix}{tokens}${tokenId === undefined ? '' : `:${tokenId}`}${revoked ? ':revoked' : ''}`;
}

/** The unmatched responses' hash, or its expiry zset (tag {unmatched}). */
export function unmatchedStoreKey(prefix: string, which: 'responses' | 'expiry'): string {
  return `${prefix}{unmatched}${which === 'expiry' ? ':expiry' : ''}`;
}

/** Names the record script reads from KEYS, in order. */
const RECORD_KEYS = ['seen', 'counts', 'recent', 'texts', 'areahours', 'hourly'] as const;
/** Every key of a survey's data besides its pending responses: what deleting (or replacing on import) a survey removes. */
const SURVEY_DATA_KEYS = ['seen', 'counts', 'recent', 'texts', 'late', 'areahours', 'hourly', 'distribution', 'imported', 'events'] as const;

const EDIT_TEXTS_SCRIPT = readFileSync(new URL('./edit-texts.lua', import.meta.url), 'utf8');
const RECORD_SCRIPT = readFileSync(new URL('./record-responses.lua', import.meta.url), 'utf8');

/**
 * Merges one part of a pending response, unless that response is already counted.
 * KEYS: the survey's seen set, the pending hash. ARGV: responseId, ttl (ms), then field/value pairs.
 */
const KEEP_PENDING_SCRIPT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/**
 * Keeps a late response unless it is counted or kept already, and counts it in `late`.
 * KEYS: seen set, late hash, counts hash. ARGV: responseId, JSON, areaKey.
 */
const KEEP_LATE_SCRIPT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[3], 'late', 1)
redis.call('HINCRBY', KEYS[3], 'latearea:' .. ARGV[3], 1)
return 1`;

/**
 * Replaces the imported counts of the dates named and adds the difference to the counters.
 * KEYS: imported hash, counts hash. ARGV: JSON array of dates, JSON array of [date, area, "n"].
 * Returns the change in the total.
 */
const IMPORT_HISTORY_SCRIPT = `
local named = {}
for _, date in ipairs(cjson.decode(ARGV[1])) do named[date] = true end
local delta, order = {}, {}
local function add(area, n)
  if not delta[area] then delta[area] = 0; order[#order + 1] = area end
  delta[area] = delta[area] + n
end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local date, area = string.match(all[i], '^([^:]+):(.+)$')
  if date and named[date] then
    add(area, -tonumber(all[i + 1]))
    redis.call('HDEL', KEYS[1], all[i])
  end
end
for _, row in ipairs(cjson.decode(ARGV[2])) do
  local n = tonumber(row[3])
  if n > 0 then
    redis.call('HINCRBY', KEYS[1], row[1] .. ':' .. row[2], n)
    add(row[2], n)
  end
end
local total = 0
for _, area in ipairs(order) do
  if delta[area] ~= 0 then
    redis.call('HINCRBY', KEYS[2], 'area:' .. area, delta[area])
    total = total + delta[area]
  end
end
if total ~= 0 then redis.call('HINCRBY', KEYS[2], 'total', total) end
return total`;

/** Forgets a kept late response and takes it out of `late`. KEYS: late hash, counts hash. ARGV: responseId. */
const REMOVE_LATE_SCRIPT = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local field = 'latearea:' .. cjson.decode(json).areaKey
redis.call('HINCRBY', KEYS[2], 'late', -1)
if redis.call('HINCRBY', KEYS[2], field, -1) <= 0 then redis.call('HDEL', KEYS[2], field) end
return 1`;

/**
 * Keeps a reminder round unless the survey has `limit` already (one of the same id is replaced).
 * KEYS: the survey's events hash. ARGV: eventId, JSON, limit.
 */
const ADD_EVENT_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/**
 * Drops expired unmatched responses. KEYS: the unmatched hash, its expiry zset. ARGV: now (ms).
 * Shared by the two scripts below.
 */
const DROP_EXPIRED_UNMATCHED = `
local function drop(fields)
  for first = 1, #fields, 500 do
    local last = math.min(first + 499, #fields)
    redis.call('HDEL', KEYS[1], unpack(fields, first, last))
    redis.call('ZREM', KEYS[2], unpack(fields, first, last))
  end
end
drop(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1]))`;

/**
 * Keeps an unmatched response within the limit. KEYS: the unmatched hash, its expiry zset.
 * ARGV: now, field, JSON, expires at (ms), limit. Returns { 1 kept | 0 duplicate, dropped }.
 */
const KEEP_UNMATCHED_SCRIPT = `${DROP_EXPIRED_UNMATCHED}
if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 0 then return { 0, 0 } end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if over <= 0 then return { 1, 0 } end
local oldest = {}
for i, entry in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do oldest[i] = entry end
drop(oldest)
return { 1, over }`;

/** Lists the unexpired unmatched responses, oldest first. KEYS and ARGV as DROP_EXPIRED_UNMATCHED. */
const LIST_UNMATCHED_SCRIPT = `${DROP_EXPIRED_UNMATCHED}
local fields = redis.call('ZRANGE', KEYS[2], 0, -1)
local listed = {}
for first = 1, #fields, 500 do
  for _, json in ipairs(redis.call('HMGET', KEYS[1], unpack(fields, first, math.min(first + 499, #fields)))) do
    if json then listed[#listed + 1] = json end
  end
end
-- Kept before expiry existed: no score, listed after the others.
if redis.call('HLEN', KEYS[1]) > #listed then
  local scored = {}
  for _, field in ipairs(fields) do scored[field] = true end
  for _, entry in ipairs(redis.call('HKEYS', KEYS[1])) do
    if not scored[entry] then listed[#listed + 1] = redis.call('HGET', KEYS[1], entry) end
  end
end
return listed`;

export interface RedisStoreOptions extends UnmatchedBounds {
  /** redis:// or rediss:// for one server; redis-cluster://host:port,host:port for a cluster (see redis-connection.ts). */
  url: string;
  /** Prepended to every key, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  /** Free-text answers kept per survey (newest win). */
  textLimit?: number;
  /** How long free text is kept; counts are kept regardless. */
  textRetentionMs?: number;
  /** A command taking longer than this fails as "store unreachable" (the sender retries; dedup makes that safe). */
  commandTimeoutMs?: number;
}

interface PendingRecord {
  item: string;
  surveyId: string;
  responseId: string;
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

type Client = RedisClientType;

export class RedisStore implements ResponseStore {
  readonly kind = 'redis' as const;
  private readonly client: Client;
  private readonly subscriber: Client;
  private readonly prefix: string;
  /** On a Redis Cluster: store channels use sharded pub/sub, whose reply counts every subscriber. */
  private readonly cluster: boolean;
  private readonly textLimit: number;
  private readonly textRetentionMs: number;
  private readonly commandTimeoutMs: number;
  private readonly unmatchedLimit: number;
  private readonly unmatchedTtlMs: number;
  private scriptSha = '';
  /** Survey definitions, read on every webhook: kept here and refreshed through pub/sub. */
  private readonly surveyCache = new Map<string, Survey>();
  private readonly listeners: ((surveyId: string) => void)[] = [];
  /** Admin writes of this instance waiting for every instance to apply them (announceChange). */
  private readonly changeWaiters = new Set<{ surveyId: string; applied: () => void }>();
  private pending: PendingRecord[] = [];
  private flushScheduled = false;
  /** Keys of the earlier layout renamed when this store connected (migrateKeyLayout); main.ts logs them. */
  renamedKeys = 0;
  /** Until connect() succeeds, a failed connection attempt fails connect() instead of being retried forever. */
  private connected = false;

  private constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix;
    this.cluster = isClusterUrl(options.url);
    this.textLimit = options.textLimit ?? 500;
    this.textRetentionMs = options.textRetentionMs ?? 90 * 86_400_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 2000;
    this.unmatchedLimit = options.unmatchedLimit ?? DEFAULT_UNMATCHED_LIMIT;
    this.unmatchedTtlMs = options.unmatchedTtlMs ?? DEFAULT_UNMATCHED_TTL_MS;
    this.client = createRedisConnection(options.url, {
      // Fail fast while disconnected instead of queueing: a webhook gets 503 and is retried.
      disableOfflineQueue: true,
      // call() enforces commandTimeoutMs; node-redis's own default (5 s) costs an AbortSignal.timeout
      // per command, ~17 us of CPU each even when the reply comes at once (see bench/).
      commandOptions: { timeout: 0 },
      socket: { reconnectStrategy: (retries, cause) => (this.connected ? Math.min(50 * 2 ** retries, 2000) : cause), connectTimeout: 5000 },
    });
    this.subscriber = this.client.duplicate() as Client;
    // Errors surface through failed commands and /readyz; without listeners they would crash the process.
    this.client.on('error', () => {});
    this.subscriber.on('error', () => {});
  }

  /** Connects, loads the script and the survey definitions. Rejects when Redis cannot be reached. */
  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(options);
    try {
      await store.client.connect();
      await store.subscriber.connect();
      store.scriptSha = await store.client.scriptLoad(RECORD_SCRIPT);
      if (!store.cluster) store.renamedKeys = await migrateKeyLayout(store.client, store.prefix);
      await store.subscribe(store.key('surveys:changed'), (surveyId) => void store.refreshSurvey(surveyId));
      await store.subscribe(store.key('surveys:applied'), (surveyId) => store.changeApplied(surveyId));
      // Messages published while the subscriber was away are lost: reload everything on reconnect.
      // The reload reads through the other connection, so whichever of the two is back last
      // triggers the reload that succeeds; a failed one is not an unhandled rejection.
      const reload = () => void store.reloadSurveys().catch(() => {});
      store.subscriber.on(store.readyEvent, reload);
      store.client.on(store.readyEvent, reload);
      await store.reloadSurveys();
      await store.subscribe(store.key('tokens:revoked'), (json) => store.tokenRevoked(JSON.parse(json) as TokenRecord));
      // A revocation published while the subscriber was away is announced again once it is back.
      store.subscriber.on(store.readyEvent, () => void store.announceRevoked().catch(() => {}));
      store.connected = true;
    } catch (error) {
      await store.close();
      throw new StoreUnavailableError(error);
    }
    return store;
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  private surveyKey(surveyId: string, name: string): string {
    return surveyKey(this.prefix, surveyId, name);
  }

  /** A connection (or, on a cluster, a node's connection) is ready again after an outage. */
  private get readyEvent(): string {
    return this.cluster ? 'node-ready' : 'ready';
  }

  /**
   * A store channel. On a cluster, sharded pub/sub (Redis 7): plain PUBLISH counts only the
   * subscribers of the node it reached, and announceChange waits for that many confirmations.
   */
  private async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    await (this.cluster ? this.subscriber.sSubscribe(channel, listener) : this.subscriber.subscribe(channel, listener));
  }

  private publish(channel: string, message: string): Promise<number> {
    return this.call(() => (this.cluster ? this.client.sPublish(channel, message) : this.client.publish(channel, message)));
  }

  /** Runs a command, turning connection failures and timeouts into StoreUnavailableError. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        command(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs);
        }),
      ]);
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private async reloadSurveys(): Promise<void> {
    const all = await this.call(() => this.client.hGetAll(this.key('surveys')));
    const ids = new Set(Object.keys(all));
    for (const id of this.surveyCache.keys()) if (!ids.has(id)) this.surveyCache.delete(id);
    for (const [id, json] of Object.entries(all)) this.surveyCache.set(id, frozenSurvey(JSON.parse(json) as Survey));
  }

  private async refreshSurvey(surveyId: string): Promise<void> {
    try {
      const json = await this.call(() => this.client.hGet(this.key('surveys'), surveyId));
      if (json) this.surveyCache.set(surveyId, frozenSurvey(JSON.parse(json) as Survey));
      else this.surveyCache.delete(surveyId);
    } catch {
      // The next reconnect reloads every survey.
    }
    for (const listener of this.listeners) listener(surveyId);
    // Tells the instance that made the change (announceChange) that this one shows it now.
    await this.publish(this.key('surveys:applied'), surveyId).catch(() => {});
  }

  private changeApplied(surveyId: string): void {
    for (const waiter of this.changeWaiters) if (waiter.surveyId === surveyId) waiter.applied();
  }

  /**
   * Publishes a change of a survey and waits until every instance subscribed (this one
   * included) has reloaded the definition and told its listeners: only then does the admin
   * write answer, so the next read on any instance shows it. An instance that does not confirm
   * (an older version, or one stuck) is waited for at most commandTimeoutMs.
   */
  private async announceChange(surveyId: string): Promise<void> {
    let applied = 0;
    let expected = Number.POSITIVE_INFINITY;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const waiter = {
      surveyId,
      applied: () => {
        applied += 1;
        if (applied >= expected) done();
      },
    };
    this.changeWaiters.add(waiter);
    const timer = setTimeout(done, this.commandTimeoutMs);
    try {
      expected = Number(await this.publish(this.key('surveys:changed'), surveyId));
      if (applied >= expected) done();
      await finished;
    } finally {
      clearTimeout(timer);
      this.changeWaiters.delete(waiter);
    }
  }

  async putSurvey(survey: Survey): Promise<void> {
    await this.call(() => this.client.hSet(this.key('surveys'), survey.id, JSON.stringify(survey)));
    this.surveyCache.set(survey.id, frozenSurvey(survey));
    await this.announceChange(survey.id);
  }

  async getSurvey(surveyId: string): Promise<Survey | undefined> {
    return this.surveyCache.get(surveyId);
  }

  async listSurveys(): Promise<Survey[]> {
    const all = await this.call(() => this.client.hGetAll(this.key('surveys')));
    return Object.values(all)
      .map((json) => JSON.parse(json) as Survey)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async deleteSurvey(surveyId: string): Promise<boolean> {
    // Two steps (the definition lives in a global hash, the data in the survey's slot): the
    // definition goes first, so no instance counts into data being deleted for long; the data
    // is deleted even when the definition was gone already, so a retried delete finishes.
    const removed = await this.call(() => this.client.hDel(this.key('surveys'), surveyId));
    await this.call(() => this.client.del(SURVEY_DATA_KEYS.map((name) => this.surveyKey(surveyId, name))));
    this.surveyCache.delete(surveyId);
    const existed = Number(removed) > 0;
    if (existed) await this.announceChange(surveyId);
    return existed;
  }

  onSurveyChange(listener: (surveyId: string) => void): void {
    this.listeners.push(listener);
  }

  async findSurveyBySource(platform: SourcePlatform, externalId: string): Promise<Survey | undefined> {
    return surveyWithSource(this.surveyCache.values(), platform, externalId);
  }

  recordResponse(response: CountedResponse): Promise<RecordOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item: toScriptItem(response), surveyId: response.surveyId, responseId: response.responseId, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushRecords());
      }
    });
  }

  /** Sends every response recorded in this event-loop turn: one script call per survey (one hash slot each). */
  private flushRecords(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    const bySurvey = new Map<string, PendingRecord[]>();
    for (const record of batch) {
      const records = bySurvey.get(record.surveyId);
      if (records) records.push(record);
      else bySurvey.set(record.surveyId, [record]);
    }
    for (const [surveyId, records] of bySurvey) void this.flushSurvey(surveyId, records);
  }

  private async flushSurvey(surveyId: string, batch: PendingRecord[]): Promise<void> {
    const keys = RECORD_KEYS.map((name) => this.surveyKey(surveyId, name));
    const args = [String(this.textLimit), String(Math.round(this.textRetentionMs)), `[${batch.map((record) => record.item).join(',')}]`];
    try {
      const results = (await this.call(async () => {
        try {
          return await this.client.evalSha(this.scriptSha, { keys, arguments: args });
        } catch (error) {
          // Redis restarted without its script cache, or this cluster node never loaded it (EVAL caches it there).
          if (!String(error).includes('NOSCRIPT')) throw error;
          return await this.client.eval(RECORD_SCRIPT, { keys, arguments: args });
        }
      })) as number[];
      batch.forEach((record, i) => {
        if (results[i] === -1) record.reject(new InvalidRecordError(record.responseId));
        else record.resolve(results[i] === 1 ? 'accepted' : 'duplicate');
      });
    } catch (error) {
      for (const record of batch) record.reject(error);
    }
  }

  async getCounts(surveyId: string): Promise<SurveyCounts> {
    const [counts, recent, areaHours] = await this.call(() =>
      Promise.all([
        this.client.hGetAll(this.surveyKey(surveyId, 'counts')),
        this.client.hGetAll(this.surveyKey(surveyId, 'recent')),
        this.client.hGetAll(this.surveyKey(surveyId, 'areahours')),
      ]),
    );
    const result = emptyCounts();
    for (const [field, raw] of Object.entries(counts)) {
      const value = Number(raw);
      const [kind, ...rest] = field.split(':');
      if (kind === 'total') result.responses = value;
      else if (kind === 'last') result.lastReceivedAt = value;
      else if (kind === 'area') result.byArea.set(rest[0] ?? '', value);
      else if (kind === 'channel') result.byChannel.set(rest[0] ?? '', value);
      else if (kind === 'hour') result.byHour.set(Number(rest[0]), value);
      else if (kind === 'late') result.late = value;
      else if (kind === 'latearea') result.lateByArea.set(rest[0] ?? '', value);
      else if (kind === 'areachannel') nested(result.byAreaChannel, rest[0] ?? '').set(rest[1] ?? '', value);
      else if (kind === 'index') {
        // index:<indexId>:<areaKey>:sum|n|psum|pn (ids never contain ':').
        const [indexId = '', areaKey = '', which = ''] = rest;
        setIndexField(indexSumOf(result, indexId, areaKey), which, value);
      } else if (kind === 'sindex') {
        // sindex:<indexId>:sum|n|psum|pn: the whole survey's.
        const [indexId = '', which = ''] = rest;
        let whole = result.surveyIndexSums.get(indexId);
        if (!whole) {
          whole = emptyIndexSum();
          result.surveyIndexSums.set(indexId, whole);
        }
        setIndexField(whole, which, value);
      }
    }
    for (const [minute, raw] of Object.entries(recent)) result.byMinute.set(Number(minute), Number(raw));
    for (const [field, raw] of Object.entries(areaHours)) {
      const [areaKey = '', hour] = field.split(':');
      if (hour !== undefined) nested(result.byAreaHour, areaKey).set(Number(hour), Number(raw));
    }
    return result;
  }

  async hourlyByArea(surveyId: string): Promise<Map<string, Map<number, number>> | undefined> {
    if (!this.surveyCache.has(surveyId)) return undefined;
    return hourlyFromFields(await this.call(() => this.client.hGetAll(this.surveyKey(surveyId, 'hourly'))));
  }

  async recordDistribution(surveyId: string, record: DistributionRecord): Promise<void> {
    const key = this.surveyKey(surveyId, 'distribution');
    await this.call(() =>
      this.client
        .multi()
        .rPush(key, JSON.stringify(exportDistribution([record])[0]))
        .lTrim(key, -DISTRIBUTION_HISTORY_LIMIT, -1)
        .exec(),
    );
  }

  async distributionHistory(surveyId: string): Promise<DistributionRecord[]> {
    const all = await this.call(() => this.client.lRange(this.surveyKey(surveyId, 'distribution'), 0, -1));
    return importDistribution(all.map((json) => JSON.parse(json) as ExportedDistribution));
  }

  async importHistory(surveyId: string, counts: ImportedDayCount[]): Promise<number> {
    const dates = [...new Set(counts.map((count) => count.date))];
    const rows = counts.map(({ date, areaKey, responses }) => [date, areaKey, String(responses)]);
    const total = await this.call(() =>
      this.client.eval(IMPORT_HISTORY_SCRIPT, {
        keys: [this.surveyKey(surveyId, 'imported'), this.surveyKey(surveyId, 'counts')],
        arguments: [JSON.stringify(dates), JSON.stringify(rows)],
      }),
    );
    await this.announceChange(surveyId);
    return Number(total);
  }

  async importedByDay(surveyId: string): Promise<Map<string, Map<string, number>>> {
    const fields = await this.call(() => this.client.hGetAll(this.surveyKey(surveyId, 'imported')));
    const imported = new Map<string, Map<string, number>>();
    for (const [field, raw] of Object.entries(fields)) {
      const at = field.indexOf(':');
      if (at > 0) nested(imported, field.slice(0, at)).set(field.slice(at + 1), Number(raw));
    }
    return imported;
  }

  async editTexts(surveyId: string, match: TextMatch, change: TextChange): Promise<StoredText[]> {
    const [kind, value] = 'id' in match ? ['id', match.id] : 'responseId' in match ? ['response', match.responseId] : ['before', match.receivedBefore];
    const matched = (await this.call(() =>
      this.client.eval(EDIT_TEXTS_SCRIPT, { keys: [this.surveyKey(surveyId, 'texts')], arguments: [kind, value, change] }),
    )) as string[];
    return matched.map((json) => JSON.parse(json) as StoredText);
  }

  async latestTexts(surveyId: string, limit: number): Promise<StoredText[]> {
    const items = await this.call(() => this.client.lRange(this.surveyKey(surveyId, 'texts'), 0, limit - 1));
    return items.map((json) => JSON.parse(json) as StoredText);
  }

  async keepUnmatched(response: UnmatchedResponse): Promise<KeepUnmatchedResult> {
    const expiresAt = Date.parse(response.receivedAt) + this.unmatchedTtlMs;
    const [kept, dropped] = (await this.call(() =>
      this.client.eval(KEEP_UNMATCHED_SCRIPT, {
        keys: this.unmatchedKeys(),
        arguments: [
          String(Date.now()),
          unmatchedKey(response.data.surveyId, response.data.responseId),
          JSON.stringify(response),
          String(expiresAt),
          String(this.unmatchedLimit),
        ],
      }),
    )) as [number, number];
    return { status: Number(kept) === 1 ? 'unmatched' : 'duplicate', dropped: Number(dropped) };
  }

  async listUnmatched(): Promise<UnmatchedResponse[]> {
    const all = (await this.call(() => this.client.eval(LIST_UNMATCHED_SCRIPT, { keys: this.unmatchedKeys(), arguments: [String(Date.now())] }))) as string[];
    return all.map((json) => JSON.parse(json) as UnmatchedResponse);
  }

  async removeUnmatched(surveyId: string, responseId: string): Promise<void> {
    const field = unmatchedKey(surveyId, responseId);
    const [responses, expiry] = this.unmatchedKeys();
    await this.call(() => this.client.multi().hDel(responses, field).zRem(expiry, field).exec());
  }

  private unmatchedKeys(): [string, string] {
    return [unmatchedStoreKey(this.prefix, 'responses'), unmatchedStoreKey(this.prefix, 'expiry')];
  }

  async keepLate(response: LateResponse): Promise<'late' | 'duplicate'> {
    const { surveyId, responseId } = response.data;
    const kept = await this.call(() =>
      this.client.eval(KEEP_LATE_SCRIPT, {
        keys: [this.surveyKey(surveyId, 'seen'), this.surveyKey(surveyId, 'late'), this.surveyKey(surveyId, 'counts')],
        arguments: [responseId, JSON.stringify(response), response.areaKey],
      }),
    );
    return Number(kept) === 1 ? 'late' : 'duplicate';
  }

  async listLate(surveyId: string): Promise<LateResponse[]> {
    const all = await this.call(() => this.client.hVals(this.surveyKey(surveyId, 'late')));
    return all.map((json) => JSON.parse(json) as LateResponse);
  }

  async removeLate(surveyId: string, responseId: string): Promise<void> {
    await this.call(() =>
      this.client.eval(REMOVE_LATE_SCRIPT, { keys: [this.surveyKey(surveyId, 'late'), this.surveyKey(surveyId, 'counts')], arguments: [responseId] }),
    );
  }

  async keepPending(data: ResponseData, ttlMs: number): Promise<'kept' | 'counted'> {
    const fields = [
      ['surveyId', data.surveyId],
      ['responseId', data.responseId],
    ];
    if (data.areaId !== undefined) fields.push(['areaId', data.areaId]);
    if (data.channel !== undefined) fields.push(['channel', data.channel]);
    if (data.submittedAt !== undefined) fields.push(['submittedAt', data.submittedAt]);
    for (const answer of data.answers) fields.push([`a:${answer.questionId}`, JSON.stringify(answer)]);
    const kept = await this.call(() =>
      this.client.eval(KEEP_PENDING_SCRIPT, {
        keys: [this.surveyKey(data.surveyId, 'seen'), this.pendingKey(data.surveyId, data.responseId)],
        arguments: [data.responseId, String(Math.max(1, Math.round(ttlMs))), ...fields.flat()],
      }),
    );
    return Number(kept) === 1 ? 'kept' : 'counted';
  }

  async getPending(surveyId: string, responseId: string): Promise<ResponseData | undefined> {
    const fields = await this.call(() => this.client.hGetAll(this.pendingKey(surveyId, responseId)));
    if (!fields.surveyId || !fields.responseId) return undefined;
    const answers: Answer[] = [];
    for (const [field, json] of Object.entries(fields)) if (field.startsWith('a:')) answers.push(JSON.parse(json) as Answer);
    return {
      surveyId: fields.surveyId,
      responseId: fields.responseId,
      ...(fields.areaId === undefined ? {} : { areaId: fields.areaId }),
      ...(fields.channel === undefined ? {} : { channel: fields.channel }),
      ...(fields.submittedAt === undefined ? {} : { submittedAt: fields.submittedAt }),
      answers,
    };
  }

  async removePending(surveyId: string, responseId: string): Promise<void> {
    await this.call(() => this.client.del(this.pendingKey(surveyId, responseId)));
  }

  async hasDelivery(key: string): Promise<boolean> {
    return Number(await this.call(() => this.client.exists(this.key(`delivery:${key}`)))) === 1;
  }

  async rememberDelivery(key: string, ttlMs: number): Promise<void> {
    await this.call(() => this.client.set(this.key(`delivery:${key}`), '1', { expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) } }));
  }

  private pendingKey(surveyId: string, responseId: string): string {
    return this.surveyKey(surveyId, `pending:${responseId}`);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const set = await this.call(() =>
      this.client.set(this.key(`claim:${key}`), '1', { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) } }),
    );
    return set === 'OK';
  }

  async addEvent(surveyId: string, event: SurveyEvent, limit: number): Promise<boolean> {
    const added = await this.call(() =>
      this.client.eval(ADD_EVENT_SCRIPT, { keys: [this.surveyKey(surveyId, 'events')], arguments: [event.id, JSON.stringify(event), String(limit)] }),
    );
    if (Number(added) !== 1) return false;
    await this.announceChange(surveyId);
    return true;
  }

  async listEvents(surveyId: string): Promise<SurveyEvent[]> {
    const all = await this.call(() => this.client.hVals(this.surveyKey(surveyId, 'events')));
    return all.map((json) => JSON.parse(json) as SurveyEvent).sort(byEventTime);
  }

  async deleteEvent(surveyId: string, eventId: string): Promise<boolean> {
    const removed = await this.call(() => this.client.hDel(this.surveyKey(surveyId, 'events'), eventId));
    if (Number(removed) === 0) return false;
    await this.announceChange(surveyId);
    return true;
  }

  async exportSurvey(surveyId: string): Promise<SurveyExport | undefined> {
    const json = await this.call(() => this.client.hGet(this.key('surveys'), surveyId));
    if (!json) return undefined;
    // One MULTI: counters, texts and ids from the same moment.
    const [texts, ids, late, events, hourly, distribution, imported] = (await this.call(() =>
      this.client
        .multi()
        .lRange(this.surveyKey(surveyId, 'texts'), 0, -1)
        .sMembers(this.surveyKey(surveyId, 'seen'))
        .hVals(this.surveyKey(surveyId, 'late'))
        .hVals(this.surveyKey(surveyId, 'events'))
        .hGetAll(this.surveyKey(surveyId, 'hourly'))
        .lRange(this.surveyKey(surveyId, 'distribution'), 0, -1)
        .hGetAll(this.surveyKey(surveyId, 'imported'))
        .exec(),
    )) as unknown as [string[], string[], string[], string[], Record<string, string>, string[], Record<string, string>];
    return {
      survey: JSON.parse(json) as Survey,
      counts: exportCounts(await this.getCounts(surveyId)),
      texts: texts.map((text) => JSON.parse(text) as StoredText),
      responseIds: ids,
      late: late.map((kept) => JSON.parse(kept) as LateResponse),
      events: events.map((event) => JSON.parse(event) as SurveyEvent).sort(byEventTime),
      hourlyByArea: exportHourly(hourlyFromFields(hourly)),
      distributionHistory: distribution.map((json) => JSON.parse(json) as ExportedDistribution),
      importedByDay: Object.entries(imported)
        .map(([field, n]): [string, string, number] => [field.slice(0, field.indexOf(':')), field.slice(field.indexOf(':') + 1), Number(n)])
        .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1])),
    };
  }

  async importSurvey(entry: SurveyExport, { replace = false } = {}): Promise<'imported' | 'exists'> {
    const { survey, counts } = entry;
    const id = survey.id;
    if (!replace && (await this.call(() => this.client.hExists(this.key('surveys'), id)))) return 'exists';
    // The layout at the top of this file, the survey's data written in one MULTI so no reader sees half a survey.
    const fields: [string, string][] = [
      ['total', String(counts.responses)],
      ['last', String(counts.lastReceivedAt)],
      ...counts.byArea.map(([area, n]): [string, string] => [`area:${area}`, String(n)]),
      ...counts.byChannel.map(([channel, n]): [string, string] => [`channel:${channel}`, String(n)]),
      ...counts.byHour.map(([hour, n]): [string, string] => [`hour:${hour}`, String(n)]),
      ...counts.indexSums.flatMap(({ indexId, areaKey, sum, n, publishedSum, publishedN }): [string, string][] => [
        [`index:${indexId}:${areaKey}:sum`, String(sum)],
        [`index:${indexId}:${areaKey}:n`, String(n)],
        [`index:${indexId}:${areaKey}:psum`, String(publishedSum)],
        [`index:${indexId}:${areaKey}:pn`, String(publishedN)],
      ]),
      ...counts.surveyIndexSums.flatMap(({ indexId, sum, n, publishedSum, publishedN }): [string, string][] => [
        [`sindex:${indexId}:sum`, String(sum)],
        [`sindex:${indexId}:n`, String(n)],
        [`sindex:${indexId}:psum`, String(publishedSum)],
        [`sindex:${indexId}:pn`, String(publishedN)],
      ]),
      ...(counts.byAreaChannel ?? []).map(([area, channel, n]): [string, string] => [`areachannel:${area}:${channel}`, String(n)]),
      ...(counts.late ? [['late', String(counts.late)] as [string, string]] : []),
      ...(counts.lateByArea ?? []).map(([area, n]): [string, string] => [`latearea:${area}`, String(n)]),
    ];
    const keys = Object.fromEntries(SURVEY_DATA_KEYS.map((name) => [name, this.surveyKey(id, name)])) as Record<(typeof SURVEY_DATA_KEYS)[number], string>;
    const multi = this.client.multi().del(Object.values(keys)).hSet(keys.counts, fields);
    for (let i = 0; i < entry.responseIds.length; i += 10_000) multi.sAdd(keys.seen, entry.responseIds.slice(i, i + 10_000));
    if (counts.byMinute.length > 0)
      multi.hSet(
        keys.recent,
        counts.byMinute.map(([minute, n]): [string, string] => [String(minute), String(n)]),
      );
    const areaHours = (counts.byAreaHour ?? []).map(([area, hour, n]): [string, string] => [`${area}:${hour}`, String(n)]);
    if (areaHours.length > 0) multi.hSet(keys.areahours, areaHours);
    const hourly = (entry.hourlyByArea ?? []).map(([area, hour, n]): [string, string] => [`${area}:${hour}`, String(n)]);
    if (hourly.length > 0) multi.hSet(keys.hourly, hourly);
    const distribution = (entry.distributionHistory ?? []).map((record) => JSON.stringify(record));
    if (distribution.length > 0) multi.rPush(keys.distribution, distribution);
    const imported = (entry.importedByDay ?? []).map(([date, area, n]): [string, string] => [`${date}:${area}`, String(n)]);
    if (imported.length > 0) multi.hSet(keys.imported, imported);
    const late = (entry.late ?? []).map((kept): [string, string] => [kept.data.responseId, JSON.stringify(kept)]);
    if (late.length > 0) multi.hSet(keys.late, late);
    const events = (entry.events ?? []).map((event): [string, string] => [event.id, JSON.stringify(event)]);
    if (events.length > 0) multi.hSet(keys.events, events);
    const texts = entry.texts.slice(0, this.textLimit);
    if (texts.length > 0) {
      multi.rPush(
        keys.texts,
        texts.map((text) => JSON.stringify(text)),
      );
      multi.pExpire(keys.texts, Math.round(this.textRetentionMs));
    }
    await this.call(() => multi.exec());
    // The definition last (it lives in the global hash, another slot): the survey shows once its data is whole.
    await this.call(() => this.client.hSet(this.key('surveys'), id, JSON.stringify(survey)));
    this.surveyCache.set(id, frozenSurvey(survey));
    await this.publish(this.key('surveys:changed'), id);
    return 'imported';
  }

  async ping(): Promise<void> {
    await this.call(() => this.client.ping());
  }

  /** The connection the Socket.IO Redis adapter can duplicate. */
  get redisClient(): Client {
    return this.client;
  }

  async close(): Promise<void> {
    await Promise.allSettled([closeRedisConnection(this.client, this.commandTimeoutMs), closeRedisConnection(this.subscriber, this.commandTimeoutMs)]);
  }

  // ---- Admin: read-token registry, audit log, sessions (see admin-records.ts) ----

  private readonly revokedListeners: ((token: TokenRecord) => void)[] = [];

  private tokenRevoked(token: TokenRecord): void {
    for (const listener of this.revokedListeners) listener(token);
  }

  private async announceRevoked(): Promise<void> {
    for (const token of await this.listTokens()) if (token.revokedAt) this.tokenRevoked(token);
  }

  async recordToken(token: TokenRecord): Promise<void> {
    const expiresAt = Date.parse(token.expiresAt);
    await this.call(() =>
      this.client
        .multi()
        .set(tokenKey(this.prefix, token.id), JSON.stringify({ ...token, revokedAt: null }), { expiration: { type: 'PXAT', value: expiresAt } })
        .zAdd(tokenKey(this.prefix), { score: expiresAt, value: token.id })
        .zRemRangeByScore(tokenKey(this.prefix), '-inf', Date.now())
        .exec(),
    );
  }

  async getToken(id: string): Promise<TokenRecord | undefined> {
    const [json, revokedAt] = await this.call(() => this.client.mGet([tokenKey(this.prefix, id), tokenKey(this.prefix, id, true)]));
    if (!json) return undefined;
    return { ...(JSON.parse(json) as TokenRecord), revokedAt: revokedAt ?? null };
  }

  async listTokens(surveyId?: string): Promise<TokenRecord[]> {
    const ids = await this.call(() => this.client.zRangeByScore(tokenKey(this.prefix), Date.now(), '+inf'));
    if (ids.length === 0) return [];
    const values = await this.call(() => this.client.mGet(ids.flatMap((id) => [tokenKey(this.prefix, id), tokenKey(this.prefix, id, true)])));
    const tokens: TokenRecord[] = [];
    for (let i = 0; i < ids.length; i++) {
      const json = values[2 * i];
      if (!json) continue;
      const token = { ...(JSON.parse(json) as TokenRecord), revokedAt: values[2 * i + 1] ?? null };
      if (surveyId === undefined || token.surveyId === surveyId) tokens.push(token);
    }
    return tokens.sort(byNewestToken);
  }

  async revokeToken(id: string, at: string): Promise<TokenRecord | undefined> {
    const token = await this.getToken(id);
    if (!token) return undefined;
    // NX: a second revocation keeps the first time; it expires with the token.
    await this.call(() =>
      this.client.set(tokenKey(this.prefix, id, true), at, { condition: 'NX', expiration: { type: 'PXAT', value: Date.parse(token.expiresAt) } }),
    );
    const revoked = await this.getToken(id);
    if (!revoked) return undefined;
    await this.publish(this.key('tokens:revoked'), JSON.stringify(revoked));
    return revoked;
  }

  onTokenRevoked(listener: (token: TokenRecord) => void): void {
    this.revokedListeners.push(listener);
  }

  async recordAudit(entry: AuditEntry, retentionMs: number): Promise<void> {
    const at = Date.parse(entry.at);
    await this.call(() =>
      this.client
        .multi()
        .zAdd(this.key('audit'), { score: at, value: JSON.stringify(entry) })
        .zRemRangeByScore(this.key('audit'), '-inf', `(${Date.now() - retentionMs}`)
        .exec(),
    );
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    const page = 500;
    for (let offset = 0; found.length < filter.limit; offset += page) {
      const batch = await this.call(() => this.client.zRange(this.key('audit'), '+inf', '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset, count: page } }));
      for (const json of batch) {
        const entry = JSON.parse(json) as AuditEntry;
        if (auditMatches(entry, filter) && found.length < filter.limit) found.push(entry);
      }
      if (batch.length < page) break;
    }
    return found;
  }

  async putSession(id: string, session: SessionRecord, ttlMs: number): Promise<void> {
    await this.call(() =>
      this.client.set(this.key(`session:${id}`), JSON.stringify(session), { expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) } }),
    );
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const json = await this.call(() => this.client.get(this.key(`session:${id}`)));
    return json ? (JSON.parse(json) as SessionRecord) : undefined;
  }

  async deleteSession(id: string): Promise<void> {
    await this.call(() => this.client.del(this.key(`session:${id}`)));
  }
}

/**
 * Renames the keys of layout 1 (before hash tags) to this layout, once per prefix, when a store
 * connects to a single Redis server: a deployment upgrading keeps its surveys' counts, texts,
 * deduplication, pending and late responses, tokens and unmatched responses. Upgrade every
 * instance together (stop the older ones first): an older instance goes on writing the old names.
 * Several new instances starting at once are safe: a key another one renamed is skipped. A
 * cluster has nothing to rename (layout 1 could not run on one). Returns how many keys moved.
 */
export async function migrateKeyLayout(client: Client, prefix: string): Promise<number> {
  const layoutKey = `${prefix}layout`;
  if ((await client.get(layoutKey)) === KEY_LAYOUT) return 0;
  let moved = 0;
  // Layout 1 always had one of these once it held anything worth keeping; a new prefix skips the SCAN.
  const layout1 = [`${prefix}surveys`, `${prefix}tokens`, `${prefix}unmatched`, `${prefix}unmatched:expiry`];
  if ((await client.exists(layout1)) > 0) {
    const renames: [string, string][] = [];
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      for (const key of keys) {
        const target = layout2Key(prefix, key.slice(prefix.length));
        if (target) renames.push([key, target]);
      }
    }
    for (const [from, to] of renames) moved += await client.renameNX(from, to).then(Number, () => 0);
  }
  await client.set(layoutKey, KEY_LAYOUT);
  return moved;
}

/** Where a layout-1 key (its name after the prefix) lives now; undefined for a key that did not move. */
function layout2Key(prefix: string, name: string): string | undefined {
  if (name === 'tokens') return tokenKey(prefix);
  if (name === 'unmatched') return unmatchedStoreKey(prefix, 'responses');
  if (name === 'unmatched:expiry') return unmatchedStoreKey(prefix, 'expiry');
  const token = /^token:([^:{}]+)(:revoked)?$/.exec(name);
  if (token?.[1]) return tokenKey(prefix, token[1], token[2] !== undefined);
  // Survey ids never contain ':' (idSchema), so the id ends at the first one.
  const survey = /^s:([^:{}]+):(.+)$/.exec(name);
  if (survey?.[1] && survey[2]) return surveyKey(prefix, survey[1], survey[2]);
  return undefined;
}

/** The s:{<id>}:hourly hash (<area>:<hour ms> -> responses) as area -> hour -> responses. */
function hourlyFromFields(fields: Record<string, string>): Map<string, Map<number, number>> {
  const hourly = new Map<string, Map<number, number>>();
  for (const [field, raw] of Object.entries(fields)) {
    const [areaKey = '', hour] = field.split(':');
    if (hour !== undefined) nested(hourly, areaKey).set(Number(hour), Number(raw));
  }
  return hourly;
}

/** The inner map under key, created on first use. */
function nested<K>(outer: Map<string, Map<K, number>>, key: string): Map<K, number> {
  const inner = outer.get(key) ?? new Map<K, number>();
  outer.set(key, inner);
  return inner;
}

const INDEX_FIELDS: Record<string, keyof IndexSum> = { sum: 'sum', n: 'n', psum: 'publishedSum', pn: 'publishedN' };
function setIndexField(sum: IndexSum, which: string, value: number): void {
  const field = Object.hasOwn(INDEX_FIELDS, which) ? INDEX_FIELDS[which] : undefined;
  if (field) sum[field] = value;
}

/** The compact JSON the Lua script reads; numbers travel as strings so Lua never reformats them. */
function toScriptItem(response: CountedResponse): string {
  return JSON.stringify({
    s: response.surveyId,
    r: response.responseId,
    a: response.areaKey,
    c: response.channel,
    h: String(response.hour),
    m: response.minute === undefined ? '' : String(response.minute),
    t: String(response.receivedAt),
    i: response.indexValues.map(({ indexId, value }) => [indexId, String(value)]),
    k: response.indexStep,
    x: response.texts.map((text) => JSON.stringify(text)),
  });
}
