/**
 * Sockets that subscribe and disconnect before the subscription's awaits finish must leave
 * nothing behind: no expiry timer, no room membership, no retained socket. Real socket.io
 * clients over a real port; timers counted by the process and by the LiveServer, heap after a
 * full garbage collection.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Socket as ServerSocket } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import { sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, type LiveClient, subscribe, subscribeOk } from './live-helpers.js';

// A full collection without starting the worker with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const collect = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
};
const activeTimeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

const ROUNDS = 1000;

it(`leaves no timer, room or socket behind after ${ROUNDS} connections that disconnect mid-subscription`, { timeout: 120_000 }, async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const { token } = await t.app.tokens.mint(survey.id, ['stats', 'text'], 3600);
  const live = t.app.live.io.of(LIVE_NAMESPACE);
  const serverSockets: WeakRef<ServerSocket>[] = [];
  live.on('connection', (socket) => serverSockets.push(new WeakRef(socket)));

  // Warm up the code paths (and their caches) once, so the baseline includes them.
  const warm = t.connectLive();
  await connected(warm);
  await subscribeOk(warm, { surveyId: survey.id, token, texts: true });
  warm.close();
  await waitFor(() => live.sockets.size === 0, 'the warm-up socket to go');
  await collect();
  const baseline = { timeouts: activeTimeouts(), heap: process.memoryUsage().heapUsed };

  // In batches of 50: each subscribes and disconnects while its subscription awaits the token
  // check. On loopback the check often wins that race; holding it until the batch has gone
  // makes every one of them lose it, as a slow store or a busy event loop does in production.
  const tokens = t.app.tokens;
  const check = tokens.check.bind(tokens);
  let gate = Promise.resolve();
  let calls = 0;
  tokens.check = async (...args) => {
    calls++;
    await gate;
    return check(...args);
  };
  for (let round = 0; round < ROUNDS; round += 50) {
    let open!: () => void;
    gate = new Promise((resolve) => {
      open = resolve;
    });
    const batch: LiveClient[] = [];
    // Not t.connectLive(): it keeps every client for close(), which would weigh on the heap.
    for (let i = 0; i < 50; i++) batch.push(connect(`${t.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false }));
    await Promise.all(batch.map((socket) => connected(socket, 20_000)));
    for (const socket of batch) socket.emit('survey:subscribe', { surveyId: survey.id, token, texts: true }, () => {});
    await waitFor(() => calls === round + batch.length, 'every subscription to be under way');
    for (const socket of batch) socket.disconnect();
    await waitFor(() => live.sockets.size === 0, 'the server to see every disconnect');
    open();
  }
  tokens.check = check;
  // Subscriptions still running end before we look (a live socket's subscribe is a barrier).
  const probe = t.connectLive();
  await connected(probe);
  expect((await subscribe(probe, { surveyId: survey.id, token })).ok).toBe(true);
  probe.close();
  await waitFor(() => live.sockets.size === 0, 'the probe to go');
  await collect();

  const after = { timeouts: activeTimeouts(), heap: process.memoryUsage().heapUsed };
  console.info(`after ${ROUNDS} racing connections: timers ${baseline.timeouts} -> ${after.timeouts}, heap ${mb(baseline.heap)} -> ${mb(after.heap)} MB`);
  expect(t.app.live.pendingExpiries).toBe(0);
  expect([...t.app.live.io.of(LIVE_NAMESPACE).adapter.sids.keys()]).toEqual([]);
  expect(after.timeouts).toBeLessThanOrEqual(baseline.timeouts + 5);
  // ~11 KB per leaked socket before the fix; the test clients' own garbage is collected too.
  expect(after.heap - baseline.heap).toBeLessThan(6 * 1024 * 1024);
  expect(serverSockets.filter((ref) => ref.deref() !== undefined).length).toBe(0);
});

it('refuses the 51st subscription of one socket with bad_request and keeps the first 50', async () => {
  const surveys = Array.from({ length: 51 }, () => sampleSurvey());
  for (const survey of surveys) await t.putSurvey(survey);
  const socket = t.connectLive();
  await connected(socket);
  const tokens = await Promise.all(surveys.map((survey) => t.app.tokens.mint(survey.id, ['stats'], 3600)));
  // All at once: the cap must hold while earlier subscriptions are still being checked.
  const acks = await Promise.all(surveys.map((survey, i) => subscribe(socket, { surveyId: survey.id, token: tokens[i]?.token }, 20_000)));
  expect(acks.filter((ack) => ack.ok)).toHaveLength(50);
  const refused = acks.filter((ack) => !ack.ok);
  expect(refused).toEqual([{ ok: false, error: { code: 'bad_request', message: expect.stringContaining('50') } }]);

  // Resubscribing to a survey it already has is no new subscription; leaving one frees a place.
  const first = surveys[0]?.id as string;
  expect((await subscribe(socket, { surveyId: first, token: tokens[0]?.token })).ok).toBe(true);
  const lastIndex = acks.findIndex((ack) => !ack.ok);
  socket.emit('survey:unsubscribe', { surveyId: first });
  expect((await subscribe(socket, { surveyId: surveys[lastIndex]?.id as string, token: tokens[lastIndex]?.token })).ok).toBe(true);
});

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
