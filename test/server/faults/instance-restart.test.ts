/**
 * Two instances on one Redis (Socket.IO Redis adapter), as behind a load balancer. One is
 * stopped (SIGTERM, a rolling deploy) and started again while 200 widgets are connected to it
 * and webhooks keep coming: the widgets reconnect to the other instance, subscribe again (as
 * widget/connection/registry.ts does on every connect), and end on the exact count.
 */
import { io as connect, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import { eventually, response, sampleSurvey, testPrefix } from '../../support/harness.js';
import { type PrivateRedis, startPrivateRedis } from '../../support/redis-server.js';
import type { LiveClient } from '../live/live-helpers.js';
import { adminCall, type ServerProcess, serverProcess, sleep, stream } from './fault-helpers.js';

const WIDGETS = 200;
const RESPONSES = 300;
const prefix = testPrefix();
let redis: PrivateRedis;
let a: ServerProcess;
let b: ServerProcess;
const widgets: LiveClient[] = [];
beforeAll(async () => {
  redis = await startPrivateRedis({ appendOnly: true });
  a = await serverProcess({ REDIS_URL: redis.url, REDIS_PREFIX: prefix });
  b = await serverProcess({ REDIS_URL: redis.url, REDIS_PREFIX: prefix });
  await Promise.all([a.start(), b.start()]);
}, 240_000);
afterAll(async () => {
  for (const widget of widgets) widget.close();
  await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
  await redis?.stop();
});

/**
 * A widget's connection with a tiny load balancer: each reconnection attempt goes to the next
 * instance. Subscribes on every connect, like the widget's registry.
 */
function widget(urls: string[], surveyId: string, token: string): { socket: LiveClient; shown: () => number; connects: () => number } {
  let turn = 0;
  let shown = 0;
  let connects = 0;
  const options: Partial<ManagerOptions & SocketOptions> = { transports: ['websocket'], forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 };
  const socket = connect(`${urls[0]}${LIVE_NAMESPACE}`, options) as LiveClient;
  socket.io.on('reconnect_attempt', () => {
    turn = (turn + 1) % urls.length;
    // The Manager opens its next engine at `uri`: the balancer's choice.
    (socket.io as unknown as { uri: string }).uri = `${urls[turn]}${LIVE_NAMESPACE}`;
  });
  socket.on('connect', () => {
    connects++;
    socket.emit('survey:subscribe', { surveyId, token }, (ack) => {
      if (ack.ok) shown = Math.max(shown, ack.snapshot.responses);
    });
  });
  socket.on('survey:stats', (snapshot) => {
    if (snapshot.surveyId === surveyId) shown = snapshot.responses;
  });
  return { socket, shown: () => shown, connects: () => connects };
}

it(`moves ${WIDGETS} widgets to the other instance when one stops, and they end on the exact count`, { timeout: 300_000 }, async () => {
  const survey = sampleSurvey();
  expect((await adminCall(a.url, 'PUT', `/api/v1/surveys/${survey.id}`, survey)).status).toBe(201);
  await eventually(async () => (await adminCall(b.url, 'GET', `/api/v1/surveys/${survey.id}`)).ok, 'the survey on B');
  const { token } = (await (await adminCall(a.url, 'POST', '/api/v1/tokens', { surveyId: survey.id, scopes: ['stats'] })).json()) as { token: string };

  const clients = Array.from({ length: WIDGETS }, () => widget([a.url, b.url], survey.id, token));
  widgets.push(...clients.map((client) => client.socket));
  await eventually(() => clients.every((client) => client.connects() === 1), `${WIDGETS} widgets connected to A`, 60_000);

  // Webhooks go round both instances, and to the other one when one does not answer.
  let next = 0;
  const balancer = () => [a.url, b.url][next++ % 2] as string;
  let restarted: Promise<void> | undefined;
  const deliveries = await stream(
    RESPONSES,
    6,
    balancer,
    (i) => response(survey.id, { responseId: `r-${i}` }),
    (delivered) => {
      if (delivered !== Math.floor(RESPONSES / 3)) return;
      restarted = (async () => {
        expect(await a.stop('SIGTERM')).toBe(0);
        // Every widget is on B before A comes back.
        await eventually(() => clients.every((client) => client.connects() >= 2 && client.socket.connected), 'every widget reconnected', 60_000);
        await a.start();
      })();
      restarted.catch(() => {});
      return sleep(0);
    },
  );
  await restarted;
  expect(new Set(deliveries.map((delivery) => delivery.responseId)).size).toBe(RESPONSES);
  expect(deliveries.some((delivery) => delivery.failures.length > 0)).toBe(true);

  await eventually(() => clients.every((client) => client.shown() === RESPONSES), `every widget to show ${RESPONSES}`, 60_000);
  // B's REST answer may reuse a snapshot up to STATS_INTERVAL_MS old (counts made by A): wait for
  // exactly RESPONSES (one counted twice would never equal it).
  const readStats = async () =>
    ((await (await fetch(`${b.url}/api/v1/surveys/${survey.id}/stats`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { responses: number })
      .responses;
  await eventually(async () => (await readStats()) === RESPONSES, `B's stats to say ${RESPONSES}`, 30_000);
});
