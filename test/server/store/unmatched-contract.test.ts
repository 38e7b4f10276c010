/**
 * Kept unmatched responses are bounded (UNMATCHED_LIMIT, UNMATCHED_TTL_DAYS), on MemoryStore and
 * a real RedisStore: anyone with a webhook secret could otherwise fill the store with responses
 * for surveys that will never exist.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { response } from '../../support/harness.js';
import { STORE_SUBJECTS, type StoreSubject } from './store-subjects.js';

describe.each(STORE_SUBJECTS)('unmatched responses within bounds: %s', (_name, makeStore) => {
  let subject: StoreSubject | undefined;
  afterEach(() => subject?.cleanup());
  const open = async (unmatchedLimit: number, unmatchedTtlMs = 3_600_000): Promise<ResponseStore> => {
    subject = await makeStore({ unmatchedLimit, unmatchedTtlMs });
    return subject.store;
  };
  const kept = (surveyId: string, agoMs = 0) => ({ data: response(surveyId), receivedAt: new Date(Date.now() - agoMs).toISOString() });

  it('keeps at most the limit, dropping the oldest first and saying how many', async () => {
    const store = await open(3);
    const responses = Array.from({ length: 5 }, (_, i) => kept(`later-${i}`, (10 - i) * 1000));
    const outcomes = [];
    for (const one of responses) outcomes.push(await store.keepUnmatched(one));
    expect(outcomes).toEqual([
      { status: 'unmatched', dropped: 0 },
      { status: 'unmatched', dropped: 0 },
      { status: 'unmatched', dropped: 0 },
      { status: 'unmatched', dropped: 1 },
      { status: 'unmatched', dropped: 1 },
    ]);
    expect((await store.listUnmatched()).map((one) => one.data.surveyId)).toEqual(['later-2', 'later-3', 'later-4']);
    // A duplicate of a kept one drops nothing.
    expect(await store.keepUnmatched(responses[4]!)).toEqual({ status: 'duplicate', dropped: 0 });
  });

  it('forgets a response once its time to live after arrival has passed', async () => {
    const store = await open(10, 60_000);
    const old = kept('expired', 61_000);
    await store.keepUnmatched(old);
    await store.keepUnmatched(kept('fresh', 1_000));
    expect((await store.listUnmatched()).map((one) => one.data.surveyId)).toEqual(['fresh']);
    // Expired, the same response is kept again as new, not refused as a duplicate.
    expect(await store.keepUnmatched({ ...old, receivedAt: new Date().toISOString() })).toEqual({ status: 'unmatched', dropped: 0 });
    expect((await store.listUnmatched()).map((one) => one.data.surveyId)).toEqual(['fresh', 'expired']);
  });
});
