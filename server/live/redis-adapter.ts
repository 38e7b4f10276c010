/**
 * The Socket.IO Redis adapter: emits on one instance reach widgets connected to any other. On a
 * Redis Cluster, the sharded adapter (Redis 7 sharded pub/sub): plain pub/sub copies every
 * message to every node of the cluster, sharded pub/sub keeps each channel on its slot's node, and
 * with one channel per room ("dynamic", the default) the surveys' rooms spread over the shards.
 */
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { closeRedisConnection, createRedisConnection, isClusterUrl } from '../store/redis-connection.js';

/**
 * The adapter calls `pubClient.publish()` and drops the promise. While Redis is away, a publish
 * in flight rejects (ECONNRESET) with nobody listening, and Node ends the process on an
 * unhandled rejection: one Redis restart took the server down. Publishing through this view
 * turns such a failure into a missed cross-instance emit, which is what it is.
 */
export function withQuietPublish<Client extends { publish(channel: string, message: string): Promise<number> }>(
  client: Client,
  onError: (error: unknown) => void = () => {},
): Client {
  return new Proxy(client, {
    get(target, property) {
      // sPublish: the sharded adapter's (on a cluster), dropped the same way.
      if (property === 'publish' || property === 'sPublish') {
        const publish = Reflect.get(target, property, target) as (channel: string, message: string) => Promise<number>;
        return (channel: string, message: string) =>
          publish.call(target, channel, message).catch((error: unknown) => {
            onError(error);
            return 0;
          });
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The adapter for REDIS_URL: the classic one on a Redis server, the sharded one on a cluster. */
export async function createRedisAdapter(url: string, prefix: string) {
  const pub = createRedisConnection(url);
  const sub = pub.duplicate();
  // Failures show up as missed cross-instance emits and in /readyz via the store; never crash.
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  const adapter = isClusterUrl(url)
    ? createShardedAdapter(withQuietPublish(pub), sub, { channelPrefix: `${prefix}socket.io` })
    : createAdapter(withQuietPublish(pub), sub, { key: `${prefix}socket.io` });
  return {
    adapter,
    async close() {
      await Promise.allSettled([closeRedisConnection(pub), closeRedisConnection(sub)]);
    },
  };
}
