/** The bench's Redis keys live under their own prefix on the shared Redis and are removed afterwards. */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';

export const benchRedisUrl = () => process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export const benchPrefix = () => `survey-live-bench:${randomUUID().slice(0, 8)}:`;

/** Deletes every key under `prefix` (and only those); returns how many. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  if (!prefix.startsWith('survey-live-bench:')) throw new Error(`refusing to delete keys outside the bench's prefix: ${prefix}`);
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  let deleted = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) deleted += await client.del(keys);
  }
  await client.quit();
  return deleted;
}
