/**
 * One Socket.IO connection per page and server, shared by every element: elements ask for
 * subscriptions (survey, token, texts) and equal requests share one. Tokens travel with each
 * `survey:subscribe`, never in the handshake, so elements showing different surveys with
 * different tokens still share the connection. After a reconnect every subscription is sent
 * again and its state replaced from the ack's snapshot.
 */
import { io, type Socket } from 'socket.io-client';
import { type ClientToServerEvents, LIVE_NAMESPACE, type LiveError, type ServerToClientEvents, type SubscribeRequest } from '../../shared/events.js';
import type { SurveySnapshot, TextAnswer } from '../../shared/schemas.js';

/** `degraded`: connected, but the server cannot reach its store; figures may be behind. */
export type ConnectionStatus = 'connecting' | 'live' | 'degraded' | 'reconnecting' | 'offline';

/** What elements hear about: new stats, new or removed texts, or anything else (ack, error, status). */
export type Change = 'stats' | 'texts' | 'state';
export type Listener = (change: Change) => void;

/** What one subscription knows, shared by every element that asked for the same thing. */
export interface SubscriptionState {
  /** Undefined until the first ack. */
  readonly snapshot: SurveySnapshot | undefined;
  /** Newest first; empty unless texts were asked for. */
  readonly texts: readonly TextAnswer[];
  /** Why the server refused the subscription; cleared by a later success. */
  readonly error: LiveError | undefined;
}

/** An ack not heard in this time is asked for again. */
const ACK_TIMEOUT_MS = 10_000;
/** Retry delay after the server said `unavailable` (its store is unreachable). */
const RETRY_MS = 5_000;
/** Reconnecting this long counts as offline. */
const OFFLINE_AFTER_MS = 20_000;
/** An element moved in the DOM disconnects and reconnects at once: keep the socket a moment. */
const IDLE_CLOSE_MS = 5_000;
const MAX_TEXTS = 500;

class Subscription implements SubscriptionState {
  snapshot: SurveySnapshot | undefined;
  texts: readonly TextAnswer[] = [];
  error: LiveError | undefined;
  readonly listeners = new Set<Listener>();
  /** Bumped on every send, so a late ack from an earlier attempt or connection is ignored. */
  generation = 0;
  retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly key: string,
    readonly request: SubscribeRequest,
  ) {}

  notify(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }
}

export class LiveConnection {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  status: ConnectionStatus = 'connecting';
  /** When data last arrived (epoch ms); elements show it while not live. */
  lastDataAt = 0;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #watchers = new Set<() => void>();
  #offlineTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #everConnected = false;

  readonly #onClose: () => void;

  constructor(
    readonly base: string,
    onClose: () => void,
  ) {
    this.#onClose = onClose;
    const url = new URL(base);
    this.socket = io(url.origin + LIVE_NAMESPACE, {
      path: `${url.pathname.replace(/\/$/, '')}/socket.io`,
      // WebSocket first (one request, no polling through proxies), polling if it is blocked.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    const socket = this.socket;
    socket.on('connect', () => {
      this.#everConnected = true;
      // A server whose store is away says so (server:status) right after the connect.
      this.#setStatus('live');
      for (const subscription of this.#subscriptions.values()) this.#send(subscription);
    });
    socket.on('disconnect', (reason) => {
      // The server dropped us on purpose: socket.io does not retry that by itself.
      if (reason === 'io server disconnect') socket.connect();
      this.#lost();
    });
    socket.on('connect_error', () => this.#lost());
    socket.on('server:status', ({ store }) => {
      if (socket.connected) this.#setStatus(store === 'ok' ? 'live' : 'degraded');
    });
    socket.on('survey:stats', (snapshot) => {
      for (const subscription of this.#subscriptions.values()) {
        // A refused subscription (say, its token expired) gets nothing, even if another element's token keeps the socket in the room.
        if (subscription.request.surveyId !== snapshot.surveyId || !subscription.snapshot || subscription.error) continue;
        if (isOlder(snapshot, subscription.snapshot)) continue;
        subscription.snapshot = snapshot;
        subscription.notify('stats');
      }
      this.lastDataAt = Date.now();
    });
    socket.on('text:created', (text) => {
      for (const subscription of this.#subscriptions.values()) {
        if (!subscription.request.texts || subscription.request.surveyId !== text.surveyId || !subscription.snapshot || subscription.error) continue;
        if (subscription.texts.some((known) => known.id === text.id)) continue;
        subscription.texts = [text, ...subscription.texts].slice(0, MAX_TEXTS);
        subscription.notify('texts');
      }
      this.lastDataAt = Date.now();
    });
    // A token on this page expired: ask again with every token; the expired ones are refused in words.
    socket.on('survey:expired', ({ surveyId }) => {
      for (const subscription of this.#subscriptions.values()) if (subscription.request.surveyId === surveyId) this.#send(subscription);
    });
    socket.on('text:removed', ({ id, surveyId }) => {
      for (const subscription of this.#subscriptions.values()) {
        if (subscription.request.surveyId !== surveyId || !subscription.texts.some((text) => text.id === id)) continue;
        subscription.texts = subscription.texts.filter((text) => text.id !== id);
        subscription.notify('texts');
      }
    });
    addEventListener('offline', this.#onBrowserOffline);
  }

  /**
   * Shares the subscription for this request, sending it when it is new. The returned state is
   * live (it changes as messages arrive); `listener` hears about every change.
   */
  subscribe(request: SubscribeRequest, listener: Listener): { state: SubscriptionState; release: () => void } {
    const key = JSON.stringify([request.surveyId, request.token ?? '', Boolean(request.texts)]);
    let subscription = this.#subscriptions.get(key);
    if (!subscription) {
      subscription = new Subscription(key, request);
      this.#subscriptions.set(key, subscription);
      this.#send(subscription);
    }
    subscription.listeners.add(listener);
    clearTimeout(this.#idleTimer);
    const owned = subscription;
    return {
      state: owned,
      release: () => {
        owned.listeners.delete(listener);
        if (owned.listeners.size > 0 || this.#subscriptions.get(key) !== owned) return;
        this.#subscriptions.delete(key);
        owned.generation++;
        clearTimeout(owned.retryTimer);
        this.#leaveIfUnused(request.surveyId);
        this.#closeIfIdle();
      },
    };
  }

  /** Hears about status changes only (the status element); keeps the connection open meanwhile. */
  watch(listener: () => void): () => void {
    this.#watchers.add(listener);
    clearTimeout(this.#idleTimer);
    return () => {
      this.#watchers.delete(listener);
      this.#closeIfIdle();
    };
  }

  #send(subscription: Subscription): void {
    clearTimeout(subscription.retryTimer);
    if (!this.socket.connected) return; // sent again on 'connect'
    const generation = ++subscription.generation;
    this.socket.timeout(ACK_TIMEOUT_MS).emit('survey:subscribe', subscription.request, (timedOut, ack) => {
      if (this.#subscriptions.get(subscription.key) !== subscription) {
        // Released while the request was on its way: the server joined us to the room after we left it.
        this.#leaveIfUnused(subscription.request.surveyId);
        return;
      }
      if (generation !== subscription.generation) return;
      if (timedOut) {
        this.#retry(subscription, 0);
        return;
      }
      if (ack.ok) {
        // A survey:stats sent while the server was answering may already be newer than the ack's.
        if (!subscription.snapshot || !isOlder(ack.snapshot, subscription.snapshot)) subscription.snapshot = ack.snapshot;
        subscription.texts = (ack.texts ?? []).slice(0, MAX_TEXTS);
        subscription.error = undefined;
        this.lastDataAt = Date.now();
      } else {
        subscription.error = ack.error;
        if (ack.error.code === 'unavailable') this.#retry(subscription, RETRY_MS);
      }
      subscription.notify('state');
    });
  }

  #retry(subscription: Subscription, delayMs: number): void {
    clearTimeout(subscription.retryTimer);
    subscription.retryTimer = setTimeout(() => this.#send(subscription), delayMs);
  }

  #leaveIfUnused(surveyId: string): void {
    for (const subscription of this.#subscriptions.values()) if (subscription.request.surveyId === surveyId) return;
    if (this.socket.connected) this.socket.emit('survey:unsubscribe', { surveyId });
  }

  #lost(): void {
    if (this.status === 'offline') return;
    this.#setStatus(navigator.onLine === false ? 'offline' : this.#everConnected ? 'reconnecting' : 'connecting');
    this.#offlineTimer ??= setTimeout(() => this.#setStatus('offline'), OFFLINE_AFTER_MS);
  }

  readonly #onBrowserOffline = () => {
    if (!this.socket.connected) this.#setStatus('offline');
  };

  #setStatus(status: ConnectionStatus): void {
    if (status === 'live' || status === 'degraded' || status === 'offline') {
      clearTimeout(this.#offlineTimer);
      this.#offlineTimer = undefined;
    }
    if (status === this.status) return;
    this.status = status;
    for (const subscription of this.#subscriptions.values()) subscription.notify('state');
    for (const watcher of this.#watchers) watcher();
  }

  #closeIfIdle(): void {
    if (this.#subscriptions.size > 0 || this.#watchers.size > 0) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#close(), IDLE_CLOSE_MS);
  }

  #close(): void {
    clearTimeout(this.#offlineTimer);
    removeEventListener('offline', this.#onBrowserOffline);
    this.socket.disconnect();
    this.#onClose();
  }
}

const connections = new Map<string, LiveConnection>();
let defaultServer = location.origin;

/** Set by the entry module to where the script was loaded from. */
export function setDefaultServer(server: string): void {
  defaultServer = server;
}

/** The base URL (ending in /) of `server`, or of the default server when empty: where REST calls go too. */
export function serverBase(server: string | undefined): string {
  const url = new URL(server || defaultServer, location.href);
  return url.origin + url.pathname.replace(/\/?$/, '/');
}

/** The page's connection to `server` (a base URL; the default server when empty), opened on first use. */
export function connectionFor(server: string | undefined): LiveConnection {
  const base = serverBase(server);
  let connection = connections.get(base);
  if (!connection) {
    connection = new LiveConnection(base, () => connections.delete(base));
    connections.set(base, connection);
  }
  return connection;
}

/** The open connections, by server base URL: for tests and a curious developer's console. */
export const openConnections = (): ReadonlyMap<string, LiveConnection> => connections;

/**
 * With several server instances, one instance's snapshot can arrive after a newer one from
 * another (the Redis adapter adds a hop): never step the count back. A deleted and recreated
 * survey starts again with a newer updatedAt, so it still gets through.
 */
const isOlder = (incoming: SurveySnapshot, current: SurveySnapshot) =>
  incoming.responses < current.responses && Date.parse(incoming.updatedAt) <= Date.parse(current.updatedAt);
