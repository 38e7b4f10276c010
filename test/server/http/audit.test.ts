/**
 * The audit log: every admin action of the API is recorded with its actor, action, survey and
 * target (never a text or a token), listed newest first and filtered, logged at info, and kept
 * for AUDIT_RETENTION_DAYS.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../../server/store/admin-records.js';
import type { TextAnswer } from '../../../shared/schemas.js';
import { ADMIN_TOKEN, eventually, response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem } from './http-assertions.js';

const logLines: string[] = [];
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', logLines, env: { TEXT_MODERATION: 'hold' } });
});
afterAll(() => t.close());

const entries = async (query = '') => {
  const res = await t.admin('GET', `/api/v1/audit${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: AuditEntry[] }).entries;
};

it('records every admin action with actor "admin-token", newest first, without texts or tokens', async () => {
  const survey = sampleSurvey();
  const secretWords = 'Grannen spelar hög musik varje natt';
  await t.putSurvey(survey);
  const csv = await fetch(`${t.url}/api/v1/surveys/${survey.id}/distribution`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv' },
    body: 'area,distributed\nnorr,120\n',
  });
  expect(csv.status).toBe(200);
  const minted = (await (await t.admin('POST', '/api/v1/tokens', { surveyId: survey.id, label: 'TV' })).json()) as { id: string; token: string };
  expect((await t.admin('DELETE', `/api/v1/tokens/${minted.id}`)).status).toBe(204);

  const responseIds = ['r-audit-1', 'r-audit-2', 'r-audit-3'];
  for (const responseId of responseIds) {
    expect((await t.sendResponse(response(survey.id, { responseId, answers: [{ questionId: 'comment', text: `${secretWords} ${responseId}` }] }))).status).toBe(
      200,
    );
  }
  const pending = await eventually(async () => {
    const texts = ((await (await t.admin('GET', `/api/v1/surveys/${survey.id}/texts/pending`)).json()) as { texts: TextAnswer[] }).texts;
    return texts.length === 3 ? texts : undefined;
  }, 'three pending texts');
  const [approved, rejected, deleted] = pending as [TextAnswer, TextAnswer, TextAnswer];
  expect((await t.admin('POST', `/api/v1/texts/${approved.id}/approve`)).status).toBe(200);
  expect((await t.admin('POST', `/api/v1/texts/${rejected.id}/reject`)).status).toBe(200);
  expect((await t.admin('DELETE', `/api/v1/texts/${deleted.id}`)).status).toBe(204);
  expect((await t.admin('DELETE', `/api/v1/surveys/${survey.id}/responses/r-audit-1`)).status).toBe(200);
  expect((await t.admin('POST', '/api/v1/unmatched/replay')).status).toBe(200);
  expect((await t.admin('DELETE', `/api/v1/surveys/${survey.id}`)).status).toBe(204);

  const all = (await entries('?limit=1000')).filter((entry) => entry.surveyId === survey.id || entry.action === 'unmatched.replay');
  const expected = [
    ['survey.delete', survey.id],
    ['unmatched.replay', undefined],
    ['response.erase', 'r-audit-1'],
    ['text.delete', deleted.id],
    ['text.reject', rejected.id],
    ['text.approve', approved.id],
    ['token.revoke', minted.id],
    ['token.mint', minted.id],
    ['distribution.import', survey.id],
    ['survey.put', survey.id],
  ];
  expect(all.map((entry) => [entry.action, entry.target])).toEqual(expected);
  for (const entry of all) {
    expect(entry.actor).toBe('admin-token');
    expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);
  }
  const body = JSON.stringify(all);
  expect(body).not.toContain(secretWords);
  expect(body).not.toContain(minted.token);

  // Filtered by survey and action; limited.
  expect((await entries(`?surveyId=${survey.id}&action=token.mint`)).map((entry) => entry.target)).toEqual([minted.id]);
  expect(await entries(`?surveyId=${survey.id}&limit=2`)).toEqual(all.filter((entry) => entry.surveyId === survey.id).slice(0, 2));

  // Logged at info, with the same fields.
  const logged = logLines.map((line) => JSON.parse(line) as { level: number; audit?: AuditEntry }).filter((line) => line.audit?.surveyId === survey.id);
  expect(logged.map((line) => line.audit?.action)).toEqual(
    expected
      .filter(([action]) => action !== 'unmatched.replay')
      .map(([action]) => action)
      .reverse(),
  );
  expect(logged.every((line) => line.level === 30)).toBe(true);
  expect(logLines.join('\n')).not.toContain(minted.token);
});

it('refuses a wrong query or no admin token', async () => {
  await expectProblem(await t.admin('GET', '/api/v1/audit?limit=0'), 400, 'invalid-body', /limit/);
  await expectProblem(await t.admin('GET', '/api/v1/audit?action=DROP%20TABLE'), 400, 'invalid-body', /action/);
  await expectProblem(await fetch(`${t.url}/api/v1/audit`), 401, 'unauthorized');
});

it('a hand-out preview (dryRun) answers what would change, changes nothing and records nothing', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const post = (query: string) =>
    fetch(`${t.url}/api/v1/surveys/${survey.id}/distribution${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv' },
      body: 'area,distributed\nnorr,120\n',
    });
  const preview = await post('?dryRun=true');
  expect(preview.status).toBe(200);
  expect(await preview.json()).toMatchObject({
    applied: false,
    distributed: { before: 150, after: 170 },
    changed: [{ areaId: 'norr', before: 100, after: 120 }],
  });
  expect(((await (await t.admin('GET', `/api/v1/surveys/${survey.id}`)).json()) as { areas: { distributed: number }[] }).areas[0]?.distributed).toBe(100);
  expect((await entries(`?surveyId=${survey.id}`)).map((entry) => entry.action)).toEqual(['survey.put']);
  expect(await (await post('')).json()).toMatchObject({ applied: true });
  expect((await entries(`?surveyId=${survey.id}`)).map((entry) => entry.action)).toEqual(['distribution.import', 'survey.put']);
});
