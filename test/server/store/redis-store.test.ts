import { CONTRACT_TEXT_LIMIT, describeStoreContract } from './contract.js';
import { makeRedisStore } from './store-subjects.js';

describeStoreContract('RedisStore', () => makeRedisStore({ textLimit: CONTRACT_TEXT_LIMIT }));
