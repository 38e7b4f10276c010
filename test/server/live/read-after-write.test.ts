/**
 * An admin write that answered 200 is what the next read shows, on any instance: a survey PUT and
 * a hand-out CSV change `distributed` in the very next stats read, even with a snapshot cached
 * just before (STATS_INTERVAL_MS is long here, so a stale cache could not hide). Deleting a survey
 * takes its texts off every feed that shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveySnapshot } from '../../../shared/schemas.js';
import { ADMIN_TOKEN, deleteKeys, redisUrl, response, sampleSurvey, startTestApp, type TestApp, testPrefix } from '../../support/harness.js';
import { connected, nextText, subscribeOk, withTimeout } from './live-helpers.js';

const env = { STATS_INTERVAL_MS: '60000' };

/**
 * Makes an instance slow to take in survey changes from Redis pub/sub, as a busy or distant
 * instance is: a write that answered before every instance applied it would then be read stale.
 */
function slowToApplyChanges(app: TestApp, ms = 300): void {
  const store = app.store as unknown as { refreshSurvey: (surveyId: string) => Promise<void> };
  const refresh = store.refreshSurvey.bind(store);
  store.refreshSurvey = async (surveyId) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await refresh(surveyId);
  };
}

async function statsOn(app: TestApp, surveyId: string): Promise<SurveySnapshot> {
  const token = (await app.app.tokens.mint(surveyId, ['stats'], 600)).token;
  const res = await fetch(`${app.url}/api/v1/surveys/${surveyId}/stats`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as SurveySnapshot;
}

async function importCsv(app: TestApp, surveyId: string, csv: string): Promise<void> {
  const res = await fetch(`${app.url}/api/v1/surveys/${surveyId}/distribution`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv' },
    body: csv,
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Writes on `writer` and reads on each of `readers` right after the 200. */
async function expectReadAfterWrite(writer: TestApp, readers: TestApp[]) {
  const survey = sampleSurvey();
  await writer.putSurvey(survey);
  expect((await writer.sendResponse(response(survey.id))).status).toBe(200);
  // Every reader builds and caches a snapshot first.
  for (const reader of readers) expect((await statsOn(reader, survey.id)).distributed).toBe(150);

  await writer.putSurvey({
    ...survey,
    areas: [
      { id: 'norr', name: 'Norra området', distributed: 400 },
      { id: 'soder', name: 'Södra området', distributed: 50 },
    ],
  });
  for (const reader of readers) expect((await statsOn(reader, survey.id)).distributed).toBe(450);

  await importCsv(writer, survey.id, 'område;antal\nSödra området;1000\n');
  for (const reader of readers) {
    const stats = await statsOn(reader, survey.id);
    expect(stats.distributed).toBe(1400);
    expect(stats.areas.find((area) => area.id === 'soder')?.distributed).toBe(1000);
    expect(stats.responses).toBe(1);
  }
}

/** A feed showing a text of the survey hears `text:removed` for it when the survey is deleted. */
async function expectDeleteRemovesTexts(writer: TestApp, feedOn: TestApp) {
  const survey = sampleSurvey();
  await writer.putSurvey(survey);
  const socket = feedOn.connectLive();
  await connected(socket);
  const { token } = await feedOn.app.tokens.mint(survey.id, ['stats', 'text'], 600);
  // The survey may reach the feed's instance a moment after the PUT only if read-after-write fails.
  await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
  const shown = nextText(socket, (text) => text.surveyId === survey.id, 10_000);
  expect((await writer.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'syns på tavlan' }] }))).status).toBe(200);
  const text = await shown;
  const removed = withTimeout(new Promise<{ id: string; surveyId: string }>((resolve) => socket.on('text:removed', resolve)), 10_000, 'text:removed');
  expect((await writer.admin('DELETE', `/api/v1/surveys/${survey.id}`)).status).toBe(204);
  expect(await removed).toEqual({ id: text.id, surveyId: survey.id });
}

describe.each(['memory', 'redis'] as const)('one instance (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ store, env });
    if (store === 'redis') slowToApplyChanges(t);
  });
  afterAll(() => t.close());

  it('shows a survey PUT and a hand-out CSV in the next stats read', () => expectReadAfterWrite(t, [t]));
  it('sends text:removed for the texts of a deleted survey', () => expectDeleteRemovesTexts(t, t));
});

describe('two instances on one Redis', () => {
  const prefix = testPrefix();
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ store: 'redis', adapter: true, prefix, env });
    b = await startTestApp({ store: 'redis', adapter: true, prefix, env });
    slowToApplyChanges(a);
    slowToApplyChanges(b);
  });
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await deleteKeys(redisUrl(), prefix);
  });

  it('shows a write on A in the next stats read on A and on B', () => expectReadAfterWrite(a, [a, b]));
  it('sends text:removed to a feed on B when A deletes the survey', () => expectDeleteRemovesTexts(a, b));
});
