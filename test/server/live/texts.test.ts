/** Free-text answers over /live: the latest in the ack, new ones as `text:created`, redacted and without respondent ids. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TextAnswer } from '../../../shared/schemas.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, nextStats, nextText, record, sleep, subscribeOk } from './live-helpers.js';

const PUBLIC_TEXT_KEYS = ['areaId', 'id', 'questionId', 'receivedAt', 'surveyId', 'text'];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

function expectPublicText(text: TextAnswer, responseId: string) {
  expect(Object.keys(text).sort()).toEqual(PUBLIC_TEXT_KEYS);
  expect(JSON.stringify(text)).not.toContain(responseId);
  expect(Number.isNaN(Date.parse(text.receivedAt))).toBe(false);
}

it('acks with the latest texts and pushes new ones as text:created, redacted', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const older = response(survey.id, { areaId: 'norr', answers: [{ questionId: 'comment', text: 'Ring mig på 070-123 45 67' }] });
  const newer = response(survey.id, {
    areaId: 'soder',
    answers: [
      { questionId: 'q1', value: 2 },
      { questionId: 'comment', text: 'Mejla anna.svensson@example.se om hissen' },
    ],
  });
  for (const r of [older, newer]) expect((await t.sendResponse(r)).status).toBe(200);
  const token = (await t.app.tokens.mint(survey.id, ['stats', 'text'], 600)).token;
  const socket = t.connectLive();
  await connected(socket);

  const { snapshot, texts } = await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
  expect(snapshot.responses).toBe(2);
  expect(texts?.map(({ surveyId, areaId, questionId, text }) => ({ surveyId, areaId, questionId, text }))).toEqual([
    { surveyId: survey.id, areaId: 'soder', questionId: 'comment', text: 'Mejla [e-post] om hissen' },
    { surveyId: survey.id, areaId: 'norr', questionId: 'comment', text: 'Ring mig på [telefonnummer]' },
  ]);
  expectPublicText(texts?.[0] as TextAnswer, newer.responseId);
  expectPublicText(texts?.[1] as TextAnswer, older.responseId);

  const pushed = nextText(socket, (text) => text.surveyId === survey.id);
  const latest = response(survey.id, { areaId: 'norr', answers: [{ questionId: 'comment', text: 'Mitt personnummer är 19811218-9876, ring inte' }] });
  expect((await t.sendResponse(latest)).status).toBe(200);
  const text = await pushed;
  expect(text).toMatchObject({ surveyId: survey.id, areaId: 'norr', questionId: 'comment', text: 'Mitt personnummer är [personnummer], ring inte' });
  expectPublicText(text, latest.responseId);
});

it('sends text:created only to subscribers who asked for texts', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const token = (await t.app.tokens.mint(survey.id, ['stats', 'text'], 600)).token;
  const statsOnly = t.connectLive();
  const reader = t.connectLive();
  await Promise.all([connected(statsOnly), connected(reader)]);
  await subscribeOk(statsOnly, { surveyId: survey.id, token });
  await subscribeOk(reader, { surveyId: survey.id, token, texts: true });
  const textsToStatsOnly = record(statsOnly, 'text:created');
  const textsToReader = record(reader, 'text:created');

  const readerGetsText = nextText(reader);
  const statsOnlyGetsStats = nextStats(statsOnly, survey.id, (s) => s.responses === 1);
  // An answer to a question that is not a text question is never streamed.
  const sent = response(survey.id, {
    answers: [
      { questionId: 'comment', text: 'Bra service' },
      { questionId: 'q2', text: 'not a text question' },
    ],
  });
  expect((await t.sendResponse(sent)).status).toBe(200);
  expect((await readerGetsText).text).toBe('Bra service');
  await statsOnlyGetsStats;
  await sleep(150);
  expect(textsToStatsOnly).toEqual([]);
  expect(textsToReader.map((text) => text.questionId)).toEqual(['comment']);
});
