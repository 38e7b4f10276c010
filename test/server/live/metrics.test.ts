/** The live layer's Prometheus metrics, read from /metrics as Prometheus would. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, nextStats, nextText, subscribeOk } from './live-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

/** One sample's value from the text exposition format; 0 when the series is absent. */
async function metric(name: string, labels = ''): Promise<number> {
  const res = await fetch(`${t.url}/metrics`);
  expect(res.status).toBe(200);
  const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

it('counts connected sockets up and down', async () => {
  const before = await metric('survey_live_connected_sockets');
  const sockets = [t.connectLive(), t.connectLive(), t.connectLive()];
  await Promise.all(sockets.map((socket) => connected(socket)));
  expect(await metric('survey_live_connected_sockets')).toBe(before + 3);

  sockets[0]?.close();
  await eventually(async () => (await metric('survey_live_connected_sockets')) === before + 2, 'the gauge to drop after a disconnect');
  for (const socket of sockets) socket.close();
  await eventually(async () => (await metric('survey_live_connected_sockets')) === before, 'the gauge back where it was');
});

it('counts messages pushed, by event', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const token = (await t.app.tokens.mint(survey.id, ['stats', 'text'], 600)).token;
  const socket = t.connectLive();
  await connected(socket);
  await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
  const statsBefore = await metric('survey_live_messages_pushed_total', '{event="survey:stats"}');
  const textsBefore = await metric('survey_live_messages_pushed_total', '{event="text:created"}');

  const pushed = Promise.all([nextStats(socket, survey.id, (s) => s.responses === 1), nextText(socket)]);
  expect((await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'Fina rabatter' }] }))).status).toBe(200);
  await pushed;
  expect(await metric('survey_live_messages_pushed_total', '{event="text:created"}')).toBe(textsBefore + 1);
  expect(await metric('survey_live_messages_pushed_total', '{event="survey:stats"}')).toBeGreaterThanOrEqual(statsBefore + 1);
});
