/** Bounded waits on socket.io-client sockets: a bug in the live layer fails a test fast instead of hanging it. */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect } from 'vitest';
import type { LiveClock } from '../../../server/live/live-server.js';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck, SubscribeRequest } from '../../../shared/events.js';
import type { SurveySnapshot, TextAnswer } from '../../../shared/schemas.js';
import { deleteKeys, redisUrl, response, startTestApp, type TestApp, testPrefix } from '../../support/harness.js';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Timers that fire only when the test says so; `now` moves to each fired timer's time. */
export class FakeClock implements LiveClock {
  private current = Date.now();
  private nextId = 0;
  readonly pending = new Map<NodeJS.Timeout, { at: number; run: () => void; ms: number }>();
  now = () => this.current;
  setTimeout = (run: () => void, ms: number): NodeJS.Timeout => {
    const id = { fake: this.nextId++ } as unknown as NodeJS.Timeout;
    this.pending.set(id, { at: this.current + ms, run, ms });
    return id;
  };
  clearTimeout = (timer: NodeJS.Timeout | undefined) => {
    if (timer) this.pending.delete(timer);
  };
  /** Fires the earliest timer, moving the clock to its time; returns the wait it was armed with. */
  fireNext(): number {
    const [id, next] = [...this.pending].sort(([, a], [, b]) => a.at - b.at)[0] ?? [];
    if (!id || !next) throw new Error('no timer armed');
    this.pending.delete(id);
    this.current = next.at;
    next.run();
    return next.ms;
  }
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once the socket is connected; rejects with the server's reason on connect_error. */
export function connected(socket: LiveClient, ms = 3000): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    }),
    ms,
    'the socket to connect',
  );
}

/** Resolves with the connect_error the server gives; rejects when the socket connects instead. */
export function refused(socket: LiveClient, ms = 3000): Promise<Error> {
  return withTimeout(
    new Promise<Error>((resolve, reject) => {
      socket.once('connect_error', (error) => resolve(error));
      socket.once('connect', () => reject(new Error('the socket connected, but should have been refused')));
    }),
    ms,
    'connect_error',
  );
}

export function subscribe(socket: LiveClient, request: SubscribeRequest, ms = 3000): Promise<SubscribeAck> {
  return socket.timeout(ms).emitWithAck('survey:subscribe', request);
}

/** Subscribes and returns the snapshot (and texts), failing with the server's error otherwise. */
export async function subscribeOk(socket: LiveClient, request: SubscribeRequest): Promise<{ snapshot: SurveySnapshot; texts?: TextAnswer[] }> {
  const ack = await subscribe(socket, request);
  if (!ack.ok) throw new Error(`subscribe to ${request.surveyId} refused: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

/**
 * A round trip on the socket: the server handles a socket's packets in order, so once this ack
 * is back, every event emitted before it (e.g. a fire-and-forget `survey:unsubscribe`) has been handled.
 */
export async function barrier(socket: LiveClient): Promise<void> {
  const ack = await subscribe(socket, { surveyId: 'not a valid id' });
  if (ack.ok || ack.error.code !== 'bad_request') throw new Error('barrier: expected a bad_request ack');
}

/** Everything a socket receives of one event, from now on. */
export function record<E extends keyof ServerToClientEvents>(socket: LiveClient, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const received: Parameters<ServerToClientEvents[E]>[0][] = [];
  // The listener type of a generic event name is not inferable; the payload type is asserted by the caller's E.
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => received.push(payload)) as never);
  return received;
}

/** The first `survey:stats` for `surveyId` that satisfies `match`. */
export function nextStats(socket: LiveClient, surveyId: string, match: (snapshot: SurveySnapshot) => boolean = () => true, ms = 3000): Promise<SurveySnapshot> {
  return withTimeout(
    new Promise<SurveySnapshot>((resolve) => {
      const listener = (snapshot: SurveySnapshot) => {
        if (snapshot.surveyId !== surveyId || !match(snapshot)) return;
        socket.off('survey:stats', listener);
        resolve(snapshot);
      };
      socket.on('survey:stats', listener);
    }),
    ms,
    `survey:stats for ${surveyId}`,
  );
}

/** The first `text:created` that satisfies `match`. */
export function nextText(socket: LiveClient, match: (text: TextAnswer) => boolean = () => true, ms = 3000): Promise<TextAnswer> {
  return withTimeout(
    new Promise<TextAnswer>((resolve) => {
      const listener = (text: TextAnswer) => {
        if (!match(text)) return;
        socket.off('text:created', listener);
        resolve(text);
      };
      socket.on('text:created', listener);
    }),
    ms,
    'text:created',
  );
}

/** Resolves once `size()` has stayed unchanged for `quietMs` (e.g. no new message arrived); bounded by `ms`. */
export async function quiet(size: () => number, quietMs: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  let last = size();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${quietMs} ms without new messages`);
    await sleep(20);
    const now = size();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Two instances on one Redis (one key prefix, the Socket.IO Redis adapter), as behind a load
 * balancer. Call at the top of a test file: `const apps = twoInstances();` then `apps.a`, `apps.b`.
 * `redis` gives another Redis's URL when they start (a cluster started by an earlier beforeAll,
 * whose keys go with it: they are deleted only from the shared Redis).
 */
export function twoInstances(options: { redis?: () => string } = {}): { a: TestApp; b: TestApp; restart(): Promise<void> } {
  const prefix = testPrefix();
  const start = async () => {
    const redis = options.redis?.();
    apps.a = await startTestApp({ store: 'redis', adapter: true, prefix, ...(redis ? { redis } : {}) });
    apps.b = await startTestApp({ store: 'redis', adapter: true, prefix, ...(redis ? { redis } : {}) });
  };
  const apps = {
    /** Both instances stop and start again on the same Redis keys. */
    async restart() {
      await Promise.all([apps.a.close(), apps.b.close()]);
      await start();
    },
  } as { a: TestApp; b: TestApp; restart(): Promise<void> };
  beforeAll(start);
  afterAll(async () => {
    await Promise.allSettled([apps.a?.close(), apps.b?.close()]);
    if (!options.redis) await deleteKeys(redisUrl(), prefix);
  });
  return apps;
}

/**
 * Sends each of `rounds` responses to A and B at the same moment: exactly one of each pair is
 * accepted and the other answered as a duplicate, whichever instance wins.
 */
export async function sendEachToBoth(apps: { a: TestApp; b: TestApp }, surveyId: string, rounds: number): Promise<void> {
  const outcomes: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const sameResponse = response(surveyId);
    const answers = await Promise.all([apps.a.sendResponse(sameResponse), apps.b.sendResponse(sameResponse)]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      outcomes.push(((await res.json()) as { status: string }).status);
    }
  }
  expect(outcomes.filter((status) => status === 'accepted')).toHaveLength(rounds);
  expect(outcomes.filter((status) => status === 'duplicate')).toHaveLength(rounds);
}
