/** Every admin endpoint needs `Authorization: Bearer <ADMIN_TOKEN>`; without it nothing changes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem } from '../http/http-assertions.js';

let t: TestApp;
let surveyId: string;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  surveyId = survey.id;
});
afterAll(() => t.close());

const endpoints = (): { method: string; path: string; body?: unknown }[] => [
  { method: 'GET', path: '/api/v1/surveys' },
  { method: 'GET', path: `/api/v1/surveys/${surveyId}` },
  { method: 'PUT', path: `/api/v1/surveys/${surveyId}`, body: { ...sampleSurvey(surveyId), name: 'Taken over' } },
  { method: 'DELETE', path: `/api/v1/surveys/${surveyId}` },
  { method: 'POST', path: '/api/v1/tokens', body: { surveyId, scopes: ['stats', 'text'] } },
  { method: 'GET', path: '/api/v1/unmatched' },
  { method: 'POST', path: '/api/v1/unmatched/replay' },
];

const call = (method: string, path: string, body: unknown, authorization?: string) =>
  fetch(`${t.url}${path}`, {
    method,
    headers: { ...(authorization ? { Authorization: authorization } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('admin endpoints refuse with 401', () => {
  const refusals: { who: string; authorization: string | undefined; detail: RegExp }[] = [
    { who: 'without a token', authorization: undefined, detail: /needs Authorization: Bearer <ADMIN_TOKEN>/ },
    { who: 'with a wrong token', authorization: `Bearer ${ADMIN_TOKEN}x`, detail: /admin token is wrong/ },
    {
      who: 'with a read token in its place',
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo',
      detail: /admin token is wrong/,
    },
    { who: 'with the right token under another scheme', authorization: `Basic ${ADMIN_TOKEN}`, detail: /needs Authorization: Bearer/ },
  ];
  for (const { who, authorization, detail } of refusals) {
    it(who, async () => {
      for (const { method, path, body } of endpoints()) {
        const res = await call(method, path, body, authorization);
        expect(res.headers.get('www-authenticate'), `${method} ${path}`).toBe('Bearer');
        await expectProblem(res, 401, 'unauthorized', detail);
      }
      // Nothing was changed or deleted by the refused calls.
      const survey = await (await t.admin('GET', `/api/v1/surveys/${surveyId}`)).json();
      expect(survey.name).toBe(sampleSurvey(surveyId).name);
    });
  }
});

it('accepts the token with the scheme in any case', async () => {
  const res = await call('GET', `/api/v1/surveys/${surveyId}`, undefined, `bearer ${ADMIN_TOKEN}`);
  expect(res.status).toBe(200);
  expect((await res.json()).id).toBe(surveyId);
});
