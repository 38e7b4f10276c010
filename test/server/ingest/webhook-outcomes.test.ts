/** What a well-formed webhook leads to: accepted, duplicate, unmatched (and replayed), unassigned. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnmatchedResponse } from '../../../server/store/response-store.js';
import { UNASSIGNED_AREA_ID } from '../../../shared/schemas.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem, readStats, readTexts } from '../http/http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { STATS_INTERVAL_MS: '10' } });
});
afterAll(() => t.close());

const listUnmatched = async (): Promise<{ count: number; responses: UnmatchedResponse[] }> => {
  const res = await t.admin('GET', '/api/v1/unmatched');
  expect(res.status).toBe(200);
  return res.json();
};

describe('duplicates', () => {
  it('answers the same response a second time with 200 {status: "duplicate"} and counts it once', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const data = response(survey.id, {
      answers: [
        { questionId: 'q1', value: 5 },
        { questionId: 'comment', text: 'En gång' },
      ],
    });
    const first = await t.sendResponse(data);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted' });
    const second = await t.sendResponse(data);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ status: 'duplicate' });
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(1);
    expect(stats.indexes.safety).toEqual({ value: 100, n: 1 });
    expect((await readTexts(t, survey.id)).map((text) => text.text)).toEqual(['En gång']);
  });

  it('counts 50 concurrent copies once, with exactly one "accepted"', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const data = response(survey.id, { answers: [{ questionId: 'q1', value: 2 }] });
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.sendResponse(data)));
    expect(answers.map((res) => res.status)).toEqual(Array(50).fill(200));
    const statuses = await Promise.all(answers.map(async (res) => ((await res.json()) as { status: string }).status));
    expect(statuses.filter((status) => status === 'accepted')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'duplicate')).toHaveLength(49);
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(1);
    expect(stats.areas.find((area) => area.id === 'norr')?.responses).toBe(1);
    expect(stats.channels).toEqual({ door: 1 });
    expect(stats.indexes.safety).toEqual({ value: 25, n: 1 });
  });
});

describe('unmatched responses', () => {
  it('are kept (redacted) until their survey is defined, then replayed exactly once', async () => {
    const survey = sampleSurvey();
    const data = response(survey.id, {
      answers: [
        { questionId: 'q1', value: 4 },
        { questionId: 'comment', text: 'Ring mig på 070-123 45 67 om hissen' },
      ],
    });

    const kept = await t.sendResponse(data);
    expect(kept.status).toBe(202);
    expect(await kept.json()).toEqual({ status: 'unmatched' });
    const again = await t.sendResponse(data);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });

    await expectProblem(await fetch(`${t.url}/api/v1/unmatched`), 401, 'unauthorized', /ADMIN_TOKEN/);
    const listed = await listUnmatched();
    expect(listed.count).toBe(1);
    const [only] = listed.responses;
    expect(only?.data).toMatchObject({ responseId: data.responseId, surveyId: survey.id, areaId: 'norr' });
    expect(only?.data.answers).toEqual([
      { questionId: 'q1', value: 4 },
      { questionId: 'comment', text: 'Ring mig på [telefonnummer] om hissen' },
    ]);
    expect(Date.parse(only?.receivedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(listed)).not.toContain('070-123');

    await t.putSurvey(survey);
    const replay = await t.admin('POST', '/api/v1/unmatched/replay');
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ replayed: 1, duplicate: 0, late: 0, stillUnmatched: 0 });
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(1);
    expect(stats.areas.find((area) => area.id === 'norr')?.responses).toBe(1);
    expect(stats.indexes.safety).toEqual({ value: 75, n: 1 });
    expect((await readTexts(t, survey.id)).map((text) => text.text)).toEqual(['Ring mig på [telefonnummer] om hissen']);
    expect(await listUnmatched()).toEqual({ count: 0, responses: [] });

    const replayAgain = await t.admin('POST', '/api/v1/unmatched/replay');
    expect(await replayAgain.json()).toEqual({ replayed: 0, duplicate: 0, late: 0, stillUnmatched: 0 });
    expect((await readStats(t, survey.id)).responses).toBe(1);
    // The sender retrying after the replay is a duplicate, not a second response.
    expect(await (await t.sendResponse(data)).json()).toEqual({ status: 'duplicate' });
    expect((await readStats(t, survey.id)).responses).toBe(1);
  });

  it('received after their survey closed are kept as late by a replay, not counted', async () => {
    const survey = { ...sampleSurvey(), opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: new Date(Date.now() - 1000).toISOString() };
    expect((await t.sendResponse(response(survey.id))).status).toBe(202);
    await t.putSurvey(survey);
    expect(await (await t.admin('POST', '/api/v1/unmatched/replay')).json()).toEqual({ replayed: 0, duplicate: 0, late: 1, stillUnmatched: 0 });
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(0);
    expect(stats.late).toBe(1);
    expect(await listUnmatched()).toEqual({ count: 0, responses: [] });
  });

  it('of a survey still undefined stay kept through a replay', async () => {
    const defined = sampleSurvey();
    const undefinedSurveyId = `never-${randomUUID().slice(0, 8)}`;
    expect((await t.sendResponse(response(defined.id))).status).toBe(202);
    expect((await t.sendResponse(response(undefinedSurveyId))).status).toBe(202);
    await t.putSurvey(defined);
    expect(await (await t.admin('POST', '/api/v1/unmatched/replay')).json()).toEqual({ replayed: 1, duplicate: 0, late: 0, stillUnmatched: 1 });
    const listed = await listUnmatched();
    expect(listed.responses.map((kept) => kept.data.surveyId)).toEqual([undefinedSurveyId]);
    expect((await readStats(t, defined.id)).responses).toBe(1);
  });
});

describe('responses without a known area', () => {
  it('count in the total and in the "unassigned" area', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const { areaId: _none, ...withoutArea } = response(survey.id);
    for (const data of [withoutArea, response(survey.id, { areaId: 'atlantis' }), response(survey.id, { areaId: 'soder' })]) {
      expect(await (await t.sendResponse(data)).json()).toEqual({ status: 'accepted' });
    }
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(3);
    expect(stats.areas.map(({ id, responses, responseRate }) => ({ id, responses, responseRate }))).toEqual([
      { id: 'norr', responses: 0, responseRate: 0 },
      { id: 'soder', responses: 1, responseRate: 1 / 50 },
      { id: UNASSIGNED_AREA_ID, responses: 2, responseRate: null },
    ]);
    // Unassigned responses count towards the survey's rate over everything distributed.
    expect(stats.responseRate).toBeCloseTo(3 / 150);
  });
});
