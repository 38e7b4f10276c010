/**
 * Redis (AOF, fsync always) is killed in the middle of a stream of webhooks and started again.
 * While it is away the server stays up, answers webhooks 503 with Retry-After and /readyz 503,
 * and tells widgets it is degraded (`server:status`); when Redis is back everything resumes by
 * itself, and the counts are exact.
 */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import { eventually, response, sampleSurvey, testPrefix } from '../../support/harness.js';
import { type PrivateRedis, startPrivateRedis } from '../../support/redis-server.js';
import { connected, type LiveClient, subscribeOk } from '../live/live-helpers.js';
import { adminCall, expectStoredCounts, type ServerProcess, serverProcess, stream, watchWidget } from './fault-helpers.js';

const RESPONSES = 300;
const prefix = testPrefix();
let redis: PrivateRedis;
let server: ServerProcess;
let widget: LiveClient | undefined;
beforeAll(async () => {
  redis = await startPrivateRedis({ appendOnly: true });
  server = await serverProcess({ REDIS_URL: redis.url, REDIS_PREFIX: prefix });
  await server.start();
}, 240_000);
afterAll(async () => {
  widget?.close();
  await server?.stop('SIGKILL');
  await redis?.stop();
});

it(`answers 503 and says "degraded" while Redis is down, then resumes by itself with all ${RESPONSES} responses counted once`, {
  timeout: 240_000,
}, async () => {
  const survey = sampleSurvey();
  expect((await adminCall(server.url, 'PUT', `/api/v1/surveys/${survey.id}`, survey)).status).toBe(201);
  const { token } = (await (await adminCall(server.url, 'POST', '/api/v1/tokens', { surveyId: survey.id, scopes: ['stats'] })).json()) as { token: string };
  widget = connect(`${server.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true }) as LiveClient;
  await connected(widget);
  await subscribeOk(widget, { surveyId: survey.id, token });
  const { statuses, shown } = watchWidget(widget, survey.id);

  let outage: Promise<{ readyz: number; ingest: Response }> | undefined;
  const deliveries = await stream(
    RESPONSES,
    8,
    () => server.url,
    (i) => response(survey.id, { responseId: `r-${i}`, areaId: i % 2 ? 'norr' : 'soder' }),
    (delivered) => {
      if (delivered !== Math.floor(RESPONSES / 3)) return;
      outage = (async () => {
        await redis.kill();
        try {
          // What the world sees while Redis is away: a degraded widget, a 503 readiness, 503 webhooks.
          await eventually(() => statuses.includes('unavailable'), 'server:status unavailable on the widget', 30_000);
          const readyz = (await fetch(`${server.url}/readyz`)).status;
          const ingest = await fetch(`${server.url}/api/v1/webhooks/responses`, { method: 'POST', body: '{}' });
          return { readyz, ingest };
        } finally {
          await redis.start();
        }
      })();
      // Awaited after the stream; a failure in it must not be an unhandled rejection meanwhile.
      outage.catch(() => {});
    },
  );
  const seen = await outage;
  expect(seen?.readyz).toBe(503);
  // Unsigned, so 401 would be fine too; a signed one during the outage is in `deliveries` below.
  expect([401, 503]).toContain(seen?.ingest.status);
  const refused = deliveries.flatMap((delivery) => delivery.failures);
  console.info(`Redis down mid-stream: ${refused.filter((status) => status === 503).length} answers were 503, all retried`);
  expect(refused).toContain(503);
  expect(refused.every((status) => status === 503)).toBe(true);
  expect(deliveries.flatMap((delivery) => delivery.retryAfter).every((value) => /^\d+$/.test(value))).toBe(true);
  expect(server.running()).toBe(true);

  // Back by itself: the widget hears so, readiness recovers, and shows the exact count.
  await eventually(() => statuses.at(-1) === 'ok', 'server:status ok on the widget', 30_000);
  expect(statuses).toEqual(['unavailable', 'ok']);
  await eventually(async () => (await fetch(`${server.url}/readyz`)).status === 200, '/readyz 200', 30_000);
  await eventually(() => shown() === RESPONSES, `the widget to show ${RESPONSES} responses (shows ${shown()})`, 30_000);

  await expectStoredCounts(redis.url, prefix, survey.id, RESPONSES);
});
