/**
 * The survey's lifecycle end to end, over real HTTP and a real socket.io-client, on both stores:
 * late responses answered `late`, kept and not counted, then counted once after a reopening
 * (on whichever instance takes the PUT); states; the call list; a close pushed with no response.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SurveySnapshot } from '../../../shared/schemas.js';
import { deleteKeys, eventually, redisUrl, response, sampleSurvey, startTestApp, type TestApp, testPrefix } from '../../support/harness.js';
import { connected, nextStats, subscribeOk } from '../live/live-helpers.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

let apps: TestApp[] = [];
let prefixes: string[] = [];
afterEach(async () => {
  for (const app of apps) await app.close();
  await Promise.all(prefixes.map((prefix) => deleteKeys(redisUrl(), prefix)));
  apps = [];
  prefixes = [];
});

async function start(store: 'memory' | 'redis', prefix?: string): Promise<TestApp> {
  const app = await startTestApp({ store, ...(prefix ? { prefix, adapter: true } : {}) });
  apps.push(app);
  return app;
}

async function stats(t: TestApp, surveyId: string): Promise<SurveySnapshot> {
  const token = (await t.app.tokens.mint(surveyId, ['stats'], 600)).token;
  const res = await fetch(`${t.url}/api/v1/surveys/${surveyId}/stats`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as SurveySnapshot;
}

describe.each(['memory', 'redis'] as const)('lifecycle on the %s store', (kind) => {
  it('answers late after closesAt, keeps it out of every count, and counts it once after a reopening', async () => {
    const t = await start(kind);
    const survey = { ...sampleSurvey(), opensAt: iso(Date.now() - 10 * DAY_MS), closesAt: iso(Date.now() - 60_000) };
    await t.putSurvey(survey);
    const counted = response(survey.id, { areaId: 'norr' });

    const first = await t.sendResponse(counted);
    expect([first.status, await first.json()]).toEqual([200, { status: 'late' }]);
    const again = await t.sendResponse(counted);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(await (await t.sendResponse(response(survey.id, { areaId: 'soder' }))).json()).toEqual({ status: 'late' });

    let snapshot = await stats(t, survey.id);
    expect(snapshot).toMatchObject({ state: 'closed', responses: 0, responseRate: 0, late: 2 });
    expect(snapshot.areas.map((area) => [area.id, area.responses, area.late])).toEqual([
      ['norr', 0, 1],
      ['soder', 0, 1],
    ]);
    expect(snapshot.pace).toMatchObject({ daysLeft: 0, neededPerDay: null, forecastResponses: 0 });

    // Reopened: a later closesAt. Both kept responses count, once, even when the PUT is repeated.
    const reopened = { ...survey, closesAt: iso(Date.now() + 5 * DAY_MS) };
    await t.putSurvey(reopened);
    await t.putSurvey(reopened);
    snapshot = await stats(t, survey.id);
    expect(snapshot).toMatchObject({ state: 'open', responses: 2, late: 0 });
    expect(snapshot.areas.map((area) => [area.responses, area.late])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(await (await t.sendResponse(counted)).json()).toEqual({ status: 'duplicate' });
    expect(await t.store.listLate(survey.id)).toEqual([]);
  });

  it('counts responses before opensAt (paper answers arrive early) and says scheduled', async () => {
    const t = await start(kind);
    const survey = { ...sampleSurvey(), opensAt: iso(Date.now() + 3 * DAY_MS), closesAt: iso(Date.now() + 20 * DAY_MS) };
    await t.putSurvey(survey);
    expect(await (await t.sendResponse(response(survey.id))).json()).toEqual({ status: 'accepted' });
    expect(await stats(t, survey.id)).toMatchObject({ state: 'scheduled', responses: 1, late: 0 });
  });
});

it('replays late responses on the instance that takes the PUT, and every subscriber hears the new counts', async () => {
  const prefix = testPrefix();
  prefixes.push(prefix);
  const a = await start('redis', prefix);
  const b = await start('redis', prefix);
  const survey = { ...sampleSurvey(), closesAt: iso(Date.now() - 1000) };
  await a.putSurvey(survey);
  // Instance b learns of the survey through the store's pub/sub.
  for (let i = 0; i < 100 && !(await b.store.getSurvey(survey.id)); i++) await new Promise((r) => setTimeout(r, 20));
  expect(await (await b.sendResponse(response(survey.id))).json()).toEqual({ status: 'late' });
  // Instance a's snapshot cache catches up within STATS_INTERVAL_MS.
  await eventually(async () => (await stats(a, survey.id)).late === 1, 'instance a to see the late response');

  const socket = a.connectLive();
  await connected(socket);
  const token = (await a.app.tokens.mint(survey.id, ['stats'], 600)).token;
  const { snapshot } = await subscribeOk(socket, { surveyId: survey.id, token });
  expect(snapshot).toMatchObject({ state: 'closed', late: 1, responses: 0 });
  const counted = nextStats(socket, survey.id, (next) => next.responses === 1 && next.late === 0);
  await b.putSurvey({ ...survey, closesAt: iso(Date.now() + DAY_MS) });
  expect(await counted).toMatchObject({ state: 'open', late: 0, responses: 1 });
});

it('tells subscribers when the survey closes, with no response arriving', async () => {
  const t = await start('memory');
  const survey = { ...sampleSurvey(), closesAt: iso(Date.now() + 1500) };
  await t.putSurvey(survey);
  const socket = t.connectLive();
  await connected(socket);
  const token = (await t.app.tokens.mint(survey.id, ['stats'], 600)).token;
  expect((await subscribeOk(socket, { surveyId: survey.id, token })).snapshot.state).toBe('open');
  expect((await nextStats(socket, survey.id, (next) => next.state === 'closed', 10_000)).pace.daysLeft).toBe(0);
});

describe('GET /api/v1/surveys/:id/call-list', () => {
  it('lists areas most behind first, for a stats token or the admin token, and refuses others', async () => {
    const t = await start('memory');
    const survey = {
      ...sampleSurvey(),
      closesAt: iso(Date.now() + 10 * DAY_MS),
      areas: [
        { id: 'ahead', name: 'Ahead', distributed: 10 },
        { id: 'far', name: 'Far behind', distributed: 300 },
        { id: 'near', name: 'Near', distributed: 40, target: 0.5 },
        { id: 'tiny', name: 'Tiny', distributed: 2 },
      ],
    };
    await t.putSurvey(survey);
    const send = (areaId: string, n: number) => Promise.all(Array.from({ length: n }, () => t.sendResponse(response(survey.id, { areaId }))));
    await send('ahead', 9);
    await send('far', 30);
    await send('near', 10);
    await send('tiny', 1);
    const token = (await t.app.tokens.mint(survey.id, ['stats'], 600)).token;
    const path = `${t.url}/api/v1/surveys/${survey.id}/call-list`;

    const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { surveyId: string; state: string; daysLeft: number; areas: { id: string; pace: { needed: number } }[] };
    // Every response arrived within the last hour: the straight line is ~ (n / 3 days) × 10 days.
    expect(list).toMatchObject({ surveyId: survey.id, state: 'open' });
    expect(list.daysLeft).toBeCloseTo(10, 3);
    expect(list.areas.map((area) => area.id)).toEqual(['far', 'near', 'tiny', 'ahead']);
    expect(list.areas[0]).toMatchObject({
      name: 'Far behind',
      distributed: 300,
      responses: 30,
      responseRate: 0.1,
      pace: { targetResponses: 180, needed: 150 },
    });
    expect((await stats(t, survey.id)).callList).toEqual(['far', 'near', 'tiny', 'ahead']);

    expect((await t.admin('GET', `/api/v1/surveys/${survey.id}/call-list`)).status).toBe(200);
    const refused = await fetch(path);
    expect([refused.status, refused.headers.get('content-type')]).toEqual([401, 'application/problem+json; charset=utf-8']);
    expect((await t.admin('GET', '/api/v1/surveys/none-such/call-list')).status).toBe(404);
  });
});
