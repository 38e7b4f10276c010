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
import { LifecycleTimers } from './lifecycle-timers.js';
import type { SnapshotCache } from './snapshots.js';
import { StatsBroadcaster } from './stats-broadcaster.js';
import { StoreStatus } from './store-status.js';
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
  /** The clock expiry timers use; tests pass a fake one to cross weeks without waiting. */
  clock?: LiveClock;
}

/** What expiry timers need of time; the real one by default. */
export interface LiveClock {
  now(): number;
  setTimeout(run: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout | undefined): void;
}

const realClock: LiveClock = { now: () => Date.now(), setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (timer) => clearTimeout(timer) };

/** Surveys one socket may be subscribed to at once: a page has a handful; more is abuse. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;

interface LiveSocketData {
  token?: string;
  shard?: number;
  /**
   * The surveys this socket is subscribed to, each with what ends it. One map per socket, made
   * at its first subscription: thousands of idle screens each hold one (bench/: memory per widget).
   */
  subscriptions?: Map<string, Subscription>;
  /** Subscriptions under way (awaiting their checks), counted against the cap too. */
  pending?: number;
}

interface Subscription {
  /** When the subscription's token runs out, and the timer that ends it then. */
  expiresAt?: number;
  timer?: NodeJS.Timeout;
  /** The ids of the tokens it subscribed with, to end them when one is revoked. */
  tokenIds?: Set<string>;
}

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

/** setTimeout's limit (~24.8 days): a token living longer is waited for in steps of at most this. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class LiveServer implements IngestListener {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  readonly snapshots: SnapshotCache;
  readonly textFeed: TextFeed;
  private readonly broadcaster: StatsBroadcaster;
  private closed = false;
  /** Tells subscribers when a survey opens or closes (its state and pace change then). */
  private readonly lifecycle = new LifecycleTimers((surveyId) => this.broadcaster.markDirty(surveyId));
  private readonly clock: LiveClock;
  /** Whether the store answers; widgets hear of every change (`server:status`). */
  readonly storeStatus: StoreStatus;
  private nextShard = 0;
  private armedTimers = 0;

  constructor(private readonly options: LiveOptions) {
    this.clock = options.clock ?? realClock;
    this.io = options.io;
    this.snapshots = options.snapshots;
    this.textFeed = options.textFeed;
    const live = this.io.of(LIVE_NAMESPACE);
    this.broadcaster = new StatsBroadcaster(
      this.snapshots,
      options.statsIntervalMs,
      async (snapshot) => {
        this.lifecycle.watch(snapshot);
        options.metrics.messagesPushed.inc({ event: 'survey:stats' });
        for (let shard = 0; shard < STATS_SHARDS; shard++) {
          if (shard > 0) await setImmediate();
          // Closed between two shards: the adapter may be gone.
          if (this.closed) return;
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
    this.storeStatus = new StoreStatus(options.store, live, options.log);
    live.on('connection', (socket) => this.onConnection(socket as LiveSocket));
    // A change to a survey (e.g. its `distributed`) on any instance changes its rates everywhere.
    // A change to an earlier campaign (its imported history) changes the comparison of the surveys naming it.
    options.store.onSurveyChange((surveyId) => {
      const comparing = this.snapshots.comparingWith(surveyId);
      this.snapshots.surveyChanged(surveyId);
      this.broadcaster.markDirty(surveyId);
      for (const later of comparing) this.broadcaster.markDirty(later);
    });
    // Every instance hears of a revocation and ends the subscriptions made with that token here.
    options.store.onTokenRevoked((token) => this.endToken(token.surveyId, token.id));
  }

  /** Ends, on this instance, every subscription to the survey made with this token: as at its expiry. */
  private endToken(surveyId: string, tokenId: string): void {
    const live = this.io.of(LIVE_NAMESPACE);
    for (const socketId of [...(live.adapter.rooms.get(statsRoom(surveyId)) ?? [])]) {
      const socket = live.sockets.get(socketId) as LiveSocket | undefined;
      if (!socket?.data.subscriptions?.get(surveyId)?.tokenIds?.has(tokenId)) continue;
      this.leave(socket, surveyId);
      socket.emit('survey:expired', { surveyId });
    }
  }

  private onConnection(socket: LiveSocket): void {
    const { metrics } = this.options;
    metrics.sockets.inc();
    socket.on('disconnect', () => {
      metrics.sockets.dec();
      for (const surveyId of socket.data.subscriptions?.keys() ?? []) this.clearExpiry(socket, surveyId);
      socket.data.subscriptions?.clear();
    });
    if (this.storeStatus.status.store !== 'ok') socket.emit('server:status', this.storeStatus.status);
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
    const { surveyId } = parsed.data;
    const subscribed = socket.data.subscriptions;
    const renewal = subscribed?.has(surveyId) ?? false;
    if (!renewal && (subscribed?.size ?? 0) + (socket.data.pending ?? 0) >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
      return refuse('bad_request', `A connection may hold at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions; unsubscribe from one first`);
    }
    // Counted while under way, so that many subscriptions sent at once cannot pass the cap together.
    socket.data.pending = (socket.data.pending ?? 0) + 1;
    try {
      return await this.admit(socket, parsed.data);
    } finally {
      socket.data.pending -= 1;
    }
  }

  /**
   * Checks the token and joins the rooms. The socket may disconnect during any await: it is
   * checked after each one, so that no room, timer or subscription outlives it.
   */
  private async admit(socket: LiveSocket, request: z.infer<typeof subscribeSchema>): Promise<SubscribeAck> {
    const { surveyId, texts: wantsTexts } = request;
    const token = request.token ?? socket.data.token;
    const { tokens, publicStats } = this.options;

    // With public stats a token is still honoured (its area scope, its end) when it is valid.
    const open = publicStats && !wantsTexts;
    const check = open && token === undefined ? undefined : await tokens.check(token, surveyId, wantsTexts ? 'text' : 'stats');
    if (!socket.connected) return gone;
    if (check && !check.ok && !open) return refuse(check.status === 401 ? 'unauthorized' : 'forbidden', check.reason);
    const grant = check?.ok ? check.grant : undefined;
    const areaIds = grant?.areaIds;

    const snapshot = await this.snapshots.get(surveyId);
    if (!socket.connected) return gone;
    if (!snapshot) return refuse('not_found', `Survey "${surveyId}" is not defined`);
    this.lifecycle.watch(snapshot);
    await socket.join([statsRoom(surveyId), areaIds ? scopedStatsRoom(surveyId, areaIds) : statsShardRoom(surveyId, socket.data.shard ?? 0)]);
    if (!socket.connected) return this.undo(socket, surveyId);
    socket.data.subscriptions ??= new Map();
    let subscription = socket.data.subscriptions.get(surveyId);
    if (!subscription) {
      subscription = {};
      socket.data.subscriptions.set(surveyId, subscription);
    }
    if (grant) {
      this.endAtExpiry(socket, surveyId, grant.expiresAt.getTime());
      if (grant.id) {
        subscription.tokenIds ??= new Set();
        subscription.tokenIds.add(grant.id);
      }
    }
    if (!wantsTexts) return { ok: true, snapshot: scopeSnapshot(snapshot, areaIds) };

    await socket.join(areaIds ? scopedTextsRoom(surveyId, areaIds) : textsRoom(surveyId));
    if (!socket.connected) return this.undo(socket, surveyId);
    const texts = (await this.textFeed.visibleTexts(surveyId, this.options.textLimit)).filter((text) => textInScope(text, areaIds));
    if (!socket.connected) return this.undo(socket, surveyId);
    return { ok: true, snapshot: scopeSnapshot(snapshot, areaIds), texts };
  }

  /** A socket that left while it was joining: rooms it joined after its disconnect would hold it for good. */
  private undo(socket: LiveSocket, surveyId: string): SubscribeAck {
    this.leave(socket, surveyId);
    return gone;
  }

  private leave(socket: LiveSocket, surveyId: string): void {
    void socket.leave(statsRoom(surveyId));
    void socket.leave(statsShardRoom(surveyId, socket.data.shard ?? 0));
    void socket.leave(textsRoom(surveyId));
    // Area-scoped rooms (area-scopes.ts) of this survey.
    for (const room of socket.rooms) if (room.startsWith(`stats:${surveyId}@`) || room.startsWith(`texts:${surveyId}@`)) void socket.leave(room);
    this.clearExpiry(socket, surveyId);
    socket.data.subscriptions?.delete(surveyId);
  }

  private clearExpiry(socket: LiveSocket, surveyId: string): void {
    const subscription = socket.data.subscriptions?.get(surveyId);
    if (subscription?.timer === undefined) return;
    this.clock.clearTimeout(subscription.timer);
    subscription.timer = undefined;
    subscription.expiresAt = undefined;
    this.armedTimers--;
  }

  /**
   * A subscription lasts as long as its token. One socket carries every element of a page, each
   * with its own token, so at the first expiry among them the socket leaves all of the survey's
   * rooms and is told (`survey:expired`): the client subscribes again with each token, and only
   * the still-valid ones get back in.
   */
  private endAtExpiry(socket: LiveSocket, surveyId: string, expiresAt: number): void {
    const subscription = socket.data.subscriptions?.get(surveyId);
    if (!socket.connected || !subscription) return;
    if (subscription.expiresAt !== undefined && subscription.expiresAt <= expiresAt) return;
    this.clearExpiry(socket, surveyId);
    this.armedTimers++;
    const arm = (): NodeJS.Timeout => {
      const wait = expiresAt - this.clock.now();
      // setTimeout cannot wait past MAX_TIMER_MS (it would fire at once): wait in steps.
      return this.clock.setTimeout(
        () => {
          const current = socket.data.subscriptions?.get(surveyId);
          if (current?.expiresAt !== expiresAt) return;
          if (expiresAt > this.clock.now()) {
            current.timer = arm();
            return;
          }
          this.leave(socket, surveyId);
          socket.emit('survey:expired', { surveyId });
        },
        Math.min(MAX_TIMER_MS, Math.max(0, wait)),
      );
    };
    subscription.expiresAt = expiresAt;
    subscription.timer = arm();
  }

  /** Expiry timers armed now, across sockets (for tests and leak checks). */
  get expiryTimerCount(): number {
    return this.armedTimers;
  }

  statsChanged(surveyId: string): void {
    // Ingest only ever adds to the counts (response-ingest.ts).
    this.broadcaster.markDirty(surveyId, true);
  }

  textsCreated(texts: StoredText[]): void {
    this.textFeed.textsCreated(texts);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.lifecycle.close();
    this.broadcaster.close();
    this.textFeed.close();
    this.storeStatus.close();
    await this.io.close();
  }
}

const refuse = (code: LiveError['code'], message: string): SubscribeAck => ({ ok: false, error: { code, message } });
/** The ack of a socket that disconnected mid-subscription: nobody reads it. */
const gone = refuse('unavailable', 'The connection closed during the subscription');
