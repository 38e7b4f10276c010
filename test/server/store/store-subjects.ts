/** The two ResponseStore implementations, made fresh for each test, for every contract suite. */
import { MemoryStore } from '../../../server/store/memory-store.js';
import { RedisStore } from '../../../server/store/redis-store.js';
import type { ResponseStore, UnmatchedBounds } from '../../../server/store/response-store.js';
import { deleteKeys, redisUrl, testPrefix } from '../../support/harness.js';

export interface StoreSubject {
  store: ResponseStore;
  cleanup(): Promise<void>;
}

export type MakeStore = (options?: { textLimit?: number } & UnmatchedBounds) => Promise<StoreSubject>;

export const makeMemoryStore: MakeStore = async (options = {}) => {
  const store = new MemoryStore(options);
  return { store, cleanup: () => store.close() };
};

/** The shared test Redis, with a key prefix of the test's own, deleted afterwards. */
export const makeRedisStore: MakeStore = async (options = {}) => {
  const url = redisUrl();
  const prefix = testPrefix();
  const store = await RedisStore.connect({ url, prefix, ...options });
  return {
    store,
    async cleanup() {
      await store.close();
      await deleteKeys(url, prefix);
    },
  };
};

/**
 * A RedisStore on a Redis Cluster of the test file's own (its URL read when a test starts, after
 * the file's beforeAll started the cluster): its keys go with the cluster at the end of the file.
 */
export function makeClusterStore(clusterUrl: () => string): MakeStore {
  return async (options = {}) => {
    const store = await RedisStore.connect({ url: clusterUrl(), prefix: testPrefix(), ...options });
    return { store, cleanup: () => store.close() };
  };
}

/**
 * What the *-contract.test.ts files run against. cluster-contract.test.ts replaces the entries
 * (in its own module graph: every test file has one) before importing those files, so the same
 * suites run once more against a Redis Cluster.
 */
export const STORE_SUBJECTS: [string, MakeStore][] = [
  ['MemoryStore', makeMemoryStore],
  ['RedisStore', makeRedisStore],
];
