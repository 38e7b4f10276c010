/**
 * Subscriptions end when their token does, all on one timer armed for the earliest (expiry-queue.ts)
 * rather than one per socket: many screens on one token, a later or earlier token on the same
 * subscription, a revoked token and a closed socket each leave the queue and its timer right.
 * A fake clock stands in for time; sockets, tokens and the server are real.
 */
import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type App, createApp } from '../../../server/app.js';
import { STATS_SHARDS, statsShardRoom } from '../../../server/live/live-server.js';
import { MemoryStore } from '../../../server/store/memory-store.js';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import { ADMIN_TOKEN, eventually, sampleSurvey, testConfig } from '../../support/harness.js';
import { barrier, connected, FakeClock, type LiveClient, record, subscribeOk } from './live-helpers.js';

const HOUR = 3600;
let clock: FakeClock;
let app: App;
let url: string;
const sockets: LiveClient[] = [];
// A fresh server and clock for each test: a fired timer moves the fake time past the next test's tokens.
beforeEach(async () => {
  clock = new FakeClock();
  app = createApp({ config: testConfig(), store: new MemoryStore({ textLimit: 500 }), clock });
  url = `http://127.0.0.1:${(await app.listen(0, '127.0.0.1')).port}`;
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await app.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function defineSurvey(): Promise<string> {
  const survey = sampleSurvey();
  expect((await admin('PUT', `/surveys/${survey.id}`, survey)).ok).toBe(true);
  return survey.id;
}

async function widget(): Promise<LiveClient> {
  const socket = connect(`${url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false }) as LiveClient;
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** The time the one armed timer waits for. */
function armedFor(): number {
  expect(clock.pending.size).toBe(1);
  return [...clock.pending.values()][0]?.at ?? Number.NaN;
}

/** Sockets in any of the survey's stats shard rooms. */
function subscribers(surveyId: string): number {
  const rooms = app.live.io.of(LIVE_NAMESPACE).adapter.rooms;
  let count = 0;
  for (let shard = 0; shard < STATS_SHARDS; shard++) count += rooms.get(statsShardRoom(surveyId, shard))?.size ?? 0;
  return count;
}

it('ends every screen subscribed with one token at its expiry, on one timer, telling each once', async () => {
  const surveyId = await defineSurvey();
  const { token, expiresAt } = await app.tokens.mint(surveyId, ['stats'], HOUR);
  const screens = await Promise.all(Array.from({ length: 5 }, () => widget()));
  const told = screens.map((socket) => record(socket, 'survey:expired'));
  for (const socket of screens) await subscribeOk(socket, { surveyId, token });
  expect(app.live.pendingExpiries).toBe(5);
  expect(armedFor()).toBe(new Date(expiresAt).getTime());

  clock.fireNext();
  await eventually(() => told.every((events) => events.length > 0), 'survey:expired on every screen');
  // The server handles and answers a socket's packets in order: a second survey:expired would be here by now.
  for (const socket of screens) await barrier(socket);
  expect(told).toEqual(screens.map(() => [{ surveyId }]));
  expect(app.live.pendingExpiries).toBe(0);
  expect(clock.pending.size).toBe(0);
  expect(subscribers(surveyId)).toBe(0);
});

it('keeps the earliest expiry of a subscription renewed with other tokens, and arms a renewal after it ends', async () => {
  const surveyId = await defineSurvey();
  const twoHours = await app.tokens.mint(surveyId, ['stats'], 2 * HOUR);
  const threeHours = await app.tokens.mint(surveyId, ['stats'], 3 * HOUR);
  const oneHour = await app.tokens.mint(surveyId, ['stats'], HOUR);
  const socket = await widget();
  const told = record(socket, 'survey:expired');

  await subscribeOk(socket, { surveyId, token: twoHours.token });
  expect(armedFor()).toBe(new Date(twoHours.expiresAt).getTime());
  // A later token does not put the end off: the page's first token to run out ends the subscription.
  await subscribeOk(socket, { surveyId, token: threeHours.token });
  expect(armedFor()).toBe(new Date(twoHours.expiresAt).getTime());
  // An earlier one brings it forward.
  await subscribeOk(socket, { surveyId, token: oneHour.token });
  expect(armedFor()).toBe(new Date(oneHour.expiresAt).getTime());
  expect(app.live.pendingExpiries).toBe(1);

  clock.fireNext();
  await eventually(() => told.length > 0, 'survey:expired');
  expect(told).toEqual([{ surveyId }]);
  expect(app.live.pendingExpiries).toBe(0);
  expect(clock.pending.size).toBe(0);

  // Told, the widget subscribes again with the tokens still valid: the later one now sets the end.
  await subscribeOk(socket, { surveyId, token: threeHours.token });
  expect(armedFor()).toBe(new Date(threeHours.expiresAt).getTime());
  expect(app.live.pendingExpiries).toBe(1);
  expect(subscribers(surveyId)).toBe(1);
});

it('ends the subscriptions of a revoked token at once and leaves the others due at their time', async () => {
  const surveyId = await defineSurvey();
  const revoked = await app.tokens.mint(surveyId, ['stats'], HOUR);
  const kept = await app.tokens.mint(surveyId, ['stats'], 2 * HOUR);
  const [a, b] = [await widget(), await widget()] as const;
  const toldA = record(a, 'survey:expired');
  const toldB = record(b, 'survey:expired');
  await subscribeOk(a, { surveyId, token: revoked.token });
  await subscribeOk(b, { surveyId, token: kept.token });
  expect(app.live.pendingExpiries).toBe(2);
  expect(armedFor()).toBe(new Date(revoked.expiresAt).getTime());

  expect((await admin('DELETE', `/tokens/${revoked.id}`)).status).toBe(204);
  await eventually(() => toldA.length > 0, 'survey:expired on the revoked token’s screen');
  expect(app.live.pendingExpiries).toBe(1);
  // The timer now waits for the kept token only.
  expect(armedFor()).toBe(new Date(kept.expiresAt).getTime());
  await barrier(b);
  expect(toldB).toEqual([]);

  clock.fireNext();
  await eventually(() => toldB.length > 0, 'survey:expired on the kept token’s screen');
  expect(toldA).toEqual([{ surveyId }]);
  expect(toldB).toEqual([{ surveyId }]);
  expect(app.live.pendingExpiries).toBe(0);
  expect(clock.pending.size).toBe(0);
});

it('forgets the expiries of sockets that disconnect, and disarms the timer with the last', async () => {
  const surveyId = await defineSurvey();
  const other = await defineSurvey();
  const soon = await app.tokens.mint(surveyId, ['stats'], HOUR);
  const later = await app.tokens.mint(other, ['stats'], 2 * HOUR);
  const [a, b] = [await widget(), await widget()] as const;
  await subscribeOk(a, { surveyId, token: soon.token });
  await subscribeOk(a, { surveyId: other, token: later.token });
  await subscribeOk(b, { surveyId, token: soon.token });
  expect(app.live.pendingExpiries).toBe(3);

  b.disconnect();
  await eventually(() => app.live.pendingExpiries === 2, 'b’s expiry forgotten');
  expect(armedFor()).toBe(new Date(soon.expiresAt).getTime());
  a.disconnect();
  await eventually(() => app.live.pendingExpiries === 0, 'a’s expiries forgotten');
  expect(clock.pending.size).toBe(0);
});
