/**
 * The server process is killed (SIGKILL, as the OOM killer or a power cut would) in the middle
 * of a stream of webhooks and started again. Senders retry like the platforms; Redis keeps
 * every acknowledged write (AOF, fsync always). Every distinct response counts exactly once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { response, sampleSurvey, testPrefix } from '../../support/harness.js';
import { type PrivateRedis, startPrivateRedis } from '../../support/redis-server.js';
import { adminCall, expectStoredCounts, type ServerProcess, serverProcess, stream } from './fault-helpers.js';

const RESPONSES = 400;
const prefix = testPrefix();
let redis: PrivateRedis;
let server: ServerProcess;
beforeAll(async () => {
  redis = await startPrivateRedis({ appendOnly: true });
  server = await serverProcess({ REDIS_URL: redis.url, REDIS_PREFIX: prefix });
  await server.start();
}, 240_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  await redis?.stop();
});

it(`counts each of ${RESPONSES} responses exactly once when the server is SIGKILLed mid-stream and restarted`, { timeout: 240_000 }, async () => {
  const survey = sampleSurvey();
  expect((await adminCall(server.url, 'PUT', `/api/v1/surveys/${survey.id}`, survey)).status).toBe(201);

  let killed: Promise<void> | undefined;
  const deliveries = await stream(
    RESPONSES,
    8,
    () => server.url,
    (i) => response(survey.id, { responseId: `r-${i}`, areaId: i % 2 ? 'norr' : 'soder' }),
    (delivered) => {
      // A third of the way in: kill it hard while requests are in flight, then start it again.
      if (delivered === Math.floor(RESPONSES / 3))
        killed = (async () => {
          expect(await server.stop('SIGKILL')).toBe(null);
          await server.start();
        })();
      killed?.catch(() => {});
    },
  );
  await killed;

  // Some deliveries met the dead server and were retried; each ended in one 2xx.
  const retried = deliveries.filter((delivery) => delivery.failures.length > 0);
  console.info(
    `SIGKILL mid-stream: ${retried.length} of ${RESPONSES} deliveries retried (${retried.reduce((n, d) => n + d.failures.length, 0)} failed attempts)`,
  );
  expect(retried.length).toBeGreaterThan(0);
  expect(new Set(deliveries.map((delivery) => delivery.responseId)).size).toBe(RESPONSES);
  // A response counted just before the kill, whose answer was lost with the process, is
  // "duplicate" on its retry: counted once all the same.
  expect(deliveries.every((delivery) => delivery.status === 'accepted' || delivery.status === 'duplicate')).toBe(true);

  // Read back through a connection of its own, after Redis too has restarted from its AOF.
  await redis.kill();
  await redis.start();
  await expectStoredCounts(redis.url, prefix, survey.id, RESPONSES);
});
