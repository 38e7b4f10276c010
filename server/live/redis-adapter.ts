/** The Socket.IO Redis adapter: emits on one instance reach widgets connected to any other. */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

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
      if (property === 'publish') {
        return (channel: string, message: string) =>
          target.publish(channel, message).catch((error: unknown) => {
            onError(error);
            return 0;
          });
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export async function createRedisAdapter(url: string, prefix: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // Failures show up as missed cross-instance emits and in /readyz via the store; never crash.
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(withQuietPublish(pub), sub, { key: `${prefix}socket.io` }),
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
