/**
 * Campaign history in the store contract, run against MemoryStore and a real RedisStore: the
 * whole-life per-area hourly counter (hourlyByArea) that the daily series and reminder-round
 * effects read, kept beyond the 73 hours the pace keeps, and carried through backup and restore.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import { readDailySeries } from '../../../server/store/daily.js';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { HOUR_MS } from '../../../server/store/snapshot.js';
import { surveyExportSchema } from '../../../server/store/survey-export.js';
import { type ResponseData, type Survey, surveySchema, UNASSIGNED_AREA_ID } from '../../../shared/schemas.js';
import { response, sampleSurvey } from '../../support/harness.js';
import { STORE_SUBJECTS, type StoreSubject } from './store-subjects.js';

const DAY_MS = 24 * HOUR_MS;
const asObject = (hourly: Map<string, Map<number, number>> | undefined) =>
  hourly && Object.fromEntries([...hourly].sort(([a], [b]) => a.localeCompare(b)).map(([area, hours]) => [area, [...hours].sort(([a], [b]) => a - b)]));

const byDay = (imported: Map<string, Map<string, number>>) =>
  Object.fromEntries([...imported].sort(([a], [b]) => a.localeCompare(b)).map(([date, areas]) => [date, [...areas].sort(([a], [b]) => a.localeCompare(b))]));

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

  it('gives a daily series whose totals match the counts after a restore of a backup made before the whole-life counter', async () => {
    await record({ areaId: 'norr' }, now - 10 * DAY_MS);
    await record({ areaId: 'soder' }, now);
    const { hourlyByArea: _dropped, ...older } = (await store.exportSurvey(survey.id))!;
    const target = await makeStore();
    try {
      await target.store.importSurvey(older);
      const series = await readDailySeries(target.store, survey, { timeZone: 'Europe/Stockholm' });
      expect(series.days.at(-1)?.cumulative).toBe(2);
      expect(series.days.reduce((sum, day) => sum + day.responses, 0)).toBe(2);
    } finally {
      await target.cleanup();
    }
  });

  describe('distribution history', () => {
    it('records hand-out figures oldest first, as copies, and forgets them with the survey', async () => {
      const first = {
        at: '2026-10-01T08:00:00.000Z',
        areas: new Map([
          ['norr', 100],
          ['soder', 50],
        ]),
      };
      const second = {
        at: '2026-10-10T08:00:00.000Z',
        areas: new Map([
          ['norr', 120],
          ['soder', 50],
        ]),
      };
      await store.recordDistribution(survey.id, first);
      await store.recordDistribution(survey.id, second);
      first.areas.set('norr', 1);
      const history = await store.distributionHistory(survey.id);
      expect(history).toEqual([
        {
          at: '2026-10-01T08:00:00.000Z',
          areas: new Map([
            ['norr', 100],
            ['soder', 50],
          ]),
        },
        {
          at: '2026-10-10T08:00:00.000Z',
          areas: new Map([
            ['norr', 120],
            ['soder', 50],
          ]),
        },
      ]);
      expect(await store.distributionHistory('no-such-survey')).toEqual([]);
      const exported = await store.exportSurvey(survey.id);
      expect(exported?.distributionHistory).toEqual([
        {
          at: '2026-10-01T08:00:00.000Z',
          areas: [
            ['norr', 100],
            ['soder', 50],
          ],
        },
        {
          at: '2026-10-10T08:00:00.000Z',
          areas: [
            ['norr', 120],
            ['soder', 50],
          ],
        },
      ]);
      expect(surveyExportSchema.safeParse(JSON.parse(JSON.stringify(exported))).success).toBe(true);
      const target = await makeStore();
      try {
        await target.store.importSurvey(exported!);
        expect(await target.store.distributionHistory(survey.id)).toEqual(history);
      } finally {
        await target.cleanup();
      }
      await store.deleteSurvey(survey.id);
      expect(await store.distributionHistory(survey.id)).toEqual([]);
    });
  });

  describe('importHistory', () => {
    it('adds imported days to responses and areas, and a new import replaces the days it names', async () => {
      await record({ areaId: 'norr' }, now);
      const changes: string[] = [];
      store.onSurveyChange((id) => changes.push(id));
      expect(
        await store.importHistory(survey.id, [
          { date: '2025-10-06', areaKey: 'norr', responses: 10 },
          { date: '2025-10-06', areaKey: 'soder', responses: 4 },
          { date: '2025-10-07', areaKey: 'norr', responses: 3 },
        ]),
      ).toBe(17);
      let counts = await store.getCounts(survey.id);
      expect(counts.responses).toBe(18);
      expect(counts.byArea.get('norr')).toBe(14);
      expect(counts.byArea.get('soder')).toBe(4);
      await vi.waitFor(() => expect(changes).toContain(survey.id), { timeout: 10_000 });

      // 2025-10-06 again, without soder: soder's 4 of that day go; 2025-10-07 is not named and stays.
      expect(await store.importHistory(survey.id, [{ date: '2025-10-06', areaKey: 'norr', responses: 7 }])).toBe(-7);
      counts = await store.getCounts(survey.id);
      expect(counts.responses).toBe(11);
      expect(counts.byArea.get('norr')).toBe(11);
      expect(counts.byArea.get('soder') ?? 0).toBe(0);
      expect(byDay(await store.importedByDay(survey.id))).toEqual({ '2025-10-06': [['norr', 7]], '2025-10-07': [['norr', 3]] });

      // The same file twice changes nothing the second time.
      expect(await store.importHistory(survey.id, [{ date: '2025-10-06', areaKey: 'norr', responses: 7 }])).toBe(0);
      expect((await store.getCounts(survey.id)).responses).toBe(11);
    });

    it('travels through backup and restore, and goes with the survey', async () => {
      await store.importHistory(survey.id, [
        { date: '2025-10-07', areaKey: 'soder', responses: 2 },
        { date: '2025-10-06', areaKey: 'norr', responses: 5 },
      ]);
      const exported = await store.exportSurvey(survey.id);
      expect(exported?.importedByDay).toEqual([
        ['2025-10-06', 'norr', 5],
        ['2025-10-07', 'soder', 2],
      ]);
      expect(exported?.counts.responses).toBe(7);
      expect(surveyExportSchema.safeParse(JSON.parse(JSON.stringify(exported))).success).toBe(true);
      const target = await makeStore();
      try {
        await target.store.importSurvey(exported!);
        expect(byDay(await target.store.importedByDay(survey.id))).toEqual(byDay(await store.importedByDay(survey.id)));
        // A re-import on the restored copy replaces, not adds.
        expect(await target.store.importHistory(survey.id, [{ date: '2025-10-06', areaKey: 'norr', responses: 5 }])).toBe(0);
        expect((await target.store.getCounts(survey.id)).responses).toBe(7);
      } finally {
        await target.cleanup();
      }
      await store.deleteSurvey(survey.id);
      expect(await store.importedByDay(survey.id)).toEqual(new Map());
    });
  });
});
