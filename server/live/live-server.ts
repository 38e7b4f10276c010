/**
 * The `/live` Socket.IO namespace: widgets subscribe to surveys (each subscription carries its
 * own token, so one connection serves every element of a page) and receive coalesced
 * `survey:stats` and `text:created` events. With Redis, the adapter carries emits to every instance.
 */
import { setImmediate } from 'node:timers/promises';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type LiveError,
  type LiveHandshakeAuth,
  type ServerToClientEvents,
  type SubscribeAck,
} from '../../shared/events.js';
import { idSchema } from '../../shared/schemas.js';
import type { ReadTokens } from '../auth/read-tokens.js';
import type { IngestListener } from '../ingest/response-ingest.js';
import type { Metrics } from '../observability/metrics.js';
import type { ResponseStore, StoredText } from '../store/response-store.js';
import { areaScopesOf, scopedStatsRoom, scopedTextsRoom, scopeSnapshot, textInScope } from './area-scopes.js';
import type { SnapshotCache } from './snapshots.js';
import { StatsBroadcaster } from './stats-broadcaster.js';
import type { TextFeed } from './text-feed.js';

export const statsRoom = (surveyId: string) => `stats:${surveyId}`;
/**
 * Stats subscribers of a survey are also spread over this many sub-rooms, and a snapshot goes out
 * one sub-room per event-loop turn: one socket write per widget makes a broadcast to 2,000
 * widgets hold the loop 25-60 ms in one go, and every webhook behind it waits (see bench/).
 * Ids never contain ':', so these names cannot collide.
 */
export const STATS_SHARDS = 8;
export const statsShardRoom = (surveyId: string, shard: number) => `stats:${surveyId}:${shard}`;
export const textsRoom = (surveyId: string) => `texts:${surveyId}`;

const subscribeSchema = z.object({ surveyId: idSchema, token: z.string().max(4096).optional(), texts: z.boolean().optional() });

export interface LiveOptions {
  /** The Socket.IO server, attached to the HTTP server (see create-live.ts). */
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  store: ResponseStore;
  tokens: ReadTokens;
  metrics: Metrics;
  snapshots: SnapshotCache;
  /** Publishes free text to the namespace's text rooms (see create-live.ts). */
  textFeed: TextFeed;
  statsIntervalMs: number;
  textLimit: number;
  publicStats: boolean;
  log: { warn: (obj: object, msg: string) => void };
}

interface LiveSocketData {
  token?: string;
  shard?: number;
  /** Per survey: when the subscription's token runs out, and the timer that ends it then. */
  expiries?: Map<string, { at: number; timer: NodeJS.Timeout }>;
  /** Per survey: the ids of the tokens it subscribed with, to end them when one is revoked. */
  tokenIds?: Map<string, Set<string>>;
}

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

/** setTimeout's limit (~24.8 days); a token living longer is checked again when the socket reconnects. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class LiveServer implements IngestListener {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  readonly snapshots: SnapshotCache;
  readonly textFeed: TextFeed;
  private readonly broadcaster: StatsBroadcaster;
  private nextShard = 0;

  constructor(private readonly options: LiveOptions) {
    this.io = options.io;
    this.snapshots = options.snapshots;
    this.textFeed = options.textFeed;
    const live = this.io.of(LIVE_NAMESPACE);
    this.broadcaster = new StatsBroadcaster(
      this.snapshots,
      options.statsIntervalMs,
      async (snapshot) => {
        options.metrics.messagesPushed.inc({ event: 'survey:stats' });
        for (let shard = 0; shard < STATS_SHARDS; shard++) {
          if (shard > 0) await setImmediate();
          live.to(statsShardRoom(snapshot.surveyId, shard)).emit('survey:stats', snapshot);
        }
        // Filtered once per area set, not per socket.
        for (const areaIds of await areaScopesOf(options.store, snapshot.surveyId)) {
          live.to(scopedStatsRoom(snapshot.surveyId, areaIds)).emit('survey:stats', scopeSnapshot(snapshot, areaIds));
        }
      },
      (error, surveyId) => options.log.warn({ err: error, surveyId }, 'could not build snapshot; will retry'),
    );

    live.use(async (socket, next) => {
      const { token } = (socket.handshake.auth ?? {}) as LiveHandshakeAuth;
      if (token !== undefined && typeof token !== 'string') return next(new Error('unauthorized: auth.token must be a string'));
      (socket as LiveSocket).data.token = token;
      next();
    });
    live.on('connection', (socket) => this.onConnection(socket as LiveSocket));
    // A change to a survey (e.g. its `distributed`) on any instance changes its rates everywhere.
    options.store.onSurveyChange((surveyId) => this.broadcaster.markDirty(surveyId));
    // Every instance hears of a revocation and ends the subscriptions made with that token here.
    options.store.onTokenRevoked((token) => this.endToken(token.surveyId, token.id));
  }

  /** Ends, on this instance, every subscription to the survey made with this token: as at its expiry. */
  private endToken(surveyId: string, tokenId: string): void {
    const live = this.io.of(LIVE_NAMESPACE);
    for (const socketId of [...(live.adapter.rooms.get(statsRoom(surveyId)) ?? [])]) {
      const socket = live.sockets.get(socketId) as LiveSocket | undefined;
      if (!socket?.data.tokenIds?.get(surveyId)?.has(tokenId)) continue;
      this.leave(socket, surveyId);
      socket.emit('survey:expired', { surveyId });
    }
  }

  private onConnection(socket: LiveSocket): void {
    const { metrics } = this.options;
    metrics.sockets.inc();
    socket.on('disconnect', () => {
      metrics.sockets.dec();
      for (const { timer } of socket.data.expiries?.values() ?? []) clearTimeout(timer);
    });
    socket.data.shard = this.nextShard;
    this.nextShard = (this.nextShard + 1) % STATS_SHARDS;

    socket.on('survey:subscribe', async (request, ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack(await this.subscribe(socket, request));
      } catch {
        ack({ ok: false, error: { code: 'unavailable', message: 'The response store is unreachable; try again' } });
      }
    });
    socket.on('survey:unsubscribe', (request) => {
      const parsed = subscribeSchema.pick({ surveyId: true }).safeParse(request);
      if (parsed.success) this.leave(socket, parsed.data.surveyId);
    });
  }

  private async subscribe(socket: LiveSocket, request: unknown): Promise<SubscribeAck> {
    const parsed = subscribeSchema.safeParse(request);
    if (!parsed.success) {
      return refuse('bad_request', `Invalid subscription: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
    }
    const { surveyId, texts: wantsTexts } = parsed.data;
    const token = parsed.data.token ?? socket.data.token;
    const { tokens, publicStats } = this.options;

    // With public stats a token is still honoured (its area scope, its end) when it is valid.
    const open = publicStats && !wantsTexts;
    const check = open && token === undefined ? undefined : await tokens.check(token, surveyId, wantsTexts ? 'text' : 'stats');
    if (check && !check.ok && !open) return refuse(check.status === 401 ? 'unauthorized' : 'forbidden', check.reason);
    const grant = check?.ok ? check.grant : undefined;
    const areaIds = grant?.areaIds;

    const snapshot = await this.snapshots.get(surveyId);
    if (!snapshot) return refuse('not_found', `Survey "${surveyId}" is not defined`);
    await socket.join([statsRoom(surveyId), areaIds ? scopedStatsRoom(surveyId, areaIds) : statsShardRoom(surveyId, socket.data.shard ?? 0)]);
    if (grant) {
      this.endAtExpiry(socket, surveyId, grant.expiresAt.getTime());
      if (grant.id) {
        socket.data.tokenIds ??= new Map();
        socket.data.tokenIds.set(surveyId, (socket.data.tokenIds.get(surveyId) ?? new Set()).add(grant.id));
      }
    }
    if (!wantsTexts) return { ok: true, snapshot: scopeSnapshot(snapshot, areaIds) };

    await socket.join(areaIds ? scopedTextsRoom(surveyId, areaIds) : textsRoom(surveyId));
    const texts = (await this.textFeed.visibleTexts(surveyId, this.options.textLimit)).filter((text) => textInScope(text, areaIds));
    return { ok: true, snapshot: scopeSnapshot(snapshot, areaIds), texts };
  }

  private leave(socket: LiveSocket, surveyId: string): void {
    void socket.leave(statsRoom(surveyId));
    void socket.leave(statsShardRoom(surveyId, socket.data.shard ?? 0));
    void socket.leave(textsRoom(surveyId));
    // Area-scoped rooms (area-scopes.ts) of this survey.
    for (const room of socket.rooms) if (room.startsWith(`stats:${surveyId}@`) || room.startsWith(`texts:${surveyId}@`)) void socket.leave(room);
    socket.data.tokenIds?.delete(surveyId);
    const expiry = socket.data.expiries?.get(surveyId);
    clearTimeout(expiry?.timer);
    socket.data.expiries?.delete(surveyId);
  }

  /**
   * A subscription lasts as long as its token. One socket carries every element of a page, each
   * with its own token, so at the first expiry among them the socket leaves all of the survey's
   * rooms and is told (`survey:expired`): the client subscribes again with each token, and only
   * the still-valid ones get back in.
   */
  private endAtExpiry(socket: LiveSocket, surveyId: string, expiresAt: number): void {
    socket.data.expiries ??= new Map();
    const current = socket.data.expiries.get(surveyId);
    if (current && current.at <= expiresAt) return;
    clearTimeout(current?.timer);
    const wait = expiresAt - Date.now();
    if (wait > MAX_TIMER_MS) return;
    const timer = setTimeout(
      () => {
        this.leave(socket, surveyId);
        socket.emit('survey:expired', { surveyId });
      },
      Math.max(0, wait),
    );
    socket.data.expiries.set(surveyId, { at: expiresAt, timer });
  }

  statsChanged(surveyId: string): void {
    this.broadcaster.markDirty(surveyId);
  }

  textsCreated(texts: StoredText[]): void {
    this.textFeed.textsCreated(texts);
  }

  async close(): Promise<void> {
    this.broadcaster.close();
    this.textFeed.close();
    await this.io.close();
  }
}

const refuse = (code: LiveError['code'], message: string): SubscribeAck => ({ ok: false, error: { code, message } });
