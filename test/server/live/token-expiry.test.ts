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
  // Long enough for the pushes below to arrive first on a busy machine.
  const { token } = await t.app.tokens.mint(survey.id, ['stats', 'text'], 8);
  const socket = t.connectLive();
  await connected(socket);
  const expired = new Promise<{ surveyId: string }>((resolve) => socket.once('survey:expired', resolve));
  await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
  const events: string[] = [];
  socket.onAny((event) => events.push(event));

  expect((await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'före' }] }))).status).toBe(200);
  await eventually(() => events.includes('text:created') && events.includes('survey:stats'), 'pushes while the token is valid', 8000);

  // The server says when the token ran out (a positive event, not a guess at how long to sleep).
  expect(await expired).toEqual({ surveyId: survey.id });
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

it('on one socket with two tokens, the shorter one ends its own access only: told, resubscribed, refused', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const long = (await t.app.tokens.mint(survey.id, ['stats'], 600)).token;
  const short = (await t.app.tokens.mint(survey.id, ['stats', 'text'], 4)).token;
  const socket = t.connectLive();
  await connected(socket);
  await subscribeOk(socket, { surveyId: survey.id, token: long });
  await subscribeOk(socket, { surveyId: survey.id, token: short, texts: true });
  const expired = new Promise<{ surveyId: string }>((resolve) => socket.once('survey:expired', resolve));
  expect(await expired).toEqual({ surveyId: survey.id });

  // What the widget does when told: subscribe again with each token.
  await subscribeOk(socket, { surveyId: survey.id, token: long });
  const refused = await socket.timeout(3000).emitWithAck('survey:subscribe', { surveyId: survey.id, token: short, texts: true });
  expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

  const events: string[] = [];
  socket.onAny((event) => events.push(event));
  expect((await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'efter' }] }))).status).toBe(200);
  await eventually(() => events.includes('survey:stats'), 'stats for the valid token');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(events).not.toContain('text:created');
});
