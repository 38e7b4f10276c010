/**
 * The Socket.IO Redis adapter drops the promise of every publish (sPublish for the sharded one). A publish that fails while
 * Redis is away must not become an unhandled rejection (Node would end the server for it).
 */
import { createClient } from 'redis';
import { expect, it } from 'vitest';
import { withQuietPublish } from '../../../server/live/redis-adapter.js';
import { redisUrl } from '../../support/harness.js';

it('turns a failed publish into a reported error and 0 receivers, and leaves every other command as it was', async () => {
  const client = createClient({ url: redisUrl() });
  client.on('error', () => {});
  await client.connect();
  const errors: unknown[] = [];
  const quiet = withQuietPublish(client, (error) => errors.push(error));
  expect(await quiet.publish('survey-live-test:adapter', 'hello')).toBe(0);
  // sPublish: what the sharded adapter (on a Redis Cluster) calls instead.
  expect(await quiet.sPublish('survey-live-test:adapter', 'hello')).toBe(0);
  expect(await quiet.ping()).toBe('PONG');
  client.destroy();
  // The raw client rejects once it is gone; through the view the same call resolves.
  await expect(client.publish('survey-live-test:adapter', 'lost')).rejects.toThrow();
  expect(await quiet.publish('survey-live-test:adapter', 'lost')).toBe(0);
  expect(await quiet.sPublish('survey-live-test:adapter', 'lost')).toBe(0);
  expect(errors).toHaveLength(2);
});
