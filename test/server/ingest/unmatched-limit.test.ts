/** UNMATCHED_LIMIT on a running app: the oldest kept response goes, with a warning and a metric. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { response, startTestApp, type TestApp } from '../../support/harness.js';

let t: TestApp;
const logLines: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', logLines, env: { UNMATCHED_LIMIT: '2' } });
});
afterAll(() => t.close());

it('drops the oldest unmatched response beyond UNMATCHED_LIMIT, warns once and counts it', async () => {
  for (const surveyId of ['not-yet-1', 'not-yet-2', 'not-yet-3']) {
    const res = await t.sendResponse(response(surveyId));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'unmatched' });
  }
  const listed = (await (await t.admin('GET', '/api/v1/unmatched')).json()) as { count: number; responses: { data: { surveyId: string } }[] };
  expect(listed.count).toBe(2);
  expect(listed.responses.map((kept) => kept.data.surveyId)).toEqual(['not-yet-2', 'not-yet-3']);

  const metrics = await (await fetch(`${t.url}/metrics`)).text();
  expect(metrics).toMatch(/^survey_live_unmatched_dropped_total 1$/m);
  const warnings = logLines
    .map((line) => JSON.parse(line) as { level: number; msg: string; dropped?: number })
    .filter((line) => line.msg.includes('UNMATCHED_LIMIT'));
  expect(warnings).toEqual([expect.objectContaining({ level: 40, dropped: 1 })]);
});
