/**
 * ALLOWED_ORIGINS on /live, over both transports: the check runs in engine.io's allowRequest, so
 * it covers the WebSocket upgrade (which CORS does not) as well as HTTP long-polling, the
 * transport browsers start with or fall back to.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import { sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, type LiveClient, refused, subscribeOk } from './live-helpers.js';

let t: TestApp;
const sockets: LiveClient[] = [];
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { ALLOWED_ORIGINS: 'http://intranet.test' } });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t.close();
});

/** A Node client sending the Origin header a browser on `origin` would send (none when undefined). */
function connectFrom(origin: string | undefined, transport: 'websocket' | 'polling'): LiveClient {
  const socket: LiveClient = io(`${t.url}${LIVE_NAMESPACE}`, {
    transports: [transport],
    forceNew: true,
    reconnection: false,
    ...(origin ? { extraHeaders: { Origin: origin } } : {}),
  });
  sockets.push(socket);
  return socket;
}

describe.each(['websocket', 'polling'] as const)('over %s', (transport) => {
  it('accepts a widget on an allowed origin, which can then subscribe', async () => {
    const socket = connectFrom('http://intranet.test', transport);
    await connected(socket);
    expect(socket.io.engine.transport.name).toBe(transport);
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const token = (await t.app.tokens.mint(survey.id, ['stats'], 600)).token;
    const { snapshot } = await subscribeOk(socket, { surveyId: survey.id, token });
    expect(snapshot.surveyId).toBe(survey.id);
  });

  it('refuses the connection from an origin that is not allowed', async () => {
    const socket = connectFrom('http://evil.test', transport);
    const error = (await refused(socket)) as Error & { description?: unknown };
    // The client sees only the status: 400 on the upgrade, 403 on a polling handshake.
    expect(String((error.description as Error | undefined)?.message ?? error.description)).toMatch(transport === 'websocket' ? /400/ : /403/);
    expect(socket.connected).toBe(false);
  });

  it('accepts a client that sends no Origin (not a browser)', async () => {
    await connected(connectFrom(undefined, transport));
  });
});

it('says why it refused an origin', async () => {
  const handshake = `${t.url}/socket.io/?EIO=4&transport=polling`;
  const evil = await fetch(handshake, { headers: { Origin: 'http://evil.test' } });
  expect(evil.status).toBe(403);
  expect(await evil.text()).toContain('origin not allowed');
  const intranet = await fetch(handshake, { headers: { Origin: 'http://intranet.test' } });
  expect(intranet.status).toBe(200);
  expect(intranet.headers.get('access-control-allow-origin')).toBe('http://intranet.test');
});
