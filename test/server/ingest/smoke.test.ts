import { afterAll, beforeAll, expect, it } from 'vitest';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

it('counts a signed response and shows it in the snapshot', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const res = await t.sendResponse(
    response(survey.id, {
      answers: [
        { questionId: 'q1', value: 5 },
        { questionId: 'comment', text: 'Ring 070-123 45 67' },
      ],
    }),
  );
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'accepted' });
  const token = await t.app.tokens.mint(survey.id, ['stats', 'text'], 60);
  const stats = await (await fetch(`${t.url}/api/v1/surveys/${survey.id}/stats`, { headers: { Authorization: `Bearer ${token.token}` } })).json();
  expect(stats.responses).toBe(1);
  expect(stats.areas[0].responses).toBe(1);
  expect(stats.indexes.safety).toEqual({ value: 100, n: 1 });
  const texts = await (await fetch(`${t.url}/api/v1/surveys/${survey.id}/texts`, { headers: { Authorization: `Bearer ${token.token}` } })).json();
  expect(texts.texts[0].text).toBe('Ring [telefonnummer]');
  expect(texts.texts[0]).not.toHaveProperty('responseId');
});
