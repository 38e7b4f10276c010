import { MemoryStore } from '../../../server/store/memory-store.js';
import { CONTRACT_TEXT_LIMIT, describeStoreContract } from './contract.js';

describeStoreContract('MemoryStore', async () => {
  const store = new MemoryStore({ textLimit: CONTRACT_TEXT_LIMIT });
  return { store, cleanup: () => store.close() };
});
