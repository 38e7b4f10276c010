/** What ingest keeps of free text: redacted with the survey's area names spared, and nothing else. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'memory' });
});
afterAll(() => t.close());

it('redacts text answers with the survey’s area names spared', async () => {
  const survey = {
    ...sampleSurvey(),
    areas: [
      { id: 'holm', name: 'Holm', distributed: 10 },
      { id: 'ring', name: 'Ringdansen', distributed: 10 },
    ],
  };
  await t.putSurvey(survey);
  const text = 'här i Holm är det lugnt men Anna Svensson på Ringdansen 34, port C i lgh 1102 spelar högt';
  const res = await t.sendResponse(
    response(survey.id, {
      areaId: 'holm',
      answers: [
        { questionId: 'comment', text },
        { questionId: 'q1', value: 3 },
      ],
    }),
  );
  expect(res.status).toBe(200);
  const [kept] = await t.store.latestTexts(survey.id, 10);
  expect(kept?.text).toBe('här i Holm är det lugnt men [namn] på Ringdansen [adress] i [lägenhet] spelar högt');
});

it('redacts every text of a response whose survey is not known yet, and counts it redacted later', async () => {
  const survey = sampleSurvey();
  const data = response(survey.id, {
    answers: [
      { questionId: 'comment', text: 'ring anna svensson 070.123.45.67' },
      { questionId: 'other', text: 'ahmed i lgh 1204' },
    ],
  });
  expect((await t.sendResponse(data)).status).toBe(202);
  const kept = (await t.store.listUnmatched()).find((u) => u.data.responseId === data.responseId);
  expect(kept?.data.answers.map((answer) => answer.text)).toEqual(['ring [namn] [telefonnummer]', '[namn] i [lägenhet]']);
  await t.putSurvey(survey);
  await t.app.ingest.replayUnmatched();
  expect((await t.store.latestTexts(survey.id, 10)).map((text) => text.text)).toEqual(['ring [namn] [telefonnummer]']);
});
