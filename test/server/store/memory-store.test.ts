import { CONTRACT_TEXT_LIMIT, describeStoreContract } from './contract.js';
import { makeMemoryStore } from './store-subjects.js';

describeStoreContract('MemoryStore', () => makeMemoryStore({ textLimit: CONTRACT_TEXT_LIMIT }));
