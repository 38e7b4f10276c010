/**
 * The `survey-live` CLI, run in-process through its `run(argv, io)`, against a real server with
 * real Redis: help and exit codes, surveys, hand-out lists, read tokens, stats, and response
 * replays. survey-live-process.test.ts runs it as a child process, as people do.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStats, readTexts } from '../server/http/http-assertions.js';
import { ADMIN_TOKEN, sampleSurvey, startTestApp, TEST_SECRET, type TestApp } from '../support/harness.js';
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

const LEAF_COMMANDS = [
  'surveys apply',
  'surveys list',
  'distribution import',
  'tokens mint',
  'responses replay',
  'stats',
  'events add',
  'events list',
  'history import',
];

describe('help and exit codes', () => {
  it('lists every command, sub-commands included, in the top-level help, and has --help for each', async () => {
    const top = await runCliHere(['--help']);
    expect(top.code).toBe(0);
    for (const command of LEAF_COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(top.stdout).toMatch(/Exit codes: 0 done, 1 failed .* 2 wrong usage/);
    const helps = await Promise.all(LEAF_COMMANDS.map((command) => runCliHere([...command.split(' '), '--help'])));
    helps.forEach((help, i) => {
      expect(help.code, LEAF_COMMANDS[i]).toBe(0);
      expect(help.stdout).toContain(`Usage: survey-live ${LEAF_COMMANDS[i]}`);
    });
  });

  it('exits 2 for a wrong command line, 1 when the server cannot be reached', async () => {
    const runs = await Promise.all([
      runCliHere([], env),
      runCliHere(['nonsense'], env),
      runCliHere(['surveys'], env),
      runCliHere(['surveys', 'list', '--colour'], env),
      runCliHere(['stats'], env),
      runCliHere(['distribution', 'import', 'x', 'y.csv', '--mode', 'replace'], env),
      runCliHere(['responses', 'replay', 'x.ndjson', '--concurrency', '0'], env),
      runCliHere(['surveys', 'list'], { SURVEY_LIVE_SERVER: t.url }),
      runCliHere(['responses', 'replay', 'x.ndjson'], env),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(runs[1]?.stderr).toMatch(/unknown command 'nonsense'/);
    expect(runs[7]?.stderr).toMatch(/admin token: pass --token or set SURVEY_LIVE_ADMIN_TOKEN/);
    expect(runs[8]?.stderr).toMatch(/--secret or set SURVEY_LIVE_WEBHOOK_SECRET/);

    const unreachable = await runCliHere(['surveys', 'list', '--server', 'http://127.0.0.1:9'], env);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/Cannot reach the server at http:\/\/127\.0\.0\.1:9/);
    const wrongToken = await runCliHere(['surveys', 'list', '--token', 'not-the-admin-token-0000'], env);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/401: The admin token is wrong/);
  });
});

describe('surveys, hand-out lists, tokens and stats', () => {
  it('applies surveys from YAML, lists them, imports a hand-out list, mints tokens and shows stats', async () => {
    const id = `cli-${randomUUID().slice(0, 8)}`;
    const yaml = files.write(
      'surveys.yaml',
      `surveys:
  - id: ${id}
    name: Hyresgästenkät 2026
    target: 0.6
    areas:
      - { id: norr, name: Norra området, distributed: 100 }
      - { id: soder, name: Södra området, distributed: 50 }
    textQuestions: [comment]
    indexes:
      - { id: safety, name: Trygghet, questions: [q1], scale: [1, 5] }
`,
    );
    const created = await runCliHere(['surveys', 'apply', yaml], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe(`created ${id}\n`);
    const updated = await runCliHere(['surveys', 'apply', yaml], env);
    expect(updated.stdout).toBe(`updated ${id}\n`);

    const invalid = await runCliHere(
      [
        'surveys',
        'apply',
        files.write(
          'bad.json',
          JSON.stringify([
            { id: `${id}-2`, name: 'Ny', target: 0.5 },
            { id: 'x', target: 7 },
          ]),
        ),
      ],
      env,
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/nothing was sent[\s\S]*1\.target/);
    expect((await t.admin('GET', `/api/v1/surveys/${id}-2`)).status).toBe(404);

    const list = await runCliHere(['surveys', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+AREAS\s+HANDED OUT\s+TARGET\s+SOURCES$/m);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+Hyresgästenkät 2026\\s+2\\s+150\\s+60\\.0%\\s+–$`, 'm'));

    const csv = files.write('utdelning.csv', '\uFEFFOmråde;Antal\r\nNorra området;120\r\nSödra området;80\r\nÅkeshov;30\r\n');
    const refused = await runCliHere(['distribution', 'import', id, csv], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Line 4, column 1: survey ".*" has no area "Åkeshov"/);
    const imported = await runCliHere(['distribution', 'import', id, csv, '--create-areas'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^\s+4\s+akeshov\s+Åkeshov\s+new\s+30$/m);
    expect(imported.stdout).toMatch(/3 area\(s\) changed, 0 unchanged; handed out in total: 150 -> 230/);
    const badLine = await runCliHere(['distribution', 'import', id, files.write('bad.csv', 'area;count\nnorr;12,5\n'), '--mode', 'add'], env);
    expect(badLine.code).toBe(1);
    expect(badLine.stderr).toMatch(/Line 2, column 2: "12,5" is not a whole number/);

    const minted = await runCliHere(['tokens', 'mint', id, '--text', '--expires', '1h'], env);
    expect(minted.code, minted.stderr).toBe(0);
    const token = minted.stdout.trim();
    expect(minted.stderr).toMatch(/stats, text\), expires \d{4}-/);
    expect((await fetch(`${t.url}/api/v1/surveys/${id}/texts`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const statsOnly = (await runCliHere(['tokens', 'mint', id], env)).stdout.trim();
    expect((await fetch(`${t.url}/api/v1/surveys/${id}/texts`, { headers: { Authorization: `Bearer ${statsOnly}` } })).status).toBe(403);
    expect((await runCliHere(['tokens', 'mint', id, '--expires', 'forever'], env)).code).toBe(1);

    await t.sendResponse({ responseId: randomUUID(), surveyId: id, areaId: 'norr', channel: 'door', answers: [{ questionId: 'q1', value: 5 }] });
    const stats = await runCliHere(['stats', id], env);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stdout).toMatch(/^Norra området\s+120\s+1\s+0\.8%/m);
    expect(stats.stdout).toMatch(/^Total\s+230\s+1\s+0\.4%/m);
    expect(stats.stdout).toMatch(/^Channels: door 1$/m);
    expect(stats.stdout).toMatch(/^Indexes: {2}safety 100 \(n=1\)$/m);
    expect((await runCliHere(['stats', 'no-such-survey'], env)).code).toBe(1);
  });
});

describe('responses replay', () => {
  it('counts 3,000 lines exactly once when the file is replayed twice', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const lines = Array.from({ length: 3_000 }, (_, i) => {
      const data = {
        responseId: `r-${i}`,
        surveyId: survey.id,
        areaId: i % 2 ? 'norr' : 'soder',
        channel: 'paper',
        answers: [{ questionId: 'q1', value: 1 + (i % 5) }],
      };
      // Both shapes the file may hold: native webhook bodies and their data objects.
      return JSON.stringify(i % 3 === 0 ? { type: 'response.created', timestamp: new Date().toISOString(), data } : data);
    });
    const file = files.write('export.ndjson', `${lines.join('\n')}\n`);
    const replayEnv = { ...env, SURVEY_LIVE_WEBHOOK_SECRET: TEST_SECRET };

    const first = await runCliHere(['responses', 'replay', file, '--concurrency', '32', '--json'], replayEnv);
    expect(first.code, first.stderr).toBe(0);
    const firstSummary = JSON.parse(first.stdout);
    expect(firstSummary).toMatchObject({ lines: 3_000, accepted: 3_000, duplicate: 0, unmatched: 0, late: 0, rejected: 0, failed: 0 });
    // Progress goes to stderr: a line per tenth when it is not a terminal.
    expect(first.stderr).toMatch(/100%\s+3000\/3000/);

    const second = await runCliHere(['responses', 'replay', file, '--concurrency', '32'], replayEnv);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Replayed 3000 line\(s\) of .* 0 accepted, 3000 duplicate, 0 unmatched, 0 late, 0 rejected, 0 failed/);

    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(3_000);
    expect(stats.channels).toEqual({ paper: 3_000 });
    expect(stats.areas.find((area) => area.id === 'norr')?.responses).toBe(1_500);
    // Values 1..5 evenly: mean 3 -> 50 on 0..100.
    expect(stats.indexes.safety).toEqual({ value: 50, n: 3_000 });
    console.log(
      `replay of 3,000 lines at concurrency 32, in-process: ${firstSummary.seconds.toFixed(1)} s (${Math.round(3_000 / firstSummary.seconds)} lines/s)`,
    );
  }, 240_000);

  it('replays a CSV export (";", BOM, Swedish text), names the lines it rejects, and exits 1 for them', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const csv = files.write(
      'export.csv',
      `\uFEFFresponseId;surveyId;areaId;channel;submittedAt;q1;comment\n` +
        `a1;${survey.id};norr;door;2026-03-01T10:00:00Z;4;Trappan är mörk\n` +
        `a2;${survey.id};soder;web;;2;\n` +
        `a3;${survey.id};norr;Door Step;;5;Bra\n` +
        `a4;${survey.id};norr;door;igår;5;\n`,
    );
    const run = await runCliHere(['responses', 'replay', csv, '--secret', TEST_SECRET], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/2 accepted, 0 duplicate, 0 unmatched, 0 late, 2 rejected, 0 failed/);
    expect(run.stderr).toMatch(/line 4: channel: must be lower-case/);
    expect(run.stderr).toMatch(/line 5: submittedAt: "igår" is not a date and time/);
    expect(run.stderr).toMatch(/2 line\(s\) were not counted/);
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(2);
    expect(stats.timeline[0]).toEqual({ t: '2026-03-01T10:00:00.000Z', responses: 1 });
    expect((await readTexts(t, survey.id)).map((text) => text.text)).toEqual(['Trappan är mörk']);
  });

  it('reports responses to a closed survey as late, not as accepted', async () => {
    const survey = { ...sampleSurvey(), opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: new Date(Date.now() - 1000).toISOString() };
    await t.putSurvey(survey);
    const file = files.write('late.ndjson', `${JSON.stringify({ responseId: 'late-1', surveyId: survey.id, answers: [] })}\n`);
    const run = await runCliHere(['responses', 'replay', file, '--secret', TEST_SECRET], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 accepted, 0 duplicate, 0 unmatched, 1 late, 0 rejected, 0 failed/);
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(0);
    expect(stats.late).toBe(1);
  });

  it('stops at the first refused signature and exits 1', async () => {
    const file = files.write('one.ndjson', `${JSON.stringify({ responseId: 'x', surveyId: 'any', answers: [] })}\n`);
    const run = await runCliHere(['responses', 'replay', file, '--secret', 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA=='], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the signature .* WEBHOOK_SECRETS/);
  });
});
