/**
 * The whole store contract against a real 3-master Redis Cluster (started once for this file):
 * every script, MULTI and multi-key command of the RedisStore must touch one hash slot, and
 * cross-instance notices must reach every subscriber wherever it is connected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../../server/store/redis-store.js';
import { surveySchema } from '../../../shared/schemas.js';
import { eventually, sampleSurvey, testPrefix } from '../../support/harness.js';
import { type PrivateCluster, startRedisCluster } from '../../support/redis-cluster.js';
import { CONTRACT_TEXT_LIMIT, describeStoreContract } from './contract.js';
import { makeClusterStore, STORE_SUBJECTS } from './store-subjects.js';

let cluster: PrivateCluster | undefined;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 120_000);
afterAll(() => cluster?.stop());

const clusterUrl = () => {
  if (!cluster) throw new Error('the Redis Cluster did not start');
  return cluster.url;
};
const makeStore = makeClusterStore(clusterUrl);

describeStoreContract('RedisStore on a Redis Cluster', () => makeStore({ textLimit: CONTRACT_TEXT_LIMIT }));

// The other contract files, with the cluster as their only subject.
STORE_SUBJECTS.splice(0, STORE_SUBJECTS.length, ['RedisStore on a Redis Cluster', makeStore]);
await import('./admin-contract.test.js');
await import('./events-contract.test.js');
await import('./export-contract.test.js');
await import('./history-contract.test.js');
await import('./pending-contract.test.js');
await import('./text-edit-contract.test.js');
await import('./unmatched-contract.test.js');

describe('instances sharing a Redis Cluster', () => {
  it('answers an admin write once every instance shows it (sharded pub/sub counts every subscriber)', async () => {
    const prefix = testPrefix();
    const stores = await Promise.all([0, 1, 2].map(() => RedisStore.connect({ url: clusterUrl(), prefix })));
    try {
      const [writer, ...readers] = stores as [RedisStore, ...RedisStore[]];
      for (let i = 0; i < 5; i++) {
        const survey = surveySchema.parse(sampleSurvey());
        await writer.putSurvey(survey);
        // No waiting: announceChange returned only after every instance applied it.
        for (const reader of readers) expect((await reader.getSurvey(survey.id))?.id).toBe(survey.id);
      }
      const survey = surveySchema.parse(sampleSurvey());
      await writer.putSurvey(survey);
      expect(await writer.deleteSurvey(survey.id)).toBe(true);
      for (const reader of readers) expect(await reader.getSurvey(survey.id)).toBeUndefined();
      await eventually(async () => (await readers[0]?.listSurveys())?.length === 5, 'the five surveys listed');
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
