/**
 * What one new free-text answer costs the store when its survey already keeps 500 texts of 5 KB:
 * the hide-area edit TextFeed makes right after it arrives (small-group protection). Run with
 * `npx tsx bench/text-add.ts` (REDIS_URL, else 127.0.0.1:6379); it deletes its own keys.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { RedisStore } from '../server/store/redis-store.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `measure-text-add:${randomUUID()}:`;
const store = await RedisStore.connect({ url: REDIS, prefix, textLimit: 500 });
const surveyId = 'm';
const text = (i: number) => ({
  id: randomUUID(),
  surveyId,
  areaId: 'norr',
  questionId: 'c',
  text: `svar ${i} `.padEnd(5000, 'x'),
  receivedAt: new Date().toISOString(),
  responseId: `r${i}`,
});
const record = (i: number) =>
  store.recordResponse({
    surveyId,
    responseId: `r${i}`,
    areaKey: 'norr',
    channel: 'door',
    hour: 0,
    minute: undefined,
    receivedAt: Date.now(),
    indexValues: [],
    indexStep: 1,
    texts: [text(i)],
  } as never);
for (let i = 0; i < 500; i++) await record(i);
const times: number[] = [];
for (let i = 500; i < 600; i++) {
  await record(i);
  const [newest] = await store.latestTexts(surveyId, 1);
  const t0 = performance.now();
  await store.editTexts(surveyId, { id: newest!.id }, 'hide-area');
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`hide-area of the newest of 500 texts of 5 KB: median ${times[50]!.toFixed(2)} ms, p90 ${times[90]!.toFixed(2)} ms per call`);
const client = createClient({ url: REDIS });
await client.connect();
const keys: string[] = [];
for await (const batch of client.scanIterator({ MATCH: `${prefix}*` })) keys.push(...batch);
if (keys.length) await client.del(keys);
await client.quit();
await store.close();
