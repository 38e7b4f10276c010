/**
 * A deployment upgrading keeps its data. Layout 1 (keys without hash tags: s:<id>:<name>,
 * token:<jti>, tokens, unmatched, unmatched:expiry) is renamed to the Cluster-ready layout when
 * a store connects; and counts written before index values were published in steps (per-area
 * sums without published fields, no survey-wide sums) publish them all at the first response.
 */

import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import { RedisStore } from '../../../server/store/redis-store.js';
import { buildSnapshot } from '../../../server/store/snapshot.js';
import { surveySchema } from '../../../shared/schemas.js';
import { deleteKeys, redisUrl, response, sampleSurvey, testPrefix } from '../../support/harness.js';

const prefix = testPrefix();
const stores: RedisStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await deleteKeys(redisUrl(), prefix);
});

async function connect(): Promise<RedisStore> {
  const store = await RedisStore.connect({ url: redisUrl(), prefix });
  stores.push(store);
  return store;
}

const plainClient = () => createClient({ url: redisUrl() });

/** Runs `work` with a plain client on the shared Redis. */
async function withClient<T>(work: (client: ReturnType<typeof plainClient>) => Promise<T>): Promise<T> {
  const client = plainClient();
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.quit();
  }
}

/** Layout 1's name of a current key (after the prefix), as the version before hash tags wrote it. */
function layout1Name(name: string): string | undefined {
  if (name === 'layout') return undefined;
  if (name === '{tokens}') return 'tokens';
  if (name === '{unmatched}') return 'unmatched';
  if (name === '{unmatched}:expiry') return 'unmatched:expiry';
  const token = /^\{tokens\}:(.+)$/.exec(name);
  if (token) return `token:${token[1]}`;
  const survey = /^s:\{([^}]+)\}:(.+)$/.exec(name);
  if (survey) return `s:${survey[1]}:${survey[2]}`;
  return name;
}

it('renames a layout-1 deployment’s keys at connect: counts, texts, deduplication, pending, late, tokens and unmatched survive', async () => {
  const survey = surveySchema.parse({ ...sampleSurvey(), closesAt: new Date(Date.now() + 3_600_000).toISOString() });
  const store = await connect();
  await store.putSurvey(survey);
  const answered = response(survey.id, { areaId: 'norr', answers: [{ questionId: 'comment', text: 'Hissen står still' }] });
  expect(await store.recordResponse(countResponse(survey, answered, Date.now()))).toBe('accepted');
  expect(await store.recordResponse(countResponse(survey, response(survey.id, { areaId: 'soder' }), Date.now()))).toBe('accepted');
  await store.keepPending({ surveyId: survey.id, responseId: 'half-done', answers: [{ questionId: 'q1', value: 4 }] }, 3_600_000);
  const late = response(survey.id, { areaId: 'norr' });
  expect(await store.keepLate({ data: late, receivedAt: new Date().toISOString(), areaKey: 'norr' })).toBe('late');
  const token = {
    id: randomUUID(),
    surveyId: survey.id,
    scopes: ['stats' as const],
    label: 'TV',
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    revokedAt: null,
  };
  await store.recordToken(token);
  await store.revokeToken(token.id, new Date().toISOString());
  const unmatched = { data: response('not-yet-defined'), receivedAt: new Date().toISOString() };
  await store.keepUnmatched(unmatched);
  const before = {
    export: await store.exportSurvey(survey.id),
    tokens: await store.listTokens(),
    unmatched: await store.listUnmatched(),
    pending: await store.getPending(survey.id, 'half-done'),
  };
  await store.close();
  stores.length = 0;

  // Back to layout 1, as the version before hash tags left its data.
  const renamed = await withClient(async (client) => {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    let n = 0;
    for (const key of keys) {
      const old = layout1Name(key.slice(prefix.length));
      if (old === undefined) await client.del(key);
      else if (old !== key.slice(prefix.length)) {
        await client.rename(key, `${prefix}${old}`);
        n++;
      }
    }
    return n;
  });
  expect(renamed).toBeGreaterThanOrEqual(9);

  const upgraded = await connect();
  expect(upgraded.renamedKeys).toBe(renamed);
  expect(await upgraded.exportSurvey(survey.id)).toEqual(before.export);
  expect(await upgraded.listTokens()).toEqual(before.tokens);
  expect(before.tokens[0]?.revokedAt).not.toBeNull();
  expect(await upgraded.listUnmatched()).toEqual(before.unmatched);
  expect(await upgraded.getPending(survey.id, 'half-done')).toEqual(before.pending);
  expect(await upgraded.recordResponse(countResponse(survey, answered, Date.now()))).toBe('duplicate');
  expect(await upgraded.listLate(survey.id)).toHaveLength(1);
  // Nothing is left under a layout-1 name.
  const leftover = await withClient(async (client) => {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    return keys.map((key) => key.slice(prefix.length)).filter((name) => name !== 'surveys' && name !== 'layout' && !name.includes('{'));
  });
  expect(leftover).toEqual([]);
  // Once: the next instance to connect finds the layout recorded.
  expect((await connect()).renamedKeys).toBe(0);
});

it('seeds the survey-wide index from the areas when it was never kept', async () => {
  const survey = surveySchema.parse(sampleSurvey());
  // As the earlier script left them, under layout 1's names: 4 answers of 100 in norr, 2 of 0 in soder.
  await withClient(async (client) => {
    await client.hSet(`${prefix}surveys`, survey.id, JSON.stringify(survey));
    await client.hSet(`${prefix}s:${survey.id}:counts`, {
      total: '6',
      'area:norr': '4',
      'area:soder': '2',
      'index:safety:norr:sum': '400',
      'index:safety:norr:n': '4',
      'index:safety:soder:sum': '0',
      'index:safety:soder:n': '2',
    });
  });
  const store = await connect();
  expect(store.renamedKeys).toBe(1);

  await store.recordResponse(countResponse(survey, response(survey.id, { areaId: 'norr', answers: [{ questionId: 'q1', value: 5 }] }), Date.now(), 5));
  const snapshot = buildSnapshot(survey, await store.getCounts(survey.id), Date.now(), 1);
  // (500 + 0) / 7 = 71.4: all seven answers, published at once.
  expect(snapshot.indexes.safety).toEqual({ value: 71, n: 7 });
  expect(snapshot.areas.find((area) => area.id === 'norr')?.indexes.safety).toEqual({ value: 100, n: 5 });
  expect(snapshot.areas.find((area) => area.id === 'soder')?.indexes.safety).toEqual({ value: null, n: 0 });
});
