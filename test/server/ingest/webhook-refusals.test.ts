/**
 * Webhooks that are signed but cannot be taken: malformed JSON, schema violations, bodies over
 * MAX_BODY_BYTES, wrong methods. Each is refused with a problem, and nothing is partly counted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { response, sampleSurvey, signedHeaders, startTestApp, type TestApp } from '../../support/harness.js';
import { countsOf, expectProblem, rawPost, readStats, readTexts } from '../http/http-assertions.js';

const WEBHOOK = '/api/v1/webhooks/responses';
const MAX_BODY_BYTES = 2048;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES), STATS_INTERVAL_MS: '10' } });
});
afterAll(() => t.close());

const postSigned = (body: string) => fetch(`${t.url}${WEBHOOK}`, { method: 'POST', headers: signedHeaders(body), body });
const envelope = (data: unknown) => JSON.stringify({ type: 'response.created', timestamp: new Date().toISOString(), data });

/**
 * Runs `refuse` against a survey that already holds one response with a text answer, then checks
 * that counts, texts and the unmatched list are exactly as before.
 */
async function expectNothingCounted(refuse: (surveyId: string) => Promise<void>): Promise<void> {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const first = await t.sendResponse(
    response(survey.id, {
      answers: [
        { questionId: 'q1', value: 3 },
        { questionId: 'comment', text: 'Bra' },
      ],
    }),
  );
  expect(first.status).toBe(200);
  const before = countsOf(await readStats(t, survey.id));
  expect(before.responses).toBe(1);
  await refuse(survey.id);
  expect(countsOf(await readStats(t, survey.id))).toEqual(before);
  expect((await readTexts(t, survey.id)).map((text) => text.text)).toEqual(['Bra']);
  const unmatched = await (await t.admin('GET', '/api/v1/unmatched')).json();
  expect(unmatched.count).toBe(0);
}

/** A text answer in every refused payload, so a partly stored response would show in the texts. */
const withText = (surveyId: string, overrides: Record<string, unknown> = {}) => ({
  ...response(surveyId, {
    answers: [
      { questionId: 'q1', value: 4 },
      { questionId: 'comment', text: 'Should never be stored' },
    ],
  }),
  ...overrides,
});

describe('400 for a signed body that is not valid JSON', () => {
  it('names the parse error and counts nothing', async () => {
    await expectNothingCounted(async (surveyId) => {
      const body = envelope(withText(surveyId)).slice(0, -2);
      await expectProblem(await postSigned(body), 400, 'malformed-json', /^The body is not valid JSON: /);
    });
  });
});

describe('400 for a body that breaks the schema, naming the field path in errors', () => {
  const cases: { what: string; payload: (surveyId: string) => unknown; path: string }[] = [
    {
      what: 'missing responseId',
      payload: (surveyId) => {
        const { responseId: _omitted, ...data } = withText(surveyId);
        return JSON.parse(envelope(data));
      },
      path: 'data.responseId',
    },
    { what: 'responseId of the wrong type', payload: (surveyId) => JSON.parse(envelope(withText(surveyId, { responseId: 42 }))), path: 'data.responseId' },
    { what: 'answers not an array', payload: (surveyId) => JSON.parse(envelope(withText(surveyId, { answers: { q1: 4 } }))), path: 'data.answers' },
    {
      what: 'a channel with upper case and spaces',
      payload: (surveyId) => JSON.parse(envelope(withText(surveyId, { channel: 'Door to door' }))),
      path: 'data.channel',
    },
    {
      what: 'an unknown event type',
      payload: (surveyId) => ({ type: 'response.deleted', timestamp: new Date().toISOString(), data: withText(surveyId) }),
      path: 'type',
    },
    {
      what: 'an unknown key in an answer',
      payload: (surveyId) => JSON.parse(envelope(withText(surveyId, { answers: [{ questionId: 'q1', value: 4, name: 'Anna' }] }))),
      path: 'data.answers.0',
    },
  ];

  for (const { what, payload, path } of cases) {
    it(what, async () => {
      await expectNothingCounted(async (surveyId) => {
        const problem = await expectProblem(
          await postSigned(JSON.stringify(payload(surveyId))),
          400,
          'invalid-body',
          new RegExp(`^${path.replaceAll('.', '\\.')}: `),
        );
        expect(problem.errors?.map((error) => error.path)).toEqual([path]);
        expect(problem.errors?.[0]?.message).toEqual(expect.stringMatching(/\S/));
      });
    });
  }

  it('a value outside its index scale (checked against the survey, after the schema)', async () => {
    await expectNothingCounted(async (surveyId) => {
      const data = withText(surveyId, {
        answers: [
          { questionId: 'comment', text: 'Should never be stored' },
          { questionId: 'q2', value: 3 },
          { questionId: 'q1', value: 9 },
        ],
      });
      const problem = await expectProblem(
        await postSigned(envelope(data)),
        400,
        'invalid-body',
        /data\.answers\.2\.value: 9 is outside the scale \[1, 5\] of index "safety"/,
      );
      expect(problem.errors).toEqual([{ path: 'data.answers.2.value', message: expect.stringContaining('[1, 5]') }]);
    });
  });
});

describe('413 for a body over MAX_BODY_BYTES', () => {
  /** A validly signed webhook just over the limit, so only its size is wrong. */
  const oversized = (surveyId: string) => {
    const body = envelope({ ...response(surveyId), answers: [{ questionId: 'comment', text: 'x'.repeat(MAX_BODY_BYTES) }] });
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES);
    return { body, headers: signedHeaders(body) };
  };

  it('declared by Content-Length', async () => {
    await expectNothingCounted(async (surveyId) => {
      const { body, headers } = oversized(surveyId);
      await expectProblem(await rawPost(`${t.url}${WEBHOOK}`, headers, body), 413, 'body-too-large', /MAX_BODY_BYTES \(2048 bytes\)/);
    });
  });

  it('sent with chunked transfer encoding (no length known up front)', async () => {
    await expectNothingCounted(async (surveyId) => {
      const { body, headers } = oversized(surveyId);
      await expectProblem(await rawPost(`${t.url}${WEBHOOK}`, headers, body, { chunked: true }), 413, 'body-too-large', /MAX_BODY_BYTES \(2048 bytes\)/);
    });
  });

  it('while a chunked body under the limit is accepted', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const body = envelope({ ...response(survey.id), answers: [{ questionId: 'comment', text: 'y'.repeat(1500) }] });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const answer = await rawPost(`${t.url}${WEBHOOK}`, signedHeaders(body), body, { chunked: true });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'accepted' });
    expect((await readStats(t, survey.id)).responses).toBe(1);
  });
});

describe('405 for other methods on the webhook path', () => {
  for (const method of ['GET', 'PUT', 'DELETE']) {
    it(method, async () => {
      await expectNothingCounted(async (surveyId) => {
        const body = method === 'GET' ? undefined : envelope(withText(surveyId));
        const res = await fetch(`${t.url}${WEBHOOK}`, { method, ...(body ? { headers: signedHeaders(body), body } : {}) });
        expect(res.headers.get('allow')).toBe('POST');
        await expectProblem(res, 405, 'method-not-allowed', /POST/);
      });
    });
  }
});

describe('the webhook path with a query string', () => {
  it('is still the webhook (senders may add tracking parameters)', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const body = envelope(response(survey.id, { responseId: randomUUID() }));
    const res = await fetch(`${t.url}${WEBHOOK}?source=crm`, { method: 'POST', headers: signedHeaders(body), body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted' });
  });
});
