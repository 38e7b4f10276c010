/**
 * ROLE split (docs/operations.md): one process takes webhooks (ROLE=ingest), another serves the
 * widgets (ROLE=live), both real `server/main.ts` processes on the shared Redis. A webhook
 * answered by the ingest process reaches a real Socket.IO client connected to the live one,
 * and each process refuses what the other serves.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import { deleteKeys, postSigned, redisUrl, response, sampleSurvey, testPrefix } from '../../support/harness.js';
import { adminCall, type ServerProcess, serverProcess } from '../faults/fault-helpers.js';
import { connected, type LiveClient, nextStats, nextText, subscribeOk } from './live-helpers.js';

const prefix = testPrefix();
let ingest: ServerProcess;
let live: ServerProcess;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  const shared = { REDIS_URL: redisUrl(), REDIS_PREFIX: prefix };
  ingest = await serverProcess({ ...shared, ROLE: 'ingest' });
  live = await serverProcess({ ...shared, ROLE: 'live' });
  await Promise.all([ingest.start(), live.start()]);
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.allSettled([ingest?.stop(), live?.stop()]);
  await deleteKeys(redisUrl(), prefix);
});

function connectLive(base: string): LiveClient {
  const socket: LiveClient = io(`${base}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  return socket;
}

it('pushes survey:stats and text:created to a widget on the live process for a webhook the ingest process answered', { timeout: 60_000 }, async () => {
  const survey = sampleSurvey();
  expect((await adminCall(ingest.url, 'PUT', `/api/v1/surveys/${survey.id}`, survey)).status).toBe(201);
  // The live process learns of the survey through Redis; it mints the widget's token.
  const mint = () => adminCall(live.url, 'POST', '/api/v1/tokens', { surveyId: survey.id, scopes: ['stats', 'text'] });
  let minted = await mint();
  for (const deadline = Date.now() + 20_000; minted.status !== 201 && Date.now() < deadline; minted = await mint()) {
    await new Promise((done) => setTimeout(done, 100));
  }
  expect(minted.status).toBe(201);
  const { token } = (await minted.json()) as { token: string };

  const socket = connectLive(live.url);
  await connected(socket, 20_000);
  const { snapshot } = await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
  expect(snapshot.responses).toBe(0);

  const stats = nextStats(socket, survey.id, (s) => s.responses === 1, 20_000);
  const text = nextText(socket, (t) => t.surveyId === survey.id, 20_000);
  const res = await postSigned(ingest.url, {
    type: 'response.created',
    timestamp: new Date().toISOString(),
    data: response(survey.id, { areaId: 'soder', answers: [{ questionId: 'comment', text: 'Hissen står still igen' }] }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'accepted' });
  expect((await stats).areas.find((area) => area.id === 'soder')?.responses).toBe(1);
  expect(await text).toMatchObject({ surveyId: survey.id, questionId: 'comment', text: 'Hissen står still igen' });
});

it('serves no sockets on the ingest process and no webhooks on the live process', { timeout: 60_000 }, async () => {
  const survey = sampleSurvey();
  const refusedWebhook = await postSigned(live.url, { type: 'response.created', timestamp: new Date().toISOString(), data: response(survey.id) });
  expect(refusedWebhook.status).toBe(404);
  expect(refusedWebhook.headers.get('content-type')).toContain('application/problem+json');
  expect(((await refusedWebhook.json()) as { detail: string }).detail).toContain('ROLE=live');

  const polling = await fetch(`${ingest.url}/socket.io/?EIO=4&transport=polling`);
  expect(polling.status).toBe(404);
  await polling.arrayBuffer();
  // Both answer their health checks (a load balancer probes each).
  for (const process of [ingest, live]) expect((await fetch(`${process.url}/readyz`)).status).toBe(200);
});
