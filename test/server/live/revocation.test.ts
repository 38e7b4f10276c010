/**
 * Revoking a read token, across two instances on one Redis (Socket.IO Redis adapter): sockets
 * subscribed with it on the other instance are told (`survey:expired`) within 2 s and get nothing
 * more; the token stays refused after both instances restart.
 */
import { expect, it } from 'vitest';
import { eventually, response, sampleSurvey, type TestApp } from '../../support/harness.js';
import { connected, nextStats, record, sleep, subscribe, subscribeOk, twoInstances, withTimeout } from './live-helpers.js';

const apps = twoInstances();

async function mint(app: TestApp, body: object): Promise<{ id: string; token: string }> {
  const res = await app.admin('POST', '/api/v1/tokens', body);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string };
}

it('cuts off every socket subscribed with a revoked token on the other instance within 2 s, and only those; it stays revoked after a restart', async () => {
  const survey = sampleSurvey();
  await apps.a.putSurvey(survey);
  await eventually(async () => (await apps.b.admin('GET', `/api/v1/surveys/${survey.id}`)).ok, 'the survey on B');
  const leaked = await mint(apps.a, { surveyId: survey.id, scopes: ['stats', 'text'], label: 'leaked in page source' });
  const kept = await mint(apps.a, { surveyId: survey.id, label: 'reception' });

  // Two widgets on B with the leaked token (one streaming texts), one with a token that stays.
  const cutOff = [apps.b.connectLive(), apps.b.connectLive()];
  const watcher = apps.b.connectLive();
  await Promise.all([...cutOff, watcher].map((socket) => connected(socket)));
  await subscribeOk(cutOff[0]!, { surveyId: survey.id, token: leaked.token, texts: true });
  await subscribeOk(cutOff[1]!, { surveyId: survey.id, token: leaked.token });
  await subscribeOk(watcher, { surveyId: survey.id, token: kept.token });
  const expired = cutOff.map((socket) => withTimeout(new Promise((resolve) => socket.once('survey:expired', resolve)), 2000, 'survey:expired'));
  const watcherExpired = record(watcher, 'survey:expired');

  // Revoked through A's admin API: B hears of it through the store.
  expect((await apps.a.admin('DELETE', `/api/v1/tokens/${leaked.id}`)).status).toBe(204);
  expect(await Promise.all(expired)).toEqual([{ surveyId: survey.id }, { surveyId: survey.id }]);

  // What the widget does when told: subscribe again with its token; refused, with the reason.
  const again = await subscribe(cutOff[0]!, { surveyId: survey.id, token: leaked.token, texts: true });
  expect(again).toEqual({ ok: false, error: { code: 'unauthorized', message: 'The read token was revoked' } });

  // Nothing more reaches the cut-off sockets, while the watcher gets the next response.
  const after = cutOff.map((socket) => {
    const events: string[] = [];
    socket.onAny((event) => events.push(event));
    return events;
  });
  const update = nextStats(watcher, survey.id, (snapshot) => snapshot.responses === 1);
  expect((await apps.a.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'Hissen står still' }] }))).status).toBe(200);
  await update;
  await sleep(300);
  expect(after).toEqual([[], []]);
  expect(watcherExpired).toEqual([]);

  // Both instances restart: the revocation is kept in Redis.
  await apps.restart();
  const rest = await fetch(`${apps.b.url}/api/v1/surveys/${survey.id}/stats`, { headers: { Authorization: `Bearer ${leaked.token}` } });
  expect(rest.status).toBe(401);
  expect(((await rest.json()) as { detail: string }).detail).toBe('The read token was revoked');
  const socket = apps.a.connectLive();
  await connected(socket);
  expect(await subscribe(socket, { surveyId: survey.id, token: leaked.token })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  await subscribeOk(socket, { surveyId: survey.id, token: kept.token });
});

it('ends only the revoked token’s access on a socket that also subscribed with another token', async () => {
  const survey = sampleSurvey();
  await apps.a.putSurvey(survey);
  await eventually(async () => (await apps.b.admin('GET', `/api/v1/surveys/${survey.id}`)).ok, 'the survey on B');
  const revoked = await mint(apps.a, { surveyId: survey.id, scopes: ['stats', 'text'] });
  const kept = await mint(apps.a, { surveyId: survey.id });
  const socket = apps.b.connectLive();
  await connected(socket);
  await subscribeOk(socket, { surveyId: survey.id, token: kept.token });
  await subscribeOk(socket, { surveyId: survey.id, token: revoked.token, texts: true });
  const expired = withTimeout(new Promise((resolve) => socket.once('survey:expired', resolve)), 2000, 'survey:expired');
  expect((await apps.a.admin('DELETE', `/api/v1/tokens/${revoked.id}`)).status).toBe(204);
  await expired;

  await subscribeOk(socket, { surveyId: survey.id, token: kept.token });
  expect(await subscribe(socket, { surveyId: survey.id, token: revoked.token, texts: true })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  const texts = record(socket, 'text:created');
  const update = nextStats(socket, survey.id, (snapshot) => snapshot.responses === 1);
  expect((await apps.a.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'efter' }] }))).status).toBe(200);
  await update;
  await sleep(300);
  expect(texts).toEqual([]);
});
