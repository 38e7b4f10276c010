/**
 * What privacy needs from a store, run against MemoryStore and a real RedisStore: approving,
 * deleting by id, by response and by age, with counts untouched; and claims held by one caller.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { surveySchema } from '../../../shared/schemas.js';
import { response, sampleSurvey } from '../../support/harness.js';
import { STORE_SUBJECTS } from './store-subjects.js';

describe.each(STORE_SUBJECTS)('text edits and claims: %s', (_name, makeStore) => {
  let store: ResponseStore;
  let cleanup: () => Promise<void>;
  const survey = surveySchema.parse(sampleSurvey('texts'));
  beforeEach(async () => {
    ({ store, cleanup } = await makeStore());
    await store.putSurvey(survey);
  });
  afterEach(() => cleanup());

  async function record(text: string, receivedAt: number, pending = false) {
    const data = response(survey.id, { answers: [{ questionId: 'comment', text }] });
    const counted = countResponse(survey, data, receivedAt);
    if (pending) for (const t of counted.texts) t.status = 'pending';
    expect(await store.recordResponse(counted)).toBe('accepted');
    return { responseId: data.responseId, textId: counted.texts[0]!.id };
  }

  it('approves a pending text by id, leaving the others', async () => {
    const a = await record('a', Date.now(), true);
    await record('b', Date.now(), true);
    const [before] = await store.editTexts(survey.id, { id: a.textId }, 'approve');
    expect(before?.status).toBe('pending');
    const texts = await store.latestTexts(survey.id, 10);
    expect(texts.map((t) => [t.text, t.status])).toEqual([
      ['b', 'pending'],
      ['a', 'approved'],
    ]);
  });

  it('marks a text as shown without its area, leaving the others', async () => {
    const a = await record('a', Date.now());
    await record('b', Date.now());
    await store.editTexts(survey.id, { id: a.textId }, 'hide-area');
    const texts = await store.latestTexts(survey.id, 10);
    expect(texts.map((t) => [t.text, t.areaHidden ?? false])).toEqual([
      ['b', false],
      ['a', true],
    ]);
  });

  it('deletes by id, by response and by age; returns what it removed; counts stay', async () => {
    const now = Date.now();
    const old = await record('old', now - 100 * 86_400_000);
    const byId = await record('by id', now);
    const byResponse = await record('by response', now);
    await record('kept', now);

    expect((await store.editTexts(survey.id, { id: byId.textId }, 'delete')).map((t) => t.text)).toEqual(['by id']);
    expect((await store.editTexts(survey.id, { responseId: byResponse.responseId }, 'delete')).map((t) => t.text)).toEqual(['by response']);
    const cutoff = new Date(now - 90 * 86_400_000).toISOString();
    expect((await store.editTexts(survey.id, { receivedBefore: cutoff }, 'delete')).map((t) => t.responseId)).toEqual([old.responseId]);
    expect((await store.latestTexts(survey.id, 10)).map((t) => t.text)).toEqual(['kept']);
    expect(await store.editTexts(survey.id, { id: randomUUID() }, 'delete')).toEqual([]);
    expect((await store.getCounts(survey.id)).responses).toBe(4);
  });

  it('finds a text by id anywhere in the list, also after an earlier edit re-encoded it', async () => {
    // Entries with a text that spells out another entry's id, and one beyond the first few read.
    const deep = await record('djupt ner', Date.now(), true);
    const decoy = await record(`"id":"${deep.textId}"`, Date.now(), true);
    for (let i = 0; i < 30; i++) await record(`svar ${i} / med snedstreck`, Date.now(), true);
    await store.editTexts(survey.id, { id: deep.textId }, 'hide-area');
    // Approved after the hide-area rewrote it (Redis's encoder spells it differently).
    expect((await store.editTexts(survey.id, { id: deep.textId }, 'approve')).map((t) => [t.text, t.areaHidden])).toEqual([['djupt ner', true]]);
    const texts = await store.latestTexts(survey.id, 100);
    expect(texts.filter((t) => t.status === 'approved').map((t) => t.id)).toEqual([deep.textId]);
    expect(texts.find((t) => t.id === decoy.textId)).toMatchObject({ status: 'pending' });
    expect(texts.filter((t) => t.areaHidden).map((t) => t.id)).toEqual([deep.textId]);
  });

  it('gives a claim to exactly one of many concurrent callers', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claimOnce('release:texts:1', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.claimOnce('release:texts:2', 60_000)).toBe(true);
  });
});
