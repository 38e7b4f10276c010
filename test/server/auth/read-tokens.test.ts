/** Read tokens: minted over the admin API, checked on GET stats and texts; PUBLIC_STATS opens stats only. */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveySnapshot, TextAnswer } from '../../../shared/schemas.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem } from '../http/http-assertions.js';

const TOKEN_SECRET = 'x'.repeat(40);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { TOKEN_SECRET } });
});
afterAll(() => t.close());

async function mint(body: unknown): Promise<Response> {
  return t.admin('POST', '/api/v1/tokens', body);
}

async function mintToken(surveyId: string, scopes: string[], expiresIn: string | number = '1h'): Promise<string> {
  const res = await mint({ surveyId, scopes, expiresIn });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const read = (app: TestApp, surveyId: string, what: 'stats' | 'texts', token?: string) =>
  fetch(`${app.url}/api/v1/surveys/${surveyId}/${what}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

/** A token as the server would sign it, but with the claims the test chooses. */
function signToken(claims: { sub: string; scope: string; exp: number }, secret = TOKEN_SECRET): Promise<string> {
  return new SignJWT({ scope: claims.scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer('survey-live')
    .setAudience('survey-live:read')
    .setIssuedAt(claims.exp - 3600)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(secret));
}

/** A survey with one counted response carrying a free-text answer. */
async function surveyWithText(): Promise<string> {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const data = response(survey.id, {
    answers: [
      { questionId: 'q1', value: 5 },
      { questionId: 'comment', text: 'Trevlig personal' },
    ],
  });
  expect((await t.sendResponse(data)).status).toBe(200);
  return survey.id;
}

describe('POST /api/v1/tokens', () => {
  it('mints a token for "1h" with its expiry (201)', async () => {
    const surveyId = await surveyWithText();
    const before = Date.now();
    const res = await mint({ surveyId, scopes: ['stats'], expiresIn: '1h' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expiresAt: string };
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'token']);
    expect(body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const lifetime = Date.parse(body.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(3600_000 - 2000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 + 1000);
    expect((await read(t, surveyId, 'stats', body.token)).status).toBe(200);
  });

  it('mints a token for a number of seconds', async () => {
    const surveyId = await surveyWithText();
    const before = Date.now();
    const res = await mint({ surveyId, scopes: ['stats', 'text'], expiresIn: 90 });
    expect(res.status).toBe(201);
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - before).toBeGreaterThan(88_000);
    expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(91_000);
  });

  it('404 for a survey that is not defined', async () => {
    await expectProblem(await mint({ surveyId: 'no-such-survey', scopes: ['stats'], expiresIn: '1h' }), 404, 'not-found', /"no-such-survey" is not defined/);
  });

  for (const expiresIn of ['1 fortnight', '1x', -5, 0, 1.5, '6y']) {
    it(`400 for expiresIn ${JSON.stringify(expiresIn)}`, async () => {
      const surveyId = await surveyWithText();
      const problem = await expectProblem(await mint({ surveyId, scopes: ['stats'], expiresIn }), 400, 'invalid-body', /^expiresIn: /);
      expect(problem.errors?.map((error) => error.path)).toContain('expiresIn');
    });
  }

  it('400 for scopes without "stats" or with an unknown scope', async () => {
    const surveyId = await surveyWithText();
    await expectProblem(await mint({ surveyId, scopes: ['text'] }), 400, 'invalid-body', /^scopes: must include "stats"/);
    const problem = await expectProblem(await mint({ surveyId, scopes: ['stats', 'admin'] }), 400, 'invalid-body', /^scopes\.1: /);
    expect(problem.errors?.map((error) => error.path)).toEqual(['scopes.1']);
  });
});

describe('GET stats and texts with read tokens', () => {
  it('401 without a token', async () => {
    const surveyId = await surveyWithText();
    for (const what of ['stats', 'texts'] as const) {
      const res = await read(t, surveyId, what);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      await expectProblem(res, 401, 'unauthorized', /read token is needed/);
    }
  });

  it('401 for an invalid token: garbage, or signed with another secret', async () => {
    const surveyId = await surveyWithText();
    await expectProblem(await read(t, surveyId, 'stats', 'not-a-jwt'), 401, 'unauthorized', /read token is invalid/);
    const forged = await signToken({ sub: surveyId, scope: 'stats text', exp: Math.floor(Date.now() / 1000) + 3600 }, 'y'.repeat(40));
    await expectProblem(await read(t, surveyId, 'stats', forged), 401, 'unauthorized', /read token is invalid/);
  });

  it('401 for an expired token', async () => {
    const surveyId = await surveyWithText();
    const expired = await signToken({ sub: surveyId, scope: 'stats text', exp: Math.floor(Date.now() / 1000) - 60 });
    await expectProblem(await read(t, surveyId, 'stats', expired), 401, 'unauthorized', /read token has expired/);
    await expectProblem(await read(t, surveyId, 'texts', expired), 401, 'unauthorized', /read token has expired/);
    // The same claims not yet expired are let in, so it is the expiry that was refused.
    const fresh = await signToken({ sub: surveyId, scope: 'stats text', exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await read(t, surveyId, 'stats', fresh)).status).toBe(200);
  });

  it('403 for a token of another survey', async () => {
    const [mine, theirs] = [await surveyWithText(), await surveyWithText()];
    const token = await mintToken(theirs, ['stats', 'text']);
    await expectProblem(await read(t, mine, 'stats', token), 403, 'forbidden', new RegExp(`another survey, not "${mine}"`));
    await expectProblem(await read(t, mine, 'texts', token), 403, 'forbidden', /another survey/);
  });

  it('403 on /texts for a stats-only token, which still reads stats', async () => {
    const surveyId = await surveyWithText();
    const token = await mintToken(surveyId, ['stats']);
    const stats = await read(t, surveyId, 'stats', token);
    expect(stats.status).toBe(200);
    expect(((await stats.json()) as SurveySnapshot).responses).toBe(1);
    await expectProblem(await read(t, surveyId, 'texts', token), 403, 'forbidden', /lacks the "text" scope/);
  });

  it('200 on /texts for a text token, with only the public fields of each text', async () => {
    const surveyId = await surveyWithText();
    const token = await mintToken(surveyId, ['stats', 'text']);
    const res = await read(t, surveyId, 'texts', token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { texts } = (await res.json()) as { texts: TextAnswer[] };
    expect(texts).toHaveLength(1);
    for (const text of texts) expect(Object.keys(text).sort()).toEqual(['areaId', 'id', 'questionId', 'receivedAt', 'surveyId', 'text']);
    expect(texts[0]).toMatchObject({ surveyId, areaId: 'norr', questionId: 'comment', text: 'Trevlig personal' });
  });
});

describe('PUBLIC_STATS=true', () => {
  it('opens stats without a token, never texts', async () => {
    const open = await startTestApp({ store: 'redis', env: { PUBLIC_STATS: 'true', TOKEN_SECRET } });
    try {
      const survey = sampleSurvey();
      await open.putSurvey(survey);
      const data = response(survey.id, { answers: [{ questionId: 'comment', text: 'Hemligt' }] });
      expect((await open.sendResponse(data)).status).toBe(200);

      const stats = await read(open, survey.id, 'stats');
      expect(stats.status).toBe(200);
      expect(((await stats.json()) as SurveySnapshot).responses).toBe(1);
      await expectProblem(await read(open, 'not-defined', 'stats'), 404, 'not-found', /"not-defined" is not defined/);

      await expectProblem(await read(open, survey.id, 'texts'), 401, 'unauthorized', /read token is needed/);
      const { token: statsOnly } = await open.app.tokens.mint(survey.id, ['stats'], 60);
      await expectProblem(await read(open, survey.id, 'texts', statsOnly), 403, 'forbidden', /lacks the "text" scope/);
      const { token: withText } = await open.app.tokens.mint(survey.id, ['stats', 'text'], 60);
      expect((await read(open, survey.id, 'texts', withText)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
