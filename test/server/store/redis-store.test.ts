import { RedisStore } from '../../../server/store/redis-store.js';
import { deleteKeys, redisUrl, testPrefix } from '../../support/harness.js';
import { CONTRACT_TEXT_LIMIT, describeStoreContract } from './contract.js';

// The shared test Redis, with a key prefix of each test's own.
describeStoreContract('RedisStore', async () => {
  const url = redisUrl();
  const prefix = testPrefix();
  const store = await RedisStore.connect({ url, prefix, textLimit: CONTRACT_TEXT_LIMIT });
  return {
    store,
    async cleanup() {
      await store.close();
      await deleteKeys(url, prefix);
    },
  };
});
