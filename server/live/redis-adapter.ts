/**
 * The Socket.IO Redis adapter: emits on one instance reach widgets connected to any other. On a
 * Redis Cluster, the sharded adapter (Redis 7 sharded pub/sub): plain pub/sub copies every
 * message to every node of the cluster, sharded pub/sub keeps each channel on its slot's node, and
 * with one channel per room ("dynamic", the default) the surveys' rooms spread over the shards.
 */
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { DisconnectsClientError } from 'redis';
import { closeRedisConnection, createRedisConnection, isClusterUrl } from '../store/redis-connection.js';

/**
 * The adapter calls `pubClient.publish()` and drops the promise, and the sharded one does the same
 * with `sSubscribe`/`sUnsubscribe` whenever a room appears or empties. While Redis (or one cluster
 * master) is away, such a call rejects (ECONNRESET) with nobody listening, and Node ends the
 * process on an unhandled rejection: one Redis restart took the server down. Through this view
 * a failed publish is a missed cross-instance emit (0 receivers) and a failed (un)subscribe a
 * reported error; widgets catch up from the full snapshot they get when they subscribe again.
 */
const DROPPED_PROMISES = new Set<PropertyKey>(['publish', 'sPublish', 'sSubscribe', 'sUnsubscribe']);

export function withQuietPubSub<Client extends object>(client: Client, onError: (error: unknown) => void = () => {}): Client {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!DROPPED_PROMISES.has(property)) return value.bind(target);
      const publishes = property === 'publish' || property === 'sPublish';
      const send = (args: unknown[], retried: boolean): Promise<unknown> =>
        (value.apply(target, args) as Promise<unknown>).catch((error: unknown) => {
          // A cluster master failed over: publishes queued for it while it was away are rejected
          // unsent (DisconnectsClientError) when the client re-reads the slot map and drops it.
          // Sent again, once, they reach the promoted replica, in their order and before any
          // later emit; dropped, the last stats of a burst would never reach the other instances'
          // widgets (test/server/faults/cluster-failover.test.ts).
          if (publishes && !retried && error instanceof DisconnectsClientError) return send(args, true);
          onError(error);
          return publishes ? 0 : undefined;
        });
      return (...args: unknown[]) => send(args, false);
    },
  });
}

/** The adapter for REDIS_URL: the classic one on a Redis server, the sharded one on a cluster. */
export async function createRedisAdapter(url: string, prefix: string, onError: (error: unknown) => void = () => {}) {
  const pub = createRedisConnection(url);
  const sub = pub.duplicate();
  // Failures show up as missed cross-instance emits and in /readyz via the store; never crash.
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  const adapter = isClusterUrl(url)
    ? createShardedAdapter(withQuietPubSub(pub, onError), withQuietPubSub(sub, onError), { channelPrefix: `${prefix}socket.io` })
    : createAdapter(withQuietPubSub(pub, onError), sub, { key: `${prefix}socket.io` });
  return {
    adapter,
    async close() {
      await Promise.allSettled([closeRedisConnection(pub), closeRedisConnection(sub)]);
    },
  };
}
