/** The read-token registry over HTTP: mint with a label and an id, list without the token, revoke; a revoked token refused at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRecord } from '../../../server/store/admin-records.js';
import { sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem } from './http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

const statsWith = (surveyId: string, token: string) => fetch(`${t.url}/api/v1/surveys/${surveyId}/stats`, { headers: { Authorization: `Bearer ${token}` } });

describe('read tokens', () => {
  it('mints with a label and answers { id, token, expiresAt }; the list shows the record, never the token', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const res = await t.admin('POST', '/api/v1/tokens', { surveyId: survey.id, scopes: ['stats', 'text'], expiresIn: '7d', label: 'TV reception Norrby' });
    expect(res.status).toBe(201);
    const minted = (await res.json()) as { id: string; token: string; expiresAt: string };
    expect(Object.keys(minted).sort()).toEqual(['expiresAt', 'id', 'token']);
    expect(minted.id).toMatch(/^[0-9a-f-]{36}$/);
    const payload = JSON.parse(Buffer.from(minted.token.split('.')[1] ?? '', 'base64url').toString()) as { jti: string };
    expect(payload.jti).toBe(minted.id);

    const other = sampleSurvey();
    await t.putSurvey(other);
    await t.admin('POST', '/api/v1/tokens', { surveyId: other.id });

    const list = await t.admin('GET', `/api/v1/tokens?surveyId=${survey.id}`);
    expect(list.status).toBe(200);
    const body = await list.text();
    expect(body).not.toContain(minted.token);
    const { tokens } = JSON.parse(body) as { tokens: TokenRecord[] };
    expect(tokens).toEqual([
      {
        id: minted.id,
        surveyId: survey.id,
        scopes: ['stats', 'text'],
        label: 'TV reception Norrby',
        createdAt: expect.any(String),
        expiresAt: minted.expiresAt,
        revokedAt: null,
      },
    ]);
    const all = (await (await t.admin('GET', '/api/v1/tokens')).json()) as { tokens: TokenRecord[] };
    expect(all.tokens.map((token) => token.surveyId)).toEqual(expect.arrayContaining([survey.id, other.id]));
  });

  it('refuses a revoked token at once on REST (401, detail says revoked); other tokens of the survey keep working', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const revoked = (await (await t.admin('POST', '/api/v1/tokens', { surveyId: survey.id, scopes: ['stats', 'text'] })).json()) as {
      id: string;
      token: string;
    };
    const kept = (await (await t.admin('POST', '/api/v1/tokens', { surveyId: survey.id })).json()) as { id: string; token: string };
    expect((await statsWith(survey.id, revoked.token)).status).toBe(200);

    const res = await t.admin('DELETE', `/api/v1/tokens/${revoked.id}`);
    expect(res.status).toBe(204);
    const problem = await expectProblem(await statsWith(survey.id, revoked.token), 401, 'unauthorized', /revoked/);
    expect(problem.detail).toBe('The read token was revoked');
    await expectProblem(
      await fetch(`${t.url}/api/v1/surveys/${survey.id}/texts`, { headers: { Authorization: `Bearer ${revoked.token}` } }),
      401,
      'unauthorized',
      /revoked/,
    );
    expect((await statsWith(survey.id, kept.token)).status).toBe(200);

    const listed = (await (await t.admin('GET', `/api/v1/tokens?surveyId=${survey.id}`)).json()) as { tokens: TokenRecord[] };
    expect(listed.tokens.find((token) => token.id === revoked.id)?.revokedAt).toEqual(expect.any(String));
    expect(listed.tokens.find((token) => token.id === kept.id)?.revokedAt).toBeNull();
  });

  it('answers problems for bad requests: unknown token 404, not an id 400, no admin token 401, an area the survey lacks 400', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    await expectProblem(await t.admin('DELETE', '/api/v1/tokens/0b6f1a8e-1c53-4a4e-9b7e-1d2f3a4b5c6d'), 404, 'not-found');
    await expectProblem(await t.admin('DELETE', '/api/v1/tokens/not-an-id'), 400, 'invalid-body');
    await expectProblem(await fetch(`${t.url}/api/v1/tokens`), 401, 'unauthorized');
    await expectProblem(await fetch(`${t.url}/api/v1/tokens/0b6f1a8e-1c53-4a4e-9b7e-1d2f3a4b5c6d`, { method: 'DELETE' }), 401, 'unauthorized');
    await expectProblem(await t.admin('POST', '/api/v1/tokens', { surveyId: survey.id, areaIds: ['norr', 'atlantis'] }), 400, 'invalid-body', /atlantis/);
    await expectProblem(await t.admin('POST', '/api/v1/tokens', { surveyId: survey.id, areaIds: [] }), 400, 'invalid-body', /areaIds/);
    await expectProblem(await t.admin('POST', '/api/v1/tokens', { surveyId: survey.id, label: 'x'.repeat(201) }), 400, 'invalid-body', /label/);
  });
});
