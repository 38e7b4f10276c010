/** Coalesced `survey:stats`: few messages under a burst, the last one exact, the first one after a quiet spell prompt. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SurveySnapshot } from '../../../shared/schemas.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, type LiveClient, nextStats, quiet, record, sleep, subscribeOk } from './live-helpers.js';

const BURST = 500;
const CHUNK = 50;
const SUBSCRIBERS = 3;
/** STATS_INTERVAL_MS's default: the harness leaves it unset. */
const INTERVAL_MS = 250;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
  expect(t.config.statsIntervalMs).toBe(INTERVAL_MS);
});
afterAll(() => t.close());

async function subscribers(surveyId: string, count: number): Promise<LiveClient[]> {
  const token = (await t.app.tokens.mint(surveyId, ['stats'], 600)).token;
  const sockets = Array.from({ length: count }, () => t.connectLive());
  await Promise.all(sockets.map((socket) => connected(socket)));
  for (const socket of sockets) await subscribeOk(socket, { surveyId, token });
  return sockets;
}

it(`coalesces a burst of ${BURST} responses into a handful of survey:stats per subscriber, the last one exact`, async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const sockets = await subscribers(survey.id, SUBSCRIBERS);
  const received = sockets.map((socket) => record(socket, 'survey:stats'));

  const started = performance.now();
  for (let sent = 0; sent < BURST; sent += CHUNK) {
    const statuses = await Promise.all(
      Array.from({ length: CHUNK }, (_, i) => t.sendResponse(response(survey.id, { areaId: i % 2 ? 'norr' : 'soder' })).then((res) => res.status)),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
  }
  const burstMs = performance.now() - started;
  // Quiet for several intervals: the broadcaster has delivered the last change.
  await quiet(() => received.reduce((sum, list) => sum + list.length, 0), 3 * INTERVAL_MS);

  const counts = received.map((list) => list.length);
  console.info(`${BURST} responses in ${Math.round(burstMs)} ms -> survey:stats per subscriber: ${counts.join(', ')}`);
  for (const list of received) {
    expect(list.length).toBeGreaterThan(0);
    // At most one per interval while the burst lasted, plus the last change: measured against
    // this run's own burst, so a slow machine (a longer burst) is no failure.
    expect(list.length).toBeLessThanOrEqual(Math.ceil(burstMs / INTERVAL_MS) + 3);
    const last = list.at(-1) as SurveySnapshot;
    expect(last.responses).toBe(BURST);
    expect(last.areas.map((area) => area.responses)).toEqual([BURST / 2, BURST / 2]);
    // Counts only ever grow within one subscriber's stream.
    const seen = list.map((snapshot) => snapshot.responses);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  }
});

it('delivers the first change after a quiet spell', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const [socket] = (await subscribers(survey.id, 1)) as [LiveClient];
  // Defining the survey is itself a change; let it and a full interval after it pass.
  await sleep(3 * INTERVAL_MS);

  let arrivedAt = 0;
  const pushed = nextStats(socket, survey.id, (s) => s.responses === 1, 15_000).then((snapshot) => {
    arrivedAt = performance.now();
    return snapshot;
  });
  const sentAt = performance.now();
  const res = await t.sendResponse(response(survey.id));
  const answeredAt = performance.now();
  expect(res.status).toBe(200);
  expect((await pushed).responses).toBe(1);
  console.info(
    `first change after quiet: webhook answered in ${Math.round(answeredAt - sentAt)} ms, survey:stats ${Math.round(arrivedAt - answeredAt)} ms after the answer`,
  );
});

it('pushes new rates when the survey changes, without any new response', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  for (const areaId of ['norr', 'norr', 'soder']) expect((await t.sendResponse(response(survey.id, { areaId }))).status).toBe(200);
  const [socket] = (await subscribers(survey.id, 1)) as [LiveClient];

  const pushed = nextStats(socket, survey.id, (s) => s.distributed === 300);
  await t.putSurvey({
    ...survey,
    areas: [
      { id: 'norr', name: 'Norra området', distributed: 200 },
      { id: 'soder', name: 'Södra området', distributed: 100 },
    ],
  });
  const snapshot = await pushed;
  expect(snapshot.responses).toBe(3);
  expect(snapshot.responseRate).toBe(3 / 300);
  expect(snapshot.areas.map(({ id, distributed, responseRate }) => ({ id, distributed, responseRate }))).toEqual([
    { id: 'norr', distributed: 200, responseRate: 2 / 200 },
    { id: 'soder', distributed: 100, responseRate: 1 / 100 },
  ]);
});
