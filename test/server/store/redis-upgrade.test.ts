/**
 * Counts a RedisStore wrote before index values were published in steps: per-area sums without
 * published fields and no survey-wide sums. The first response after the upgrade publishes
 * them all, survey-wide included, instead of starting the survey's index from zero.
 */

import { createClient } from 'redis';
import { afterEach, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import { buildSnapshot } from '../../../server/store/snapshot.js';
import { surveySchema } from '../../../shared/schemas.js';
import { redisUrl, response, sampleSurvey } from '../../support/harness.js';
import { makeRedisStore, type StoreSubject } from './store-subjects.js';

let subject: StoreSubject | undefined;
afterEach(() => subject?.cleanup());

it('seeds the survey-wide index from the areas when it was never kept', async () => {
  subject = await makeRedisStore();
  const store = subject.store;
  const survey = surveySchema.parse(sampleSurvey());
  await store.putSurvey(survey);
  const prefix = (store as unknown as { prefix: string }).prefix;
  const client = createClient({ url: redisUrl() });
  await client.connect();
  // As the earlier script left them: 4 answers of 100 in norr, 2 of 0 in soder.
  await client.hSet(`${prefix}s:${survey.id}:counts`, {
    total: '6',
    'area:norr': '4',
    'area:soder': '2',
    'index:safety:norr:sum': '400',
    'index:safety:norr:n': '4',
    'index:safety:soder:sum': '0',
    'index:safety:soder:n': '2',
  });
  await client.quit();

  await store.recordResponse(countResponse(survey, response(survey.id, { areaId: 'norr', answers: [{ questionId: 'q1', value: 5 }] }), Date.now(), 5));
  const snapshot = buildSnapshot(survey, await store.getCounts(survey.id), Date.now(), 1);
  // (500 + 0) / 7 = 71.4: all seven answers, published at once.
  expect(snapshot.indexes.safety).toEqual({ value: 71, n: 7 });
  expect(snapshot.areas.find((area) => area.id === 'norr')?.indexes.safety).toEqual({ value: 100, n: 5 });
  expect(snapshot.areas.find((area) => area.id === 'soder')?.indexes.safety).toEqual({ value: null, n: 0 });
});
