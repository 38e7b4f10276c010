/**
 * Values a sender may well send that once broke things: half an emoji (a lone UTF-16
 * surrogate, which Redis's JSON decoder refuses), a submission date in year 1, ids of
 * surveys that do not exist. Against real Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { readStats } from '../http/http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { TEXT_MODERATION: 'hold' } });
});
afterAll(() => t.close());

const HALF_EMOJI = 'bra \ud83d';

it('keeps text with half an emoji well-formed, so moderation and erasure of its survey keep working', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const broken = response(survey.id, { responseId: `resp-${HALF_EMOJI}`, answers: [{ questionId: 'comment', text: HALF_EMOJI }] });
  const batchMate = response(survey.id, { answers: [{ questionId: 'comment', text: 'helt vanlig' }] });
  // Sent together so they share one batch to Redis: the odd one must not fail its neighbour.
  const answers = await Promise.all([t.sendResponse(broken), t.sendResponse(batchMate)]);
  expect(answers.map((res) => res.status)).toEqual([200, 200]);

  const pending = ((await (await t.admin('GET', `/api/v1/surveys/${survey.id}/texts/pending`)).json()) as { texts: { id: string; text: string }[] }).texts;
  expect(pending.map((text) => text.text).sort()).toEqual(['bra \ufffd', 'helt vanlig']);
  const normal = pending.find((text) => text.text === 'helt vanlig')!;
  expect((await t.admin('POST', `/api/v1/texts/${normal.id}/approve`)).status).toBe(200);
  const erase = await t.admin('DELETE', `/api/v1/surveys/${survey.id}/responses/${encodeURIComponent('resp-bra \ufffd')}`);
  expect(erase.status).toBe(200);
  expect(await erase.json()).toEqual({ removedTexts: 1, removedUnmatched: false });
  // Sent again, the same (well-formed) id is a duplicate: the dedup key is stable.
  expect(await (await t.sendResponse(broken)).json()).toEqual({ status: 'duplicate' });
});

it('places a response submitted "in year 1" at its arrival, not centuries back on the timeline', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const before = Date.now();
  expect((await t.sendResponse(response(survey.id, { submittedAt: '0001-01-01T00:00:00Z' }))).status).toBe(200);
  const stats = await readStats(t, survey.id);
  expect(stats.timeline).toHaveLength(1);
  expect(Date.parse(stats.timeline[0]!.t)).toBeGreaterThanOrEqual(Math.floor(before / 3_600_000) * 3_600_000);
});

it('refuses an index scale beyond ±1e6, so no answer can make an index NaN', async () => {
  const survey = { ...sampleSurvey(), indexes: [{ id: 'huge', name: 'Huge', questions: ['q1'], scale: [-1e308, 1e308] }] };
  const res = await t.admin('PUT', `/api/v1/surveys/${survey.id}`, survey);
  expect(res.status).toBe(400);
});

it('does not remember surveys that do not exist, however many are asked for', async () => {
  const socket = t.connectLive();
  for (let i = 0; i < 50; i++) {
    const ack = await socket
      .timeout(3000)
      .emitWithAck('survey:subscribe', { surveyId: `nope-${i}`, token: (await t.app.tokens.mint(`nope-${i}`, ['stats'], 60)).token });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }
  const cache = (t.app.live.snapshots as unknown as { cache: Map<string, unknown> }).cache;
  expect([...cache.keys()].filter((id) => id.startsWith('nope-'))).toEqual([]);
});

it('counts channels a survey does not name as "other": no made-up name reaches a widget', async () => {
  const survey = { ...sampleSurvey(), channels: ['kvarter', 'door'] };
  await t.putSurvey(survey);
  for (const channel of ['kvarter', 'door', 'anna-svensson-0701234567', 'web']) {
    expect((await t.sendResponse(response(survey.id, { channel }))).status).toBe(200);
  }
  const stats = await readStats(t, survey.id);
  expect(stats.channels).toEqual({ kvarter: 1, door: 1, other: 2 });
});

describe.each(['memory', 'redis'] as const)('area ids named like Object properties (%s store)', (kind) => {
  const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ store: kind });
  });
  afterAll(() => app.close());

  it('counts them as unassigned when the survey does not define them, and stats keep answering', async () => {
    const survey = sampleSurvey();
    await app.putSurvey(survey);
    for (const areaId of NAMES) {
      const res = await app.sendResponse(response(survey.id, { areaId, answers: [{ questionId: 'q1', value: 5 }] }));
      expect(res.status).toBe(200);
    }
    expect((await app.sendResponse(response(survey.id, { areaId: 'norr' }))).status).toBe(200);
    // Twice: a store that broke on the first read would break on every later one.
    for (let i = 0; i < 2; i++) {
      const stats = await readStats(app, survey.id);
      expect(stats.responses).toBe(5);
      expect(stats.areas.map((area) => [area.id, area.responses])).toEqual([
        ['norr', 1],
        ['soder', 0],
        ['unassigned', 4],
      ]);
      expect(stats.areas[2]?.indexes.safety).toEqual({ value: 100, n: 4 });
    }
    expect(Object.hasOwn(Object, 'sum') || Object.hasOwn(Object, 'n')).toBe(false);
  });

  it('counts them under their own name when the survey defines them', async () => {
    const survey = { ...sampleSurvey(), areas: NAMES.map((id) => ({ id, name: `Område ${id}`, distributed: 10 })) };
    await app.putSurvey(survey);
    for (const areaId of [...NAMES, 'constructor']) {
      expect((await app.sendResponse(response(survey.id, { areaId, answers: [{ questionId: 'q2', value: 3 }] }))).status).toBe(200);
    }
    const stats = await readStats(app, survey.id);
    expect(stats.areas.map((area) => [area.id, area.responses, area.responseRate])).toEqual([
      ['constructor', 2, 0.2],
      ['toString', 1, 0.1],
      ['valueOf', 1, 0.1],
      ['hasOwnProperty', 1, 0.1],
    ]);
    expect(stats.areas[0]?.indexes.safety).toEqual({ value: 50, n: 2 });
    expect(stats.indexes.safety).toEqual({ value: 50, n: 5 });
  });
});
