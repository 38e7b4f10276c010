/**
 * `survey-live backup` and `restore`, the built CLI (`node dist/cli/bin.js`) against real
 * servers: a survey on Redis backed up and restored into a new, empty Redis prefix has the same
 * snapshot, texts and unmatched responses, and counts nothing twice afterwards; a survey on the
 * in-memory store moves into Redis the same way; a defined survey is overwritten only with --replace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build.js';
import type { SurveySnapshot } from '../../shared/schemas.js';
import { readStats, readTexts } from '../server/http/http-assertions.js';
import { ADMIN_TOKEN, response, sampleSurvey, startTestApp, type TestApp } from '../support/harness.js';

const ROOT = join(import.meta.dirname, '../..');
let dir: string;

function cli(t: TestApp, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist/cli/bin.js'), '--server', t.url, '--token', ADMIN_TOKEN, ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** A snapshot without the moment it was built. */
/** The snapshot without what moves with the clock between two reads (the time it was built, the pace's recent rate). */
const comparable = ({ updatedAt: _updatedAt, pace: _pace, areas, ...snapshot }: SurveySnapshot) => ({
  ...snapshot,
  areas: areas.map(({ pace: _areaPace, ...area }) => area),
});

/** A survey with counts in two areas and channels, index values, and free text of which one was taken down. */
async function fillSurvey(t: TestApp): Promise<string> {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const sends = [
    response(survey.id, {
      areaId: 'norr',
      channel: 'door',
      answers: [
        { questionId: 'q1', value: 4 },
        { questionId: 'comment', text: 'Trevligt i trapphuset' },
      ],
    }),
    response(survey.id, {
      areaId: 'soder',
      channel: 'web',
      answers: [
        { questionId: 'q2', value: 2 },
        { questionId: 'comment', text: 'Lampan är trasig' },
      ],
    }),
    response(survey.id, { areaId: 'norr', channel: 'phone', answers: [{ questionId: 'comment', text: 'Tas bort' }] }),
  ];
  for (const data of sends) expect((await t.sendResponse(data)).status).toBe(200);
  const removed = (await readTexts(t, survey.id)).find((text) => text.text === 'Tas bort');
  expect((await t.admin('DELETE', `/api/v1/texts/${removed!.id}`)).status).toBe(204);
  return survey.id;
}

beforeAll(async () => {
  await buildServer({ ifStale: true, quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'survey-live-backup-'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup and restore', () => {
  let source: TestApp;
  let target: TestApp;
  beforeAll(async () => {
    [source, target] = await Promise.all([startTestApp({ store: 'redis' }), startTestApp({ store: 'redis' })]);
  });
  afterAll(() => Promise.all([source?.close(), target?.close()]));

  it('restores a Redis backup into a new, empty Redis prefix with the same snapshot, texts and unmatched responses', async () => {
    const surveyId = await fillSurvey(source);
    const kept = response('not-defined-yet');
    expect((await source.sendResponse(kept)).status).toBe(202);
    const file = join(dir, 'redis.json');

    const backup = await cli(source, ['backup', '--out', file]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain(`${surveyId}: 3 responses, 2 texts`);
    expect(statSync(file).mode & 0o077, 'readable by its owner only').toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toMatchObject({ format: 'survey-live-backup', version: 1 });

    const restore = await cli(target, ['restore', file]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(surveyId);
    expect(comparable(await readStats(target, surveyId))).toEqual(comparable(await readStats(source, surveyId)));
    expect(await readTexts(target, surveyId)).toEqual(await readTexts(source, surveyId));
    const unmatched = (await (await target.admin('GET', '/api/v1/unmatched')).json()) as { responses: { data: { responseId: string } }[] };
    expect(unmatched.responses.map((r) => r.data.responseId)).toContain(kept.responseId);

    // A sender retrying a response counted before the backup: a duplicate, not a second count.
    const [counted] = written.surveys.find((entry: { survey: { id: string } }) => entry.survey.id === surveyId).responseIds;
    const retry = await target.sendResponse(response(surveyId, { responseId: counted }));
    expect(await retry.json()).toEqual({ status: 'duplicate' });
    expect((await readStats(target, surveyId)).responses).toBe(3);
  }, 60_000);

  it('refuses to overwrite a defined survey without --replace, and overwrites it with', async () => {
    const surveyId = await fillSurvey(source);
    const file = join(dir, 'one.json');
    expect((await cli(source, ['backup', '--survey', surveyId, '--out', file])).code).toBe(0);
    await target.putSurvey({ ...sampleSurvey(surveyId), name: 'Annan enkät' });
    expect((await target.sendResponse(response(surveyId))).status).toBe(200);

    const refused = await cli(target, ['restore', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/409.*--replace/);
    expect((await readStats(target, surveyId)).name).toBe('Annan enkät');

    const replaced = await cli(target, ['restore', file, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(comparable(await readStats(target, surveyId))).toEqual(comparable(await readStats(source, surveyId)));
  }, 60_000);
});

describe('moving from the in-memory store to Redis', () => {
  let memory: TestApp;
  let redis: TestApp;
  beforeAll(async () => {
    [memory, redis] = await Promise.all([startTestApp({ store: 'memory' }), startTestApp({ store: 'redis' })]);
  });
  afterAll(() => Promise.all([memory?.close(), redis?.close()]));

  it('restores a backup of the memory store into Redis with the same snapshot and texts', async () => {
    const surveyId = await fillSurvey(memory);
    const file = join(dir, 'memory.json');
    expect((await cli(memory, ['backup', '--survey', surveyId, '--out', file])).code).toBe(0);
    const restore = await cli(redis, ['restore', file]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(comparable(await readStats(redis, surveyId))).toEqual(comparable(await readStats(memory, surveyId)));
    expect(await readTexts(redis, surveyId)).toEqual(await readTexts(memory, surveyId));
  }, 60_000);
});
