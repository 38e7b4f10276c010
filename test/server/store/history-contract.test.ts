/**
 * Campaign history in the store contract, run against MemoryStore and a real RedisStore: the
 * whole-life per-area hourly counter (hourlyByArea) that the daily series and reminder-round
 * effects read, kept beyond the 73 hours the pace keeps, and carried through backup and restore.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { HOUR_MS } from '../../../server/store/snapshot.js';
import { surveyExportSchema } from '../../../server/store/survey-export.js';
import { type ResponseData, type Survey, surveySchema, UNASSIGNED_AREA_ID } from '../../../shared/schemas.js';
import { response, sampleSurvey } from '../../support/harness.js';
import { STORE_SUBJECTS, type StoreSubject } from './store-subjects.js';

const DAY_MS = 24 * HOUR_MS;
const asObject = (hourly: Map<string, Map<number, number>> | undefined) =>
  hourly && Object.fromEntries([...hourly].sort(([a], [b]) => a.localeCompare(b)).map(([area, hours]) => [area, [...hours].sort(([a], [b]) => a - b)]));

describe.each(STORE_SUBJECTS)('campaign history in the store contract: %s', (_name, makeStore) => {
  let subject: StoreSubject;
  let store: ResponseStore;
  let survey: Survey;
  const now = Date.now();
  const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;
  const record = (overrides: Partial<ResponseData>, receivedAt: number, submittedAt = receivedAt) =>
    store.recordResponse(countResponse(survey, response(survey.id, { ...overrides, submittedAt: new Date(submittedAt).toISOString() }), receivedAt));

  beforeEach(async () => {
    subject = await makeStore();
    store = subject.store;
    survey = surveySchema.parse(sampleSurvey(`history-${randomUUID().slice(0, 8)}`));
    await store.putSurvey(survey);
  });
  afterEach(() => subject.cleanup());

  describe('hourlyByArea', () => {
    it('counts every response by area and hour over the whole life, beyond the hours the pace keeps', async () => {
      // Ten days ago, five days ago (both beyond the 73 h of byAreaHour), and now; an unknown area counts as unassigned.
      const tenDaysAgo = now - 10 * DAY_MS;
      const fiveDaysAgo = now - 5 * DAY_MS;
      expect(await record({ areaId: 'norr' }, tenDaysAgo)).toBe('accepted');
      expect(await record({ areaId: 'norr' }, tenDaysAgo)).toBe('accepted');
      expect(await record({ areaId: 'soder' }, fiveDaysAgo)).toBe('accepted');
      expect(await record({ areaId: 'norr' }, now)).toBe('accepted');
      expect(await record({ areaId: 'ingen-sådan' }, now)).toBe('accepted');

      expect(asObject(await store.hourlyByArea(survey.id))).toEqual({
        norr: [
          [hourOf(tenDaysAgo), 2],
          [hourOf(now), 1],
        ],
        soder: [[hourOf(fiveDaysAgo), 1]],
        [UNASSIGNED_AREA_ID]: [[hourOf(now), 1]],
      });
      // The pace's counter still keeps only the last hours.
      const counts = await store.getCounts(survey.id);
      expect([...(counts.byAreaHour.get('norr')?.keys() ?? [])]).toEqual([hourOf(now)]);
      expect(counts.byAreaHour.get('soder')?.size ?? 0).toBe(0);
    });

    it('buckets by the submission time, as the timeline does, and ignores duplicates', async () => {
      const data = response(survey.id, { areaId: 'soder', submittedAt: new Date(now - 3 * HOUR_MS).toISOString() });
      expect(await store.recordResponse(countResponse(survey, data, now))).toBe('accepted');
      expect(await store.recordResponse(countResponse(survey, data, now))).toBe('duplicate');
      expect(asObject(await store.hourlyByArea(survey.id))).toEqual({ soder: [[hourOf(now - 3 * HOUR_MS), 1]] });
    });

    it('answers an empty map for a defined survey with no responses, undefined for an unknown one, and forgets a deleted one', async () => {
      expect(await store.hourlyByArea(survey.id)).toEqual(new Map());
      expect(await store.hourlyByArea('no-such-survey')).toBeUndefined();
      await record({ areaId: 'norr' }, now);
      await store.deleteSurvey(survey.id);
      expect(await store.hourlyByArea(survey.id)).toBeUndefined();
      await store.putSurvey(survey);
      expect(await store.hourlyByArea(survey.id)).toEqual(new Map());
    });

    it('hands out a copy: changing it changes nothing in the store', async () => {
      await record({ areaId: 'norr' }, now);
      const first = await store.hourlyByArea(survey.id);
      first?.get('norr')?.set(hourOf(now), 99);
      first?.set('soder', new Map([[0, 1]]));
      expect(asObject(await store.hourlyByArea(survey.id))).toEqual({ norr: [[hourOf(now), 1]] });
    });

    it('travels through backup and restore', async () => {
      await record({ areaId: 'norr' }, now - 20 * DAY_MS);
      await record({ areaId: 'soder' }, now);
      const exported = await store.exportSurvey(survey.id);
      expect(exported?.hourlyByArea).toEqual([
        ['norr', hourOf(now - 20 * DAY_MS), 1],
        ['soder', hourOf(now), 1],
      ]);
      expect(surveyExportSchema.safeParse(JSON.parse(JSON.stringify(exported))).success).toBe(true);
      const target = await makeStore();
      try {
        expect(await target.store.importSurvey(exported!)).toBe('imported');
        expect(asObject(await target.store.hourlyByArea(survey.id))).toEqual(asObject(await store.hourlyByArea(survey.id)));
      } finally {
        await target.cleanup();
      }
    });
  });
});
