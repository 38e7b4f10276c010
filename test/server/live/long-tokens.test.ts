/**
 * setTimeout cannot wait past 2^31 ms (~24.8 days): a longer wait fires at once. A 30-day board
 * token must still end its subscription on a socket that stays open that long. A fake clock
 * crosses the weeks; the socket, token and server are real.
 */

import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type App, createApp } from '../../../server/app.js';
import { MAX_TIMER_MS } from '../../../server/live/expiry-queue.js';
import { MemoryStore } from '../../../server/store/memory-store.js';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import { ADMIN_TOKEN, sampleSurvey, testConfig } from '../../support/harness.js';
import { connected, FakeClock, type LiveClient, subscribeOk, withTimeout } from './live-helpers.js';

const clock = new FakeClock();
let app: App;
let url: string;
const sockets: LiveClient[] = [];
beforeAll(async () => {
  app = createApp({ config: testConfig(), store: new MemoryStore({ textLimit: 500 }), clock });
  url = `http://127.0.0.1:${(await app.listen(0, '127.0.0.1')).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await app.close();
});

it('ends a 30-day subscription after 30 days, waiting in steps a timer can take', async () => {
  const survey = sampleSurvey();
  const put = await fetch(`${url}/api/v1/surveys/${survey.id}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(survey),
  });
  expect(put.ok).toBe(true);
  const thirtyDays = 30 * 86_400;
  const { token, expiresAt } = await app.tokens.mint(survey.id, ['stats'], thirtyDays);
  const socket = connect(`${url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true }) as LiveClient;
  sockets.push(socket);
  await connected(socket);
  const start = clock.now();
  await subscribeOk(socket, { surveyId: survey.id, token });

  // The first step is the longest a timer can wait, not the token's whole life (which fires at once).
  expect(clock.pending.size).toBe(1);
  expect(clock.fireNext()).toBe(MAX_TIMER_MS);
  expect(app.live.pendingExpiries).toBe(1);
  expect(clock.pending.size).toBe(1);
  // The rest of the 30 days, then the subscription ends and the socket is told.
  const told = withTimeout(new Promise<{ surveyId: string }>((resolve) => socket.once('survey:expired', resolve)), 5000, 'survey:expired');
  expect(clock.fireNext()).toBe(new Date(expiresAt).getTime() - start - MAX_TIMER_MS);
  expect(clock.now()).toBe(new Date(expiresAt).getTime());
  expect(await told).toEqual({ surveyId: survey.id });
  expect(app.live.pendingExpiries).toBe(0);
  expect(clock.pending.size).toBe(0);
});
