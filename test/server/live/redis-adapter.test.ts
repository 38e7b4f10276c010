/**
 * The Socket.IO Redis adapter drops the promise of every publish (sPublish for the sharded one), and the sharded one
 * that of every sSubscribe/sUnsubscribe. One that fails while Redis is away must not become an unhandled rejection
 * (Node would end the server for it).
 */
import { createClient, DisconnectsClientError } from 'redis';
import { expect, it } from 'vitest';
import { withQuietPubSub } from '../../../server/live/redis-adapter.js';
import { redisUrl } from '../../support/harness.js';

it('turns a failed publish into a reported error and 0 receivers, and leaves every other command as it was', async () => {
  const client = createClient({ url: redisUrl() });
  client.on('error', () => {});
  await client.connect();
  const errors: unknown[] = [];
  const quiet = withQuietPubSub(client, (error) => errors.push(error));
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

it('sends again, once, a publish rejected unsent because the cluster client dropped a failed master (DisconnectsClientError)', async () => {
  // What node-redis's cluster client does with publishes queued for a master that failed over,
  // when it re-reads the slot map: the second attempt goes to the promoted replica.
  const sent: string[] = [];
  let dropped = 0;
  const client = {
    sPublish: async (channel: string, message: string) => {
      if (dropped++ < 1) throw new DisconnectsClientError();
      sent.push(`${channel}:${message}`);
      return 1;
    },
    publish: async (_channel: string, _message: string) => {
      throw new DisconnectsClientError();
    },
  };
  const errors: unknown[] = [];
  const quiet = withQuietPubSub(client, (error) => errors.push(error));
  expect(await quiet.sPublish('stats', 'last')).toBe(1);
  expect(sent).toEqual(['stats:last']);
  expect(errors).toEqual([]);
  // Once only: a node still unreachable is a missed emit, as any other failed publish.
  expect(await quiet.publish('stats', 'again')).toBe(0);
  expect(errors).toHaveLength(1);
});

it('turns a failed sSubscribe or sUnsubscribe (a room appearing or emptying while a master is away) into a reported error', async () => {
  // What node-redis's cluster client does when the slot's master went away under a subscribe.
  const reset = () => Promise.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  const client = { sSubscribe: reset, sUnsubscribe: reset, ping: async () => 'PONG' };
  const errors: unknown[] = [];
  const quiet = withQuietPubSub(client, (error) => errors.push(error));
  await expect(client.sSubscribe()).rejects.toThrow('ECONNRESET');
  await expect(quiet.sSubscribe()).resolves.toBeUndefined();
  await expect(quiet.sUnsubscribe()).resolves.toBeUndefined();
  expect(await quiet.ping()).toBe('PONG');
  expect(errors).toHaveLength(2);
});
