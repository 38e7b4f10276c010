/**
 * Rate limits hold only if a client cannot choose the address they count by: X-Forwarded-For
 * is believed from the proxies TRUST_PROXY names and from nobody else. Webhooks refused for
 * their signature are limited per address too, and summed into one log line, not one each.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REFUSED_WEBHOOKS_PER_MINUTE } from '../../../server/http/webhook-guard.js';
import { ADMIN_TOKEN, response, sampleSurvey, signedHeaders, startTestApp, type TestApp } from '../../support/harness.js';
import { FORMBRICKS_PATH } from '../ingest/platforms/platform-helpers.js';
import { expectProblem } from './http-assertions.js';

const WEBHOOK = '/api/v1/webhooks/responses';
const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
async function start(env: Record<string, string> = {}, logLines?: string[]): Promise<TestApp> {
  const t = await startTestApp({ env, ...(logLines ? { logLines } : {}) });
  apps.push(t);
  return t;
}

/** What is left of the API's per-address budget after this request (draft-8 `RateLimit: …; r=N`). */
async function remainingFor(t: TestApp, forwardedFor: string): Promise<number> {
  const res = await fetch(`${t.url}/api/v1/surveys`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'X-Forwarded-For': forwardedFor } });
  expect(res.status).toBe(200);
  const remaining = /\br=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1];
  if (remaining === undefined) throw new Error(`no RateLimit header: ${res.headers.get('ratelimit')}`);
  return Number(remaining);
}

/** A webhook without a valid signature, as a guesser sends it. */
const unsigned = (t: TestApp, path: string, forwardedFor?: string) =>
  fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'webhook-id': 'msg_guess',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': 'v1,Z3Vlc3M=',
      ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}),
    },
    body: '{}',
  });

const signed = (t: TestApp, data: object, forwardedFor?: string) => {
  const body = JSON.stringify({ type: 'response.created', timestamp: new Date().toISOString(), data });
  return fetch(`${t.url}${WEBHOOK}`, {
    method: 'POST',
    headers: { ...signedHeaders(body), ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) },
    body,
  });
};

/** Sends `count` requests, 50 at a time, and returns their statuses. */
async function statuses(count: number, send: (i: number) => Promise<Response>): Promise<number[]> {
  const all: number[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => send(i + j)));
    for (const res of batch) {
      all.push(res.status);
      await res.arrayBuffer();
    }
  }
  return all;
}

describe('TRUST_PROXY', () => {
  it('unset: a client on loopback cannot pick its own bucket with X-Forwarded-For', async () => {
    const t = await start();
    const first = await remainingFor(t, '10.1.1.1');
    expect(await remainingFor(t, '10.1.1.2')).toBe(first - 1);
    expect(await remainingFor(t, '10.1.1.3, 10.1.1.4')).toBe(first - 2);
  });

  it('loopback: the proxy on loopback names the client, and each client has its own bucket', async () => {
    const t = await start({ TRUST_PROXY: 'loopback' });
    const first = await remainingFor(t, '10.1.1.1');
    expect(await remainingFor(t, '10.1.1.2')).toBe(first);
    expect(await remainingFor(t, '10.1.1.1')).toBe(first - 1);
  });

  it('a hop count trusts that many proxies; an address outside the list is not trusted', async () => {
    const hop = await start({ TRUST_PROXY: '1' });
    const fresh = await remainingFor(hop, '10.1.1.1');
    expect(await remainingFor(hop, '10.1.1.2')).toBe(fresh);
    const other = await start({ TRUST_PROXY: '10.0.0.0/8' });
    const first = await remainingFor(other, '10.1.1.1');
    expect(await remainingFor(other, '10.1.1.2')).toBe(first - 1);
  });
});

// Each limit test sends 600 requests: minutes, not seconds, on a busy 2-core machine.
describe('refused webhooks', { timeout: 120_000 }, () => {
  it(`answers 429 with Retry-After after ${REFUSED_WEBHOOKS_PER_MINUTE} signature refusals from one address, on every webhook route`, async () => {
    const t = await start();
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    // Half on the native route, half on a platform's: both count against the same address.
    const refused = await statuses(REFUSED_WEBHOOKS_PER_MINUTE, (i) => unsigned(t, i % 2 ? FORMBRICKS_PATH : WEBHOOK, `10.2.0.${i % 250}`));
    expect(new Set(refused)).toEqual(new Set([401]));

    // Now even a valid one waits (the sender retries it), whatever X-Forwarded-For says.
    const limited = await signed(t, response(survey.id), '10.3.3.3');
    const problem = await expectProblem(limited, 429, 'too-many-requests');
    expect(problem.detail).toMatch(/invalid signature/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expectProblem(await unsigned(t, FORMBRICKS_PATH), 429, 'too-many-requests');
    // The rest of the server still answers this address.
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  });

  it('with TRUST_PROXY, limits the client the proxy names, not the proxy', async () => {
    const t = await start({ TRUST_PROXY: 'loopback' });
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const refused = await statuses(REFUSED_WEBHOOKS_PER_MINUTE, () => unsigned(t, WEBHOOK, '10.4.4.4'));
    expect(new Set(refused)).toEqual(new Set([401]));
    await expectProblem(await unsigned(t, WEBHOOK, '10.4.4.4'), 429, 'too-many-requests');
    expect((await signed(t, response(survey.id), '10.5.5.5')).status).toBe(200);
  });

  it('logs refusals as one summary line with counts per outcome, not one line each', async () => {
    const lines: string[] = [];
    const t = await start({ LOG_LEVEL: 'debug' }, lines);
    for (let i = 0; i < 3; i++) expect((await unsigned(t, WEBHOOK)).status).toBe(401);
    expect((await unsigned(t, FORMBRICKS_PATH)).status).toBe(401);
    const malformed = '{"type":';
    expect((await fetch(`${t.url}${WEBHOOK}`, { method: 'POST', headers: signedHeaders(malformed), body: malformed })).status).toBe(400);
    await t.close(); // flushes the summary, as the minute's timer would
    apps.splice(apps.indexOf(t), 1);

    const warnings = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string; refused?: object; total?: number })
      .filter((line) => line.level >= 40);
    expect(warnings).toEqual([expect.objectContaining({ msg: 'webhooks refused', refused: { 'invalid-signature': 4, 'malformed-json': 1 }, total: 5 })]);
  });
});
