/**
 * Index values are published in steps of MIN_GROUP_SIZE answers (store/response-store.ts
 * publishIndexStep, and the same rule in record-responses.lua), so no sequence of snapshots gives
 * away one response's answer by subtraction: the REST and socket snapshots are the same values.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import { MemoryStore } from '../../../server/store/memory-store.js';
import { buildSnapshot } from '../../../server/store/snapshot.js';
import { type SurveySnapshot, surveySchema } from '../../../shared/schemas.js';
import { eventually, response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { readStats } from '../http/http-assertions.js';
import { connected, nextStats, subscribeOk } from '../live/live-helpers.js';

const toIndex = (answer: number) => ((answer - 1) / 4) * 100;

describe('index values published in steps', () => {
  it('never moves between snapshots unless MIN_GROUP_SIZE new answers blend into the change (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }),
        fc.array(fc.record({ area: fc.constantFrom('norr', 'soder', 'vast'), answer: fc.integer({ min: 1, max: 5 }) }), { maxLength: 60 }),
        async (step, answers) => {
          const survey = surveySchema.parse(sampleSurvey('steps'));
          const store = new MemoryStore();
          const answered = new Map<string, number[]>();
          let previous: SurveySnapshot | undefined;
          for (const { area, answer } of answers) {
            await store.recordResponse(
              countResponse(survey, response(survey.id, { areaId: area, answers: [{ questionId: 'q1', value: answer }] }), Date.now(), step),
            );
            const key = survey.areas.some((a) => a.id === area) ? area : 'unassigned';
            answered.set(key, [...(answered.get(key) ?? []), toIndex(answer)]);
            answered.set('*', [...(answered.get('*') ?? []), toIndex(answer)]);
            const snapshot = buildSnapshot(survey, await store.getCounts(survey.id), Date.now(), 1);
            const published = [...snapshot.areas.map((a) => [a.id, a.indexes.safety] as const), ['*', snapshot.indexes.safety] as const];
            for (const [id, value] of published) {
              if (!value) continue;
              const before = id === '*' ? previous?.indexes.safety : previous?.areas.find((a) => a.id === id)?.indexes.safety;
              const n = value.n;
              // Only whole steps are published, each the rounded mean of exactly the first n answers.
              expect(n % step).toBe(0);
              const firstN = (answered.get(id) ?? []).slice(0, n);
              expect(value.value).toBe(n === 0 ? null : Math.round(firstN.reduce((a, b) => a + b, 0) / n));
              // A change always blends at least `step` answers that the last snapshot did not include.
              if (before && (before.n !== n || before.value !== value.value)) expect(n - before.n).toBeGreaterThanOrEqual(step);
            }
            previous = snapshot;
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  describe('on a running app (Redis, MIN_GROUP_SIZE=5)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ store: 'redis', env: { MIN_GROUP_SIZE: '5' } });
    });
    afterAll(() => t.close());

    it('shows the same values on REST and socket before and after a 13th answer of 1 in an area of 12', async () => {
      const survey = sampleSurvey();
      await t.putSurvey(survey);
      for (let i = 0; i < 12; i++)
        expect((await t.sendResponse(response(survey.id, { areaId: 'norr', answers: [{ questionId: 'q1', value: 5 }] }))).status).toBe(200);
      const socket = t.connectLive();
      await connected(socket);
      const { token } = await t.app.tokens.mint(survey.id, ['stats'], 600);
      const { snapshot: subscribed } = await subscribeOk(socket, { surveyId: survey.id, token });
      const before = await eventually(async () => {
        const stats = await readStats(t, survey.id);
        return stats.responses === 12 ? stats : undefined;
      }, 'twelve responses');
      expect(subscribed.indexes).toEqual(before.indexes);
      expect(before.areas[0]?.indexes.safety).toEqual({ value: 100, n: 10 });

      const pushed = nextStats(socket, survey.id, (snapshot) => snapshot.responses === 13, 10_000);
      expect((await t.sendResponse(response(survey.id, { areaId: 'norr', answers: [{ questionId: 'q1', value: 1 }] }))).status).toBe(200);
      const afterSocket = await pushed;
      const afterRest = await readStats(t, survey.id);
      expect(afterRest.responses).toBe(13);
      for (const after of [afterSocket, afterRest]) {
        expect(after.indexes).toEqual(before.indexes);
        expect(after.areas.map((area) => area.indexes)).toEqual(before.areas.map((area) => area.indexes));
      }
    });
  });
});
