/**
 * The one contract every ResponseStore passes. memory-store.test.ts and redis-store.test.ts run
 * it; a behaviour that matters to ingest or the live layer belongs here, not in one of them.
 * Responses are built with countResponse from ResponseData, exactly as ingest builds them.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import { AREA_HOURS_KEPT_MS, type CountedResponse, emptyCounts, type ResponseStore, type SurveyCounts } from '../../../server/store/response-store.js';
import { buildSnapshot, HOUR_MS, MINUTE_MS } from '../../../server/store/snapshot.js';
import { type ResponseData, type Survey, surveySchema, UNASSIGNED_AREA_ID } from '../../../shared/schemas.js';
import { eventually, response, sampleSurvey } from '../../support/harness.js';
import type { StoreSubject } from './store-subjects.js';

/** Stores under contract are built with this textLimit, so the cap is reached with a few texts. */
export const CONTRACT_TEXT_LIMIT = 5;

/** A parsed survey (defaults filled in), as the admin API would store it. */
function surveyFixture(id = `survey-${randomUUID().slice(0, 8)}`): Survey {
  return surveySchema.parse(sampleSurvey(id));
}

/** Counts a response the way ingest does, against the survey definition. */
function counted(survey: Survey, overrides: Partial<ResponseData> = {}, receivedAt = Date.now()): CountedResponse {
  return countResponse(survey, response(survey.id, overrides), receivedAt);
}

/** What the counters must hold after these responses, folded independently of any store. */
function expectedCounts(responses: CountedResponse[]): SurveyCounts {
  const expected = emptyCounts();
  const add = (record: Record<string, number>, key: string | number) => {
    record[key] = (record[key] ?? 0) + 1;
  };
  for (const r of responses) {
    expected.responses += 1;
    add(expected.byArea, r.areaKey);
    add(expected.byChannel, r.channel);
    add(expected.byHour, r.hour);
    if (r.minute !== undefined) add(expected.byMinute, r.minute);
    for (const { indexId, value } of r.indexValues) {
      const perArea = expected.indexSums[indexId] ?? {};
      expected.indexSums[indexId] = perArea;
      const sum = perArea[r.areaKey] ?? { sum: 0, n: 0 };
      perArea[r.areaKey] = { sum: sum.sum + value, n: sum.n + 1 };
    }
    expected.lastReceivedAt = Math.max(expected.lastReceivedAt, r.receivedAt);
    expected.byAreaChannel[r.areaKey] ??= {};
    add(expected.byAreaChannel[r.areaKey]!, r.channel);
    if (r.hour >= r.receivedAt - AREA_HOURS_KEPT_MS) {
      expected.byAreaHour[r.areaKey] ??= {};
      add(expected.byAreaHour[r.areaKey]!, r.hour);
    }
  }
  return expected;
}

export function describeStoreContract(name: string, makeStore: () => Promise<StoreSubject>): void {
  describe(`ResponseStore contract: ${name}`, () => {
    let subject: StoreSubject;
    let store: ResponseStore;
    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    describe('surveys', () => {
      it('puts, gets, lists (sorted by id) and replaces survey definitions', async () => {
        const b = surveyFixture('b-survey');
        const a = surveyFixture('a-survey');
        await store.putSurvey(b);
        await store.putSurvey(a);
        expect(await store.getSurvey('a-survey')).toEqual(a);
        expect(await store.getSurvey('missing')).toBeUndefined();
        expect((await store.listSurveys()).map((s) => s.id)).toEqual(['a-survey', 'b-survey']);

        await store.putSurvey({ ...a, name: 'Renamed' });
        expect((await store.getSurvey('a-survey'))?.name).toBe('Renamed');
        expect(await store.listSurveys()).toHaveLength(2);
      });

      it("keeps its own frozen copy: neither the caller's survey nor the one handed out can change it", async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        const shared = await store.getSurvey(survey.id);
        // Handed out without copying (it is read on every webhook), so frozen: a change fails loudly.
        expect(() => shared?.areas.push({ id: 'extra', name: 'Extra', distributed: 1 })).toThrow(TypeError);
        expect(() => {
          if (shared?.areas[0]) shared.areas[0].distributed = 0;
        }).toThrow(TypeError);
        survey.areas.length = 0;
        expect((await store.getSurvey(survey.id))?.areas.map((a) => a.id)).toEqual(['norr', 'soder']);
      });

      it('deletes a survey with its counts, texts and dedup keys, so a recreated one starts at 0', async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        const first = counted(survey, { answers: [{ questionId: 'comment', text: 'Bra service' }] });
        expect(await store.recordResponse(first)).toBe('accepted');
        expect((await store.getCounts(survey.id)).responses).toBe(1);

        expect(await store.deleteSurvey(survey.id)).toBe(true);
        expect(await store.getSurvey(survey.id)).toBeUndefined();
        expect(await store.listSurveys()).toEqual([]);
        expect(await store.getCounts(survey.id)).toEqual(expectedCounts([]));
        expect(await store.latestTexts(survey.id, 10)).toEqual([]);

        await store.putSurvey(survey);
        expect(await store.getCounts(survey.id)).toEqual(expectedCounts([]));
        // The dedup key went too: the same response id counts again in the recreated survey.
        expect(await store.recordResponse(first)).toBe('accepted');
        expect((await store.getCounts(survey.id)).responses).toBe(1);
      });

      it('answers false when deleting a survey that does not exist', async () => {
        expect(await store.deleteSurvey('never-defined')).toBe(false);
      });

      it('tells onSurveyChange listeners about puts and deletes', async () => {
        const heard: string[] = [];
        store.onSurveyChange((surveyId) => heard.push(surveyId));
        const survey = surveyFixture();
        await store.putSurvey(survey);
        await eventually(() => heard.length === 1, 'the put to be heard');
        await store.deleteSurvey(survey.id);
        await eventually(() => heard.length === 2, 'the delete to be heard');
        // A delete of nothing is not a change.
        await store.deleteSurvey('never-defined');
        await new Promise((r) => setTimeout(r, 50));
        expect(heard).toEqual([survey.id, survey.id]);
      });
    });

    describe('recordResponse', () => {
      it('accepts a response once and answers duplicate after, per survey', async () => {
        const one = surveyFixture();
        const other = surveyFixture();
        const responseId = randomUUID();
        expect(await store.recordResponse(counted(one, { responseId }))).toBe('accepted');
        expect(await store.recordResponse(counted(one, { responseId, areaId: 'soder' }))).toBe('duplicate');
        // The same id from another survey is another response.
        expect(await store.recordResponse(counted(other, { responseId }))).toBe('accepted');
        const counts = await store.getCounts(one.id);
        expect(counts.responses).toBe(1);
        expect(counts.byArea).toEqual({ norr: 1 });
        expect((await store.getCounts(other.id)).responses).toBe(1);
      });

      it('counts 50 concurrent deliveries of one response once, and exactly one is accepted', async () => {
        const survey = surveyFixture();
        const responseId = randomUUID();
        const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.recordResponse(counted(survey, { responseId }))));
        expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(49);
        const counts = await store.getCounts(survey.id);
        expect(counts.responses).toBe(1);
        expect(counts.byArea).toEqual({ norr: 1 });
        expect(counts.indexSums.safety?.norr).toEqual({ sum: 75, n: 1 });
      });

      it('counts 200 concurrent distinct responses in every aggregate', async () => {
        const survey = surveyFixture();
        const now = Date.now();
        const areas = ['norr', 'soder', 'elsewhere', undefined];
        const channels = ['door', 'phone', 'web', undefined];
        const responses = Array.from({ length: 200 }, (_, i) =>
          counted(
            survey,
            {
              areaId: areas[i % 4],
              channel: channels[Math.floor(i / 4) % 4],
              // Spread over the last three hours: some fall in the last-hour minute buckets, all in hour buckets.
              submittedAt: new Date(now - ((i * 53) % 180) * MINUTE_MS).toISOString(),
              // Values 1..5 map to 0, 25, 50, 75, 100: exact in binary, so the sums compare exactly.
              answers: i % 7 === 0 ? [] : [{ questionId: i % 2 ? 'q1' : 'q2', value: (i % 5) + 1 }],
            },
            now - (i % 10) * 1000,
          ),
        );
        const outcomes = await Promise.all(responses.map((r) => store.recordResponse(r)));
        expect(outcomes.every((o) => o === 'accepted')).toBe(true);

        const expected = expectedCounts(responses);
        const counts = await store.getCounts(survey.id);
        expect(counts).toEqual(expected);
        // The oracle itself must be non-trivial for the comparison to mean something.
        expect(expected.responses).toBe(200);
        expect(Object.keys(expected.byArea).sort()).toEqual(['elsewhere', 'norr', 'soder', UNASSIGNED_AREA_ID]);
        expect(Object.keys(expected.byChannel).sort()).toEqual(['door', 'phone', 'unknown', 'web']);
        expect(Object.keys(expected.byHour).length).toBeGreaterThanOrEqual(3);
        expect(Object.keys(expected.byMinute).length).toBeGreaterThan(10);
        expect(Object.values(expected.byMinute).reduce((a, b) => a + b, 0)).toBeLessThan(200);
        expect(expected.lastReceivedAt).toBe(now);
        expect(Object.values(expected.indexSums.safety ?? {}).reduce((n, s) => n + s.n, 0)).toBe(200 - Math.ceil(200 / 7));
      });

      it('keeps lastReceivedAt at the newest response even when an older one arrives later', async () => {
        const survey = surveyFixture();
        const now = Date.now();
        await store.recordResponse(counted(survey, {}, now));
        await store.recordResponse(counted(survey, {}, now - 30_000));
        expect((await store.getCounts(survey.id)).lastReceivedAt).toBe(now);
      });

      it('prunes minute buckets older than about an hour when a new response is recorded', async () => {
        const survey = surveyFixture();
        const now = Date.now();
        const old = counted(survey, {}, now - 65 * MINUTE_MS);
        const recentish = counted(survey, {}, now - 50 * MINUTE_MS);
        await store.recordResponse(old);
        await store.recordResponse(recentish);
        expect(
          Object.keys((await store.getCounts(survey.id)).byMinute)
            .map(Number)
            .sort((a, b) => a - b),
        ).toEqual([old.minute, recentish.minute]);

        const fresh = counted(survey, {}, now);
        await store.recordResponse(fresh);
        const counts = await store.getCounts(survey.id);
        expect(
          Object.keys(counts.byMinute)
            .map(Number)
            .sort((a, b) => a - b),
        ).toEqual([recentish.minute, fresh.minute]);
        // Only the minute view forgets: hours and the total keep every response.
        expect(counts.responses).toBe(3);
        expect(Object.values(counts.byHour).reduce((a, b) => a + b, 0)).toBe(3);
      });
    });

    describe('texts', () => {
      it('returns free-text answers newest first, capped at the store textLimit', async () => {
        const survey = surveyFixture();
        for (let i = 0; i < CONTRACT_TEXT_LIMIT + 3; i++) {
          await store.recordResponse(counted(survey, { answers: [{ questionId: 'comment', text: `svar ${i}` }] }));
        }
        const texts = await store.latestTexts(survey.id, 100);
        const newestFirst = Array.from({ length: CONTRACT_TEXT_LIMIT }, (_, i) => `svar ${CONTRACT_TEXT_LIMIT + 2 - i}`);
        expect(texts.map((t) => t.text)).toEqual(newestFirst);
        expect((await store.latestTexts(survey.id, 2)).map((t) => t.text)).toEqual(newestFirst.slice(0, 2));
        expect(texts[0]).toMatchObject({ surveyId: survey.id, areaId: 'norr', questionId: 'comment' });
        expect(texts[0]?.responseId).toEqual(expect.any(String));
        expect(await store.latestTexts('never-defined', 10)).toEqual([]);
      });

      it('keeps no text for a duplicate', async () => {
        const survey = surveyFixture();
        const first = counted(survey, { answers: [{ questionId: 'comment', text: 'en gång' }] });
        await store.recordResponse(first);
        expect(await store.recordResponse({ ...first, texts: first.texts.map((t) => ({ ...t, id: randomUUID() })) })).toBe('duplicate');
        expect((await store.latestTexts(survey.id, 10)).map((t) => t.text)).toEqual(['en gång']);
      });
    });

    describe('unmatched responses', () => {
      it('keeps, deduplicates, lists and removes responses for surveys not defined yet', async () => {
        const data = response('later-survey', { answers: [{ questionId: 'q1', value: 2 }] });
        const receivedAt = new Date().toISOString();
        expect(await store.keepUnmatched({ data, receivedAt })).toBe('unmatched');
        expect(await store.keepUnmatched({ data, receivedAt })).toBe('duplicate');
        // Same response id, another survey: another response.
        const elsewhere = { ...data, surveyId: 'other-later-survey' };
        expect(await store.keepUnmatched({ data: elsewhere, receivedAt })).toBe('unmatched');

        const kept = await store.listUnmatched();
        expect(kept).toHaveLength(2);
        expect(kept).toContainEqual({ data, receivedAt });
        expect(kept).toContainEqual({ data: elsewhere, receivedAt });

        await store.removeUnmatched('later-survey', data.responseId);
        expect(await store.listUnmatched()).toEqual([{ data: elsewhere, receivedAt }]);
        await store.removeUnmatched('other-later-survey', data.responseId);
        expect(await store.listUnmatched()).toEqual([]);
        // Once removed, the same response can be kept again.
        expect(await store.keepUnmatched({ data, receivedAt })).toBe('unmatched');
      });
    });

    it('gives empty counts for a survey it has never seen', async () => {
      expect(await store.getCounts('never-defined')).toEqual({
        responses: 0,
        byArea: {},
        byChannel: {},
        byHour: {},
        byMinute: {},
        indexSums: {},
        lastReceivedAt: 0,
        byAreaChannel: {},
        byAreaHour: {},
        late: 0,
        lateByArea: {},
      });
    });

    describe('late responses', () => {
      const late = (survey: Survey, overrides: Partial<ResponseData> = {}) => {
        const data = response(survey.id, overrides);
        return { data, receivedAt: new Date().toISOString(), areaKey: data.areaId ?? UNASSIGNED_AREA_ID };
      };

      it('keeps them per survey, counts them in late by area, deduplicates, and takes them out once removed', async () => {
        const survey = surveyFixture();
        const other = surveyFixture();
        await store.putSurvey(survey);
        await store.putSurvey(other);
        const a = late(survey, { areaId: 'norr' });
        const b = late(survey, { areaId: 'soder' });
        const c = late(survey, { areaId: 'norr' });
        expect(await store.keepLate(a)).toBe('late');
        expect(await store.keepLate(b)).toBe('late');
        expect(await store.keepLate(c)).toBe('late');
        expect(await store.keepLate(a)).toBe('duplicate');
        expect(await store.keepLate(late(other))).toBe('late');

        let counts = await store.getCounts(survey.id);
        expect([counts.late, counts.lateByArea, counts.responses]).toEqual([3, { norr: 2, soder: 1 }, 0]);
        expect((await store.listLate(survey.id)).map((kept) => kept.data.responseId).sort()).toEqual([a, b, c].map((kept) => kept.data.responseId).sort());
        expect((await store.listLate(survey.id)).find((kept) => kept.data.responseId === a.data.responseId)).toEqual(a);

        await store.removeLate(survey.id, a.data.responseId);
        await store.removeLate(survey.id, a.data.responseId);
        await store.removeLate(survey.id, b.data.responseId);
        counts = await store.getCounts(survey.id);
        expect([counts.late, counts.lateByArea]).toEqual([1, { norr: 1 }]);
        expect((await store.getCounts(other.id)).late).toBe(1);
      });

      it('answers duplicate for a late response already counted, and deleting the survey forgets its late ones', async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        const kept = late(survey);
        expect(await store.recordResponse(countResponse(survey, kept.data, Date.now()))).toBe('accepted');
        expect(await store.keepLate(kept)).toBe('duplicate');
        expect(await store.keepLate(late(survey))).toBe('late');
        await store.deleteSurvey(survey.id);
        expect(await store.listLate(survey.id)).toEqual([]);
        expect((await store.getCounts(survey.id)).late).toBe(0);
      });
    });

    it('counts channels per area, and keeps per-area hours only for the last 73 hours', async () => {
      const survey = surveyFixture();
      await store.putSurvey(survey);
      const now = Date.now();
      const old = now - 80 * HOUR_MS;
      await store.recordResponse(counted(survey, { areaId: 'norr', channel: 'door' }, now));
      await store.recordResponse(counted(survey, { areaId: 'norr', channel: 'phone' }, now));
      await store.recordResponse(counted(survey, { areaId: 'soder', channel: 'phone', submittedAt: new Date(old).toISOString() }, now));
      const counts = await store.getCounts(survey.id);
      expect(counts.byAreaChannel).toEqual({ norr: { door: 1, phone: 1 }, soder: { phone: 1 } });
      const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
      expect(counts.byAreaHour).toEqual({ norr: { [hour]: 2 } });
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('snapshots built from the stored counts', () => {
      const snapshotOf = async (surveyId: string) => {
        const survey = await store.getSurvey(surveyId);
        if (!survey) throw new Error(`survey ${surveyId} is not stored`);
        return buildSnapshot(survey, await store.getCounts(surveyId));
      };

      it('recomputes response rates when distributed changes, without touching the counts', async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        for (let i = 0; i < 10; i++) await store.recordResponse(counted(survey, { areaId: 'norr' }));
        for (let i = 0; i < 5; i++) await store.recordResponse(counted(survey, { areaId: 'soder' }));

        let snapshot = await snapshotOf(survey.id);
        expect(snapshot.distributed).toBe(150);
        expect(snapshot.responses).toBe(15);
        expect(snapshot.responseRate).toBeCloseTo(0.1);
        expect(snapshot.areas.map((a) => [a.id, a.responses, a.responseRate])).toEqual([
          ['norr', 10, 0.1],
          ['soder', 5, 0.1],
        ]);

        await store.putSurvey({
          ...survey,
          areas: [
            { id: 'norr', name: 'Norra området', distributed: 20 },
            { id: 'soder', name: 'Södra området', distributed: 0 },
          ],
        });
        snapshot = await snapshotOf(survey.id);
        expect(snapshot.distributed).toBe(20);
        expect(snapshot.responses).toBe(15);
        expect(snapshot.responseRate).toBe(0.75);
        expect(snapshot.areas.map((a) => [a.id, a.responses, a.responseRate])).toEqual([
          ['norr', 10, 0.5],
          // Nothing handed out: no rate, rather than a division by zero.
          ['soder', 5, null],
        ]);
      });

      it('counts responses for unknown or missing areas in the unassigned area', async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        await store.recordResponse(counted(survey, { areaId: 'norr' }));
        await store.recordResponse(counted(survey, { areaId: 'vast', answers: [{ questionId: 'q1', value: 1 }] }));
        await store.recordResponse(counted(survey, { areaId: undefined, answers: [{ questionId: 'q1', value: 5 }] }));

        const snapshot = await snapshotOf(survey.id);
        expect(snapshot.responses).toBe(3);
        expect(snapshot.areas.map((a) => a.id)).toEqual(['norr', 'soder', UNASSIGNED_AREA_ID]);
        const unassigned = snapshot.areas[2];
        expect(unassigned).toMatchObject({ responses: 2, distributed: 0, responseRate: null });
        // Index sums of both unknown keys merge into the unassigned area: (0 + 100) / 2.
        expect(unassigned?.indexes.safety).toEqual({ value: 50, n: 2 });
        // Area responses add up to the total.
        expect(snapshot.areas.reduce((n, a) => n + a.responses, 0)).toBe(snapshot.responses);

        // Defining the area later moves its responses out of unassigned.
        await store.putSurvey({ ...survey, areas: [...survey.areas, { id: 'vast', name: 'Västra området', distributed: 10 }] });
        const after = await snapshotOf(survey.id);
        expect(after.areas.map((a) => [a.id, a.responses])).toEqual([
          ['norr', 1],
          ['soder', 0],
          ['vast', 1],
          [UNASSIGNED_AREA_ID, 1],
        ]);
      });

      it('maps index answers from the survey scale to 0–100', async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        await store.recordResponse(
          counted(survey, {
            areaId: 'soder',
            answers: [
              { questionId: 'q1', value: 4 },
              { questionId: 'q2', value: 5 },
            ],
          }),
        );
        let snapshot = await snapshotOf(survey.id);
        // mean 4.5 on [1, 5] -> (4.5 - 1) / 4 * 100
        expect(snapshot.indexes.safety).toEqual({ value: 87.5, n: 1 });
        expect(snapshot.areas.find((a) => a.id === 'soder')?.indexes.safety).toEqual({ value: 87.5, n: 1 });
        expect(snapshot.areas.find((a) => a.id === 'norr')?.indexes.safety).toEqual({ value: null, n: 0 });

        // Answers to no index question leave the index alone; another answer averages in.
        await store.recordResponse(counted(survey, { areaId: 'norr', answers: [{ questionId: 'comment', text: 'hej' }] }));
        await store.recordResponse(counted(survey, { areaId: 'norr', answers: [{ questionId: 'q2', value: 2 }] }));
        snapshot = await snapshotOf(survey.id);
        // (87.5 + 25) / 2 = 56.25, shown with one decimal.
        expect(snapshot.indexes.safety).toEqual({ value: 56.3, n: 2 });
        expect(snapshot.areas.find((a) => a.id === 'norr')?.indexes.safety).toEqual({ value: 25, n: 1 });
      });

      it('puts the last hour of responses in minute buckets and every hour on the timeline', async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        const now = Date.now();
        await store.recordResponse(counted(survey, { submittedAt: new Date(now - 3 * HOUR_MS).toISOString() }, now));
        await store.recordResponse(counted(survey, { submittedAt: new Date(now - 2 * MINUTE_MS).toISOString() }, now));
        await store.recordResponse(counted(survey, {}, now));
        const snapshot = buildSnapshot(survey, await store.getCounts(survey.id), now);
        // Minutes with responses only (sparse, like the timeline), the current one last.
        const minute = (at: number) => new Date(Math.floor(at / MINUTE_MS) * MINUTE_MS).toISOString();
        expect(snapshot.recent).toEqual([
          { t: minute(now - 2 * MINUTE_MS), responses: 1 },
          { t: minute(now), responses: 1 },
        ]);
        expect(snapshot.timeline.reduce((n, b) => n + b.responses, 0)).toBe(3);
        expect(snapshot.timeline[0]?.t).toBe(new Date(Math.floor((now - 3 * HOUR_MS) / HOUR_MS) * HOUR_MS).toISOString());
        expect(snapshot.updatedAt).toBe(new Date(now).toISOString());
      });
    });
  });
}
