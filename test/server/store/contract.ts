/**
 * The one contract every ResponseStore passes. memory-store.test.ts and redis-store.test.ts run
 * it; a behaviour that matters to ingest or the live layer belongs here, not in one of them.
 * Responses are built with countResponse from ResponseData, exactly as ingest builds them.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import {
  AREA_HOURS_KEPT_MS,
  type CountedResponse,
  emptyCounts,
  type IndexSum,
  type ResponseStore,
  type SurveyCounts,
} from '../../../server/store/response-store.js';
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
  const expected: SurveyCounts = emptyCounts();
  // Published again once `step` more responses answered since the last publication.
  const addValue = (sum: IndexSum | undefined, value: number, step: number): IndexSum => {
    const next = { ...(sum ?? { sum: 0, n: 0, publishedSum: 0, publishedN: 0 }) };
    next.sum += value;
    next.n += 1;
    if (next.n >= next.publishedN + step) Object.assign(next, { publishedSum: next.sum, publishedN: next.n });
    return next;
  };
  const add = <K>(counters: Map<K, number>, key: K) => counters.set(key, (counters.get(key) ?? 0) + 1);
  for (const r of responses) {
    expected.responses += 1;
    add(expected.byArea, r.areaKey);
    add(expected.byChannel, r.channel);
    add(expected.byHour, r.hour);
    if (r.minute !== undefined) add(expected.byMinute, r.minute);
    for (const { indexId, value } of r.indexValues) {
      const perArea = expected.indexSums.get(indexId) ?? new Map();
      expected.indexSums.set(indexId, perArea);
      perArea.set(r.areaKey, addValue(perArea.get(r.areaKey), value, r.indexStep));
      expected.surveyIndexSums.set(indexId, addValue(expected.surveyIndexSums.get(indexId), value, r.indexStep));
    }
    expected.lastReceivedAt = Math.max(expected.lastReceivedAt, r.receivedAt);
    const channels = expected.byAreaChannel.get(r.areaKey) ?? new Map<string, number>();
    expected.byAreaChannel.set(r.areaKey, channels);
    add(channels, r.channel);
    if (r.hour >= r.receivedAt - AREA_HOURS_KEPT_MS) {
      const hours = expected.byAreaHour.get(r.areaKey) ?? new Map<number, number>();
      expected.byAreaHour.set(r.areaKey, hours);
      add(hours, r.hour);
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
        expect(counts.byArea).toEqual(new Map([['norr', 1]]));
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
        expect(counts.byArea).toEqual(new Map([['norr', 1]]));
        expect(counts.indexSums.get('safety')?.get('norr')).toEqual({ sum: 75, n: 1, publishedSum: 75, publishedN: 1 });
      });

      it('counts concurrent responses of several surveys each in its own survey, duplicates included', async () => {
        // One event-loop turn: a store may batch them (the Redis store sends one script call per survey).
        const surveys = [surveyFixture(), surveyFixture(), surveyFixture()];
        const shared = randomUUID();
        const sent = surveys.flatMap((survey, i) => [
          ...Array.from({ length: i + 2 }, () => counted(survey, { areaId: 'soder' })),
          counted(survey, { responseId: shared }),
          counted(survey, { responseId: shared }),
        ]);
        const outcomes = await Promise.all(sent.map((r) => store.recordResponse(r)));
        expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(surveys.length);
        for (const [i, survey] of surveys.entries()) {
          const counts = await store.getCounts(survey.id);
          expect(counts.responses).toBe(i + 3);
          expect(counts.byArea).toEqual(
            new Map([
              ['soder', i + 2],
              ['norr', 1],
            ]),
          );
        }
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
        // An area the survey does not define ('elsewhere') is counted as unassigned when it arrives.
        expect([...expected.byArea.keys()].sort()).toEqual(['norr', 'soder', UNASSIGNED_AREA_ID]);
        expect([...expected.byChannel.keys()].sort()).toEqual(['door', 'phone', 'unknown', 'web']);
        expect(expected.byHour.size).toBeGreaterThanOrEqual(3);
        expect(expected.byMinute.size).toBeGreaterThan(10);
        expect([...expected.byMinute.values()].reduce((a, b) => a + b, 0)).toBeLessThan(200);
        expect(expected.lastReceivedAt).toBe(now);
        expect([...(expected.indexSums.get('safety')?.values() ?? [])].reduce((n, s) => n + s.n, 0)).toBe(200 - Math.ceil(200 / 7));
      });

      it('refuses a response it cannot count without marking it seen: the retry counts, its batch mates too', async () => {
        const survey = surveyFixture();
        const good = counted(survey, { answers: [{ questionId: 'q1', value: 5 }] });
        // NaN passes every check made before counting in a store that marks seen first, and breaks the count after.
        const broken: CountedResponse = { ...good, indexValues: [{ indexId: 'safety', value: Number.NaN }] };
        const mate = counted(survey, { areaId: 'soder' });
        const [brokenOutcome, mateOutcome] = await Promise.allSettled([store.recordResponse(broken), store.recordResponse(mate)]);
        expect(brokenOutcome.status).toBe('rejected');
        expect(mateOutcome).toEqual({ status: 'fulfilled', value: 'accepted' });
        expect((await store.getCounts(survey.id)).responses).toBe(1);

        // The sender retries with what it should have sent: counted, not "duplicate".
        expect(await store.recordResponse(good)).toBe('accepted');
        expect(await store.recordResponse(good)).toBe('duplicate');
        const counts = await store.getCounts(survey.id);
        expect(counts.responses).toBe(2);
        expect(counts.indexSums.get('safety')?.get('norr')).toEqual({ sum: 100, n: 1, publishedSum: 100, publishedN: 1 });
      });

      it('publishes index values in steps of indexStep answers, per area and for the survey', async () => {
        const survey = surveyFixture();
        await store.putSurvey(survey);
        const answer = (value: number, areaId = 'norr') => ({ ...counted(survey, { areaId, answers: [{ questionId: 'q1', value }] }), indexStep: 5 });
        const snapshot = async () => buildSnapshot(survey, await store.getCounts(survey.id), Date.now(), 5);
        // The case: twelve responses in an area, then a thirteenth answering 1 on 1–5.
        for (let i = 0; i < 12; i++) await store.recordResponse(answer(5));
        const before = await snapshot();
        expect(before.areas[0]?.indexes.safety).toEqual({ value: 100, n: 10 });
        expect(before.indexes.safety).toEqual({ value: 100, n: 10 });
        await store.recordResponse(answer(1));
        const after = await snapshot();
        expect(after.areas[0]?.indexes).toEqual(before.areas[0]?.indexes);
        expect(after.indexes).toEqual(before.indexes);
        expect(after.areas[0]?.responses).toBe(13);

        // Two more make five since the last publication: all fifteen go out together.
        await store.recordResponse(answer(3));
        await store.recordResponse(answer(3, 'soder'));
        const stepped = await snapshot();
        // Norr: (13 * 100 + 0 + 50) / 14 has 14 < 15 answers: still the old value.
        expect(stepped.areas[0]?.indexes.safety).toEqual({ value: 100, n: 10 });
        // The survey: 15 answers, (12 * 100 + 0 + 50 + 50) / 15 = 86.67 -> 87.
        expect(stepped.indexes.safety).toEqual({ value: 87, n: 15 });
        expect(stepped.areas[1]?.indexes.safety).toEqual({ value: null, n: 0 });
        // Survey-wide counts carry no area: a counter of its own, with the same rule.
        expect((await store.getCounts(survey.id)).surveyIndexSums.get('safety')).toEqual({ sum: 1300, n: 15, publishedSum: 1300, publishedN: 15 });
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
        expect([...(await store.getCounts(survey.id)).byMinute.keys()].sort((a, b) => a - b)).toEqual([old.minute, recentish.minute]);

        const fresh = counted(survey, {}, now);
        await store.recordResponse(fresh);
        const counts = await store.getCounts(survey.id);
        expect([...counts.byMinute.keys()].sort((a, b) => a - b)).toEqual([recentish.minute, fresh.minute]);
        // Only the minute view forgets: hours and the total keep every response.
        expect(counts.responses).toBe(3);
        expect([...counts.byHour.values()].reduce((a, b) => a + b, 0)).toBe(3);
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
        expect(await store.keepUnmatched({ data, receivedAt })).toEqual({ status: 'unmatched', dropped: 0 });
        expect(await store.keepUnmatched({ data, receivedAt })).toEqual({ status: 'duplicate', dropped: 0 });
        // Same response id, another survey: another response.
        const elsewhere = { ...data, surveyId: 'other-later-survey' };
        expect((await store.keepUnmatched({ data: elsewhere, receivedAt })).status).toBe('unmatched');

        const kept = await store.listUnmatched();
        expect(kept).toHaveLength(2);
        expect(kept).toContainEqual({ data, receivedAt });
        expect(kept).toContainEqual({ data: elsewhere, receivedAt });

        await store.removeUnmatched('later-survey', data.responseId);
        expect(await store.listUnmatched()).toEqual([{ data: elsewhere, receivedAt }]);
        await store.removeUnmatched('other-later-survey', data.responseId);
        expect(await store.listUnmatched()).toEqual([]);
        // Once removed, the same response can be kept again.
        expect((await store.keepUnmatched({ data, receivedAt })).status).toBe('unmatched');
      });
    });

    it('gives empty counts for a survey it has never seen', async () => {
      expect(await store.getCounts('never-defined')).toEqual({
        responses: 0,
        byArea: new Map(),
        byChannel: new Map(),
        byHour: new Map(),
        byMinute: new Map(),
        indexSums: new Map(),
        surveyIndexSums: new Map(),
        lastReceivedAt: 0,
        byAreaChannel: new Map(),
        byAreaHour: new Map(),
        late: 0,
        lateByArea: new Map(),
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
        expect([counts.late, Object.fromEntries(counts.lateByArea), counts.responses]).toEqual([3, { norr: 2, soder: 1 }, 0]);
        expect((await store.listLate(survey.id)).map((kept) => kept.data.responseId).sort()).toEqual([a, b, c].map((kept) => kept.data.responseId).sort());
        expect((await store.listLate(survey.id)).find((kept) => kept.data.responseId === a.data.responseId)).toEqual(a);

        await store.removeLate(survey.id, a.data.responseId);
        await store.removeLate(survey.id, a.data.responseId);
        await store.removeLate(survey.id, b.data.responseId);
        counts = await store.getCounts(survey.id);
        expect([counts.late, Object.fromEntries(counts.lateByArea)]).toEqual([1, { norr: 1 }]);
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
      expect([...counts.byAreaChannel].map(([area, channels]) => [area, Object.fromEntries(channels)])).toEqual([
        ['norr', { door: 1, phone: 1 }],
        ['soder', { phone: 1 }],
      ]);
      const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
      expect([...counts.byAreaHour].map(([area, hours]) => [area, [...hours]])).toEqual([['norr', [[hour, 2]]]]);
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

        // An unknown area is counted as unassigned when it arrives: no counter keeps its name,
        // so defining it later starts it at 0 and only new responses count there.
        expect([...(await store.getCounts(survey.id)).byArea.keys()].sort()).toEqual(['norr', UNASSIGNED_AREA_ID]);
        const withVast = { ...survey, areas: [...survey.areas, { id: 'vast', name: 'Västra området', distributed: 10 }] };
        await store.putSurvey(withVast);
        await store.recordResponse(counted(withVast, { areaId: 'vast' }));
        const after = await snapshotOf(survey.id);
        expect(after.areas.map((a) => [a.id, a.responses])).toEqual([
          ['norr', 1],
          ['soder', 0],
          ['vast', 1],
          [UNASSIGNED_AREA_ID, 2],
        ]);
      });

      it('counts areas named like Object properties as data: constructor, toString, valueOf, hasOwnProperty, __proto__', async () => {
        const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];
        // Ids a survey may define (all but __proto__ pass the id schema) and ids a sender may send.
        const survey = surveyFixture();
        const hostile: Survey = { ...survey, areas: names.slice(0, 4).map((id) => ({ id, name: `Area ${id}`, distributed: 10 })) };
        await store.putSurvey(hostile);
        for (const areaId of names) {
          // Recorded as the store sees it (areaKey set directly), so the store itself meets the name.
          await store.recordResponse({ ...counted(hostile, { areaId }), areaKey: areaId });
          await store.recordResponse({ ...counted(hostile, { areaId }), areaKey: areaId, channel: areaId });
        }
        const counts = await store.getCounts(hostile.id);
        expect(counts.responses).toBe(10);
        expect(counts.byArea).toEqual(new Map(names.map((name) => [name, 2])));
        expect(counts.indexSums.get('safety')?.get('constructor')).toEqual({ sum: 150, n: 2, publishedSum: 150, publishedN: 2 });
        // Nothing was written onto shared prototypes.
        expect(Object.hasOwn(Object, 'sum') || Object.hasOwn(Object.prototype, 'sum') || Object.hasOwn(Object, 'n')).toBe(false);

        const snapshot = buildSnapshot(hostile, counts);
        expect(snapshot.areas.map((a) => [a.id, a.responses])).toEqual([
          ['constructor', 2],
          ['toString', 2],
          ['valueOf', 2],
          ['hasOwnProperty', 2],
          // __proto__ is no area of the survey: unassigned.
          [UNASSIGNED_AREA_ID, 2],
        ]);
        expect(snapshot.areas[0]?.indexes.safety).toEqual({ value: 75, n: 2 });
        expect(snapshot.indexes.safety).toEqual({ value: 75, n: 10 });
        expect(Object.entries(snapshot.channels).sort()).toEqual([['door', 5], ...names.map((name) => [name, 1] as [string, number])].sort());
        expect(JSON.parse(JSON.stringify(snapshot)).channels.constructor).toBe(1);
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
        // mean 4.5 on [1, 5] -> (4.5 - 1) / 4 * 100 = 87.5, published in whole points.
        expect(snapshot.indexes.safety).toEqual({ value: 88, n: 1 });
        expect(snapshot.areas.find((a) => a.id === 'soder')?.indexes.safety).toEqual({ value: 88, n: 1 });
        expect(snapshot.areas.find((a) => a.id === 'norr')?.indexes.safety).toEqual({ value: null, n: 0 });

        // Answers to no index question leave the index alone; another answer averages in.
        await store.recordResponse(counted(survey, { areaId: 'norr', answers: [{ questionId: 'comment', text: 'hej' }] }));
        await store.recordResponse(counted(survey, { areaId: 'norr', answers: [{ questionId: 'q2', value: 2 }] }));
        snapshot = await snapshotOf(survey.id);
        // (87.5 + 25) / 2 = 56.25, shown in whole points.
        expect(snapshot.indexes.safety).toEqual({ value: 56, n: 2 });
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
