/** A live subscription lasts as long as its token, against real Redis and a real socket. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, subscribeOk } from './live-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

it("stops pushing stats and free text once the subscription's token has expired", async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const { token } = await t.app.tokens.mint(survey.id, ['stats', 'text'], 2);
  const socket = t.connectLive();
  await connected(socket);
  await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
  const events: string[] = [];
  socket.onAny((event) => events.push(event));

  expect((await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'före' }] }))).status).toBe(200);
  await eventually(() => events.includes('text:created') && events.includes('survey:stats'), 'pushes while the token is valid');

  await new Promise((resolve) => setTimeout(resolve, 2300));
  events.length = 0;
  expect((await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'efter' }] }))).status).toBe(200);
  // A second subscriber with a valid token sees the update: so the first one would have, had it stayed.
  const watcher = t.connectLive();
  await connected(watcher);
  const { token: fresh } = await t.app.tokens.mint(survey.id, ['stats'], 60);
  const { snapshot } = await subscribeOk(watcher, { surveyId: survey.id, token: fresh });
  expect(snapshot.responses).toBe(2);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(events).toEqual([]);
});
