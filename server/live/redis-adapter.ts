/** The Socket.IO Redis adapter: emits on one instance reach widgets connected to any other. */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

export async function createRedisAdapter(url: string, prefix: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // Failures show up as missed cross-instance emits and in /readyz via the store; never crash.
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub, { key: `${prefix}socket.io` }),
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
