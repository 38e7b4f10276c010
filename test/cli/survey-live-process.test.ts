/**
 * Smoke tests of the `survey-live` command as people run it: a child process through
 * cli/survey-live.js and tsx, its exit code and output streams. The rest of the CLI's tests run
 * in-process (survey-live.test.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, sampleSurvey, startTestApp, type TestApp } from '../support/harness.js';
import { runCli } from './cli-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('prints help and exits 0; exits 2 for a wrong command line', { timeout: 90_000 }, async () => {
  const help = await runCli(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: survey-live /m);
  const wrong = await runCli(['nonsense']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toMatch(/unknown command 'nonsense'/);
});

it('lists the surveys of a running server, reading its URL and token from the environment', { timeout: 90_000 }, async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const list = await runCli(['surveys', 'list'], { SURVEY_LIVE_SERVER: t.url, SURVEY_LIVE_ADMIN_TOKEN: ADMIN_TOKEN });
  expect(list.code, list.stderr).toBe(0);
  expect(list.stdout).toMatch(new RegExp(`^${survey.id}\\s+Kundenkät 2026\\s+2\\s+150\\s+60\\.0%`, 'm'));
});
