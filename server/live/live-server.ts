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
import { ExpiryQueue, type LiveClock, realClock } from './expiry-queue.js';
import { LifecycleTimers } from './lifecycle-timers.js';
import type { SnapshotCache } from './snapshots.js';
import { StatsBroadcaster } from './stats-broadcaster.js';
import { StoreStatus } from './store-status.js';
import type { TextFeed } from './text-feed.js';

export type { LiveClock } from './expiry-queue.js';

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
  readonly socket: LiveSocket;
  readonly surveyId: string;
  /** When the subscription's token runs out: it waits in the server's expiry queue for then. */
  expiresAt?: number;
  /**
   * The id of the token it subscribed with, or the ids of the tokens (a Set only from the second
   * on: most widgets have one), to end them when one is revoked.
   */
  tokenIds?: string | Set<string>;
}

const hasTokenId = (subscription: Subscription | undefined, tokenId: string): boolean => {
  const ids = subscription?.tokenIds;
  return typeof ids === 'string' ? ids === tokenId : (ids?.has(tokenId) ?? false);
};

const addTokenId = (subscription: Subscription, tokenId: string): void => {
  const ids = subscription.tokenIds;
  if (ids === undefined || ids === tokenId) subscription.tokenIds = tokenId;
  else if (typeof ids === 'string') subscription.tokenIds = new Set([ids, tokenId]);
  else ids.add(tokenId);
};

/** A survey's id and stats room names, one copy of each string for every socket (see LiveServer.roomsOf). */
interface SurveyRooms {
  surveyId: string;
  all: string;
  shards: string[];
}

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

export class LiveServer implements IngestListener {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  readonly snapshots: SnapshotCache;
  readonly textFeed: TextFeed;
  private readonly broadcaster: StatsBroadcaster;
  private closed = false;
  /** Tells subscribers when a survey opens or closes (its state and pace change then). */
  private readonly lifecycle = new LifecycleTimers((surveyId) => this.broadcaster.markDirty(surveyId));
  /** Whether the store answers; widgets hear of every change (`server:status`). */
  readonly storeStatus: StoreStatus;
  private nextShard = 0;
  /** Subscriptions waiting for their token to run out, all on one timer. */
  private readonly expiries: ExpiryQueue<Subscription>;
  /** Every socket's listeners: the same functions for all (Socket.IO calls them with the socket as `this`). */
  private readonly handlers: ReturnType<LiveServer['socketHandlers']>;
  /**
   * Each survey's stats room names, made once: a socket's rooms hold the very strings it joined
   * with, so a name built per subscription would be one more string per widget.
   */
  private readonly statsRooms = new Map<string, SurveyRooms>();

  constructor(private readonly options: LiveOptions) {
    this.expiries = new ExpiryQueue(options.clock ?? realClock, (subscription) => this.expire(subscription));
    this.handlers = this.socketHandlers();
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
      if (!socket || !hasTokenId(socket.data.subscriptions?.get(surveyId), tokenId)) continue;
      this.leave(socket, surveyId);
      socket.emit('survey:expired', { surveyId });
    }
  }

  private onConnection(socket: LiveSocket): void {
    this.options.metrics.sockets.inc();
    socket.on('disconnect', this.handlers.disconnect);
    if (this.storeStatus.status.store !== 'ok') socket.emit('server:status', this.storeStatus.status);
    socket.data.shard = this.nextShard;
    this.nextShard = (this.nextShard + 1) % STATS_SHARDS;
    socket.on('survey:subscribe', this.handlers.subscribe);
    socket.on('survey:unsubscribe', this.handlers.unsubscribe);
  }

  /**
   * The listeners of every socket, made once rather than as closures per socket (thousands of idle
   * screens each held three). Node's EventEmitter, which Socket.IO's socket is, calls a listener
   * with the emitter as `this`.
   */
  private socketHandlers() {
    const server = this;
    return {
      disconnect(this: LiveSocket): void {
        server.options.metrics.sockets.dec();
        for (const subscription of this.data.subscriptions?.values() ?? []) server.clearExpiry(subscription);
        this.data.subscriptions?.clear();
      },
      async subscribe(this: LiveSocket, request: unknown, ack: unknown): Promise<void> {
        if (typeof ack !== 'function') return;
        try {
          ack(await server.subscribe(this, request));
        } catch {
          ack({ ok: false, error: { code: 'unavailable', message: 'The response store is unreachable; try again' } });
        }
      },
      unsubscribe(this: LiveSocket, request: unknown): void {
        const parsed = subscribeSchema.pick({ surveyId: true }).safeParse(request);
        if (parsed.success) server.leave(this, parsed.data.surveyId);
      },
    };
  }

  /** The names of a defined survey's rooms (only those: ids from requests would grow the map), the same strings every time. */
  private roomsOf(surveyId: string): SurveyRooms {
    let rooms = this.statsRooms.get(surveyId);
    if (!rooms) {
      rooms = { surveyId, all: statsRoom(surveyId), shards: Array.from({ length: STATS_SHARDS }, (_, shard) => statsShardRoom(surveyId, shard)) };
      this.statsRooms.set(surveyId, rooms);
    }
    return rooms;
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
    const { texts: wantsTexts } = request;
    let { surveyId } = request;
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
    const rooms = this.roomsOf(surveyId);
    // The subscription keeps the shared copy of the id too.
    surveyId = rooms.surveyId;
    await socket.join([rooms.all, areaIds ? scopedStatsRoom(surveyId, areaIds) : (rooms.shards[socket.data.shard ?? 0] as string)]);
    if (!socket.connected) return this.undo(socket, surveyId);
    socket.data.subscriptions ??= new Map();
    let subscription = socket.data.subscriptions.get(surveyId);
    if (!subscription) {
      subscription = { socket, surveyId };
      socket.data.subscriptions.set(surveyId, subscription);
    }
    if (grant) {
      this.endAtExpiry(subscription, grant.expiresAt.getTime());
      if (grant.id) addTokenId(subscription, grant.id);
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
    const rooms = this.statsRooms.get(surveyId);
    void socket.leave(rooms?.all ?? statsRoom(surveyId));
    void socket.leave(rooms?.shards[socket.data.shard ?? 0] ?? statsShardRoom(surveyId, socket.data.shard ?? 0));
    void socket.leave(textsRoom(surveyId));
    // Area-scoped rooms (area-scopes.ts) of this survey.
    for (const room of socket.rooms) if (room.startsWith(`stats:${surveyId}@`) || room.startsWith(`texts:${surveyId}@`)) void socket.leave(room);
    const subscription = socket.data.subscriptions?.get(surveyId);
    if (subscription) this.clearExpiry(subscription);
    socket.data.subscriptions?.delete(surveyId);
  }

  private clearExpiry(subscription: Subscription): void {
    if (subscription.expiresAt === undefined) return;
    this.expiries.delete(subscription, subscription.expiresAt);
    subscription.expiresAt = undefined;
  }

  /**
   * A subscription lasts as long as its token. One socket carries every element of a page, each
   * with its own token, so at the first expiry among them the socket leaves all of the survey's
   * rooms and is told (`survey:expired`): the client subscribes again with each token, and only
   * the still-valid ones get back in.
   */
  private endAtExpiry(subscription: Subscription, expiresAt: number): void {
    if (!subscription.socket.connected) return;
    if (subscription.expiresAt !== undefined && subscription.expiresAt <= expiresAt) return;
    this.clearExpiry(subscription);
    subscription.expiresAt = expiresAt;
    this.expiries.add(subscription, expiresAt);
  }

  private expire(subscription: Subscription): void {
    const { socket, surveyId } = subscription;
    // Ended or replaced since: the queue forgets those, so this is only a safeguard.
    if (socket.data.subscriptions?.get(surveyId) !== subscription) return;
    subscription.expiresAt = undefined;
    this.leave(socket, surveyId);
    socket.emit('survey:expired', { surveyId });
  }

  /** Subscriptions waiting for their token to run out, across sockets (for tests and leak checks); they share one timer. */
  get pendingExpiries(): number {
    return this.expiries.size;
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
    this.expiries.close();
    this.broadcaster.close();
    this.textFeed.close();
    this.storeStatus.close();
    await this.io.close();
  }
}

const refuse = (code: LiveError['code'], message: string): SubscribeAck => ({ ok: false, error: { code, message } });
/** The ack of a socket that disconnected mid-subscription: nobody reads it. */
const gone = refuse('unavailable', 'The connection closed during the subscription');
