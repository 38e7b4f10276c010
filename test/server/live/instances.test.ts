/**
 * Two instances on one Redis (same key prefix, Socket.IO Redis adapter), as behind a load
 * balancer: what one instance receives, widgets on the other see, and nothing is counted twice.
 */
import { expect, it } from 'vitest';
import type { SurveySnapshot } from '../../../shared/schemas.js';
import { eventually, response, sampleSurvey, type TestApp } from '../../support/harness.js';
import { connected, nextStats, nextText, sendEachToBoth, subscribeOk, twoInstances } from './live-helpers.js';

const apps = twoInstances();

/** Defines a survey on A and waits until B knows it too (pub/sub refreshes B's survey cache). */
async function surveyOnBoth() {
  const survey = sampleSurvey();
  await apps.a.putSurvey(survey);
  await eventually(async () => (await apps.b.admin('GET', `/api/v1/surveys/${survey.id}`)).ok, `survey ${survey.id} on B`);
  return survey;
}

async function statsOn(app: TestApp, surveyId: string): Promise<SurveySnapshot> {
  const token = (await app.app.tokens.mint(surveyId, ['stats'], 600)).token;
  const res = await fetch(`${app.url}/api/v1/surveys/${surveyId}/stats`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as SurveySnapshot;
}

it('shows a survey defined on A through B’s admin API, and its changes', async () => {
  const survey = sampleSurvey();
  expect((await apps.b.admin('GET', `/api/v1/surveys/${survey.id}`)).status).toBe(404);
  await apps.a.putSurvey(survey);
  const seenOnB = await eventually(async () => {
    const res = await apps.b.admin('GET', `/api/v1/surveys/${survey.id}`);
    return res.ok ? ((await res.json()) as { name: string }) : undefined;
  }, `survey ${survey.id} on B`);
  expect(seenOnB.name).toBe(survey.name);

  await apps.a.putSurvey({ ...survey, name: 'Kundenkät 2026, omgång 2' });
  await eventually(async () => {
    const res = await apps.b.admin('GET', `/api/v1/surveys/${survey.id}`);
    return res.ok && ((await res.json()) as { name: string }).name === 'Kundenkät 2026, omgång 2';
  }, 'the renamed survey on B');
});

it('pushes survey:stats and text:created to a widget on B for webhooks received by A', async () => {
  const survey = await surveyOnBoth();
  const token = (await apps.b.app.tokens.mint(survey.id, ['stats', 'text'], 600)).token;
  const socket = apps.b.connectLive();
  await connected(socket);
  const { snapshot } = await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
  expect(snapshot.responses).toBe(0);

  const stats = nextStats(socket, survey.id, (s) => s.responses === 1);
  const text = nextText(socket, (t) => t.surveyId === survey.id);
  const res = await apps.a.sendResponse(response(survey.id, { areaId: 'soder', answers: [{ questionId: 'comment', text: 'Tvättstugan är alltid full' }] }));
  expect(res.status).toBe(200);
  expect((await stats).areas.find((area) => area.id === 'soder')?.responses).toBe(1);
  expect(await text).toMatchObject({ surveyId: survey.id, areaId: 'soder', questionId: 'comment', text: 'Tvättstugan är alltid full' });
});

it('counts a response once when it reaches A and B at the same time', async () => {
  const survey = await surveyOnBoth();
  const rounds = 20;
  await sendEachToBoth(apps, survey.id, rounds);
  // Each instance may serve a snapshot up to STATS_INTERVAL_MS old when the last count came from the other.
  // Exactly `rounds`: a response counted twice would never equal it.
  for (const app of [apps.a, apps.b])
    await eventually(async () => (await statsOn(app, survey.id)).responses === rounds, `${rounds} responses on ${app.url}`, 10_000);
});
