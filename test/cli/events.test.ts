/**
 * `survey-live events add|list` against a real server (Redis store): a round added from the
 * command line is kept and listed with its effect; wrong usage exits 2, a refusal 1.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SurveyEventWithEffect } from '../../shared/schemas.js';
import { ADMIN_TOKEN, response, sampleSurvey, startTestApp, type TestApp } from '../support/harness.js';
import { runCliHere } from './cli-helpers.js';

let t: TestApp;
let env: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
  env = { SURVEY_LIVE_SERVER: t.url, SURVEY_LIVE_ADMIN_TOKEN: ADMIN_TOKEN };
});
afterAll(() => t.close());

it('adds rounds and lists them oldest first with their effect, as a table and as JSON', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const at = Date.now() - 3 * 3_600_000;
  for (const hoursAfter of [1, 2]) {
    const submittedAt = new Date(at + hoursAfter * 3_600_000).toISOString();
    expect((await t.sendResponse(response(survey.id, { areaId: 'soder', submittedAt }))).status).toBe(200);
  }

  const door = await runCliHere(
    ['events', 'add', '--survey', survey.id, '--at', new Date(at).toISOString(), '--kind', 'door', '--label', 'Dörrknackning Söder', '--areas', 'soder, norr'],
    env,
  );
  expect(door.code, door.stderr).toBe(0);
  const doorId = door.stdout.trim();
  expect(door.stderr).toMatch(/Added door round "Dörrknackning Söder" at .* \(areas soder, norr\)/);
  const letter = await runCliHere(
    ['events', 'add', '--survey', survey.id, '--at', '2026-01-05T09:00:00+01:00', '--kind', 'letter', '--label', 'Påminnelsebrev'],
    env,
  );
  expect(letter.code, letter.stderr).toBe(0);

  const table = await runCliHere(['events', 'list', '--survey', survey.id], env);
  expect(table.code, table.stderr).toBe(0);
  const lines = table.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^AT\s+KIND\s+LABEL\s+AREAS\s+48H BEFORE\s+48H AFTER\s+ID$/);
  expect(lines[1]).toMatch(/^2026-01-05T08:00:00.000Z\s+letter\s+Påminnelsebrev\s+all\s+0\s+0\s+\S+$/);
  expect(lines[2]).toMatch(new RegExp(`door\\s+Dörrknackning Söder\\s+soder, norr\\s+0\\s+2\\s+${doorId}$`));

  const json = await runCliHere(['events', 'list', '--survey', survey.id, '--json'], env);
  const listed = JSON.parse(json.stdout) as SurveyEventWithEffect[];
  expect(listed.map((event) => [event.kind, event.effect])).toEqual([
    ['letter', { before: 0, after: 0 }],
    ['door', { before: 0, after: 2 }],
  ]);
  expect(await t.store.listEvents(survey.id)).toHaveLength(2);
});

it('exits 2 for wrong usage and 1 when the server refuses', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const add = (...extra: string[]) => ['events', 'add', '--survey', survey.id, ...extra];
  const runs = await Promise.all([
    runCliHere(add('--at', '2026-11-20T09:00:00Z', '--kind', 'pigeon', '--label', 'x'), env),
    runCliHere(add('--at', 'sometime', '--kind', 'door', '--label', 'x'), env),
    runCliHere(add('--kind', 'door', '--label', 'x'), env),
    runCliHere(add('--at', '2026-11-20T09:00:00Z', '--kind', 'door', '--label', 'x', '--areas', ' , '), env),
    runCliHere(['events', 'list'], env),
  ]);
  expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2]);
  expect(runs[0]?.stderr).toMatch(/Allowed choices are door, phone, letter, sms, email, other/);
  expect(runs[1]?.stderr).toMatch(/--at must be a date and time/);

  const unknownArea = await runCliHere(add('--at', '2026-11-20T09:00:00Z', '--kind', 'door', '--label', 'x', '--areas', 'vaster'), env);
  expect(unknownArea.code).toBe(1);
  expect(unknownArea.stderr).toMatch(/400: areaIds: survey ".*" has no area "vaster"/);
  const unknownSurvey = await runCliHere(['events', 'list', '--survey', 'no-such-survey'], env);
  expect(unknownSurvey.code).toBe(1);
  expect(await t.store.listEvents(survey.id)).toEqual([]);
});
