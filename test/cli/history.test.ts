/**
 * `survey-live history import` against a real server (Redis store): an earlier campaign's file
 * is imported and counted; a file with a bad line changes nothing and its line is printed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readStats } from '../server/http/http-assertions.js';
import { ADMIN_TOKEN, sampleSurvey, startTestApp, type TestApp } from '../support/harness.js';
import { runCliHere, tempFiles } from './cli-helpers.js';

let t: TestApp;
let env: Record<string, string>;
const files = tempFiles();
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
  env = { SURVEY_LIVE_SERVER: t.url, SURVEY_LIVE_ADMIN_TOKEN: ADMIN_TOKEN };
});
afterAll(async () => {
  await t.close();
  files.remove();
});

it('imports an earlier campaign from a Swedish Excel file, and prints the line of a bad one', async () => {
  const survey = { ...sampleSurvey(), opensAt: '2025-11-10T06:00:00.000Z', closesAt: '2025-12-20T18:00:00.000Z' };
  await t.putSurvey(survey);
  const good = files.write('svar-2025.csv', '\uFEFFDatum;Område;Svar\r\n2025-11-10;Norra området;42\r\n2025-11-11;soder;1 017\r\n');
  const imported = await runCliHere(['history', 'import', survey.id, good], env);
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stdout).toMatch(/^2 line\(s\) over 2 day\(s\) \(2025-11-10 to 2025-11-11\): 1059 responses; survey .*'s responses \+1059$/m);
  expect((await readStats(t, survey.id)).responses).toBe(1059);

  const bad = files.write('fel.csv', 'datum;område;svar\n2025-11-10;norr;40\n2025-11-31;norr;1\n');
  const refused = await runCliHere(['history', 'import', survey.id, bad], env);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/Line 3, column 1: "2025-11-31" is not a date/);
  expect((await readStats(t, survey.id)).responses).toBe(1059);
});
