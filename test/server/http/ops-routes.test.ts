/** Health, readiness and metrics endpoints, and CORS on the read API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';

const INTRANET = 'http://intranet.test';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { ALLOWED_ORIGINS: INTRANET } });
});
afterAll(() => t.close());

describe('health and readiness', () => {
  it('GET /healthz answers 200 {status: "ok", version}', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/) });
  });

  it('GET /readyz answers 200 with the store kind once Redis answers', async () => {
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', store: 'redis' });
  });
});

describe('GET /metrics', () => {
  it('counts webhooks by outcome', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const data = response(survey.id);
    const outcomes = [
      await t.sendResponse(data),
      await t.sendResponse(data),
      await t.sendResponse(response('undefined-survey')),
      await t.sendResponse(response(survey.id), { secret: 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==' }),
    ].map((res) => res.status);
    expect(outcomes).toEqual([200, 200, 202, 401]);

    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE survey_live_webhooks_total counter');
    for (const outcome of ['accepted', 'duplicate', 'unmatched', 'invalid-signature']) {
      expect(text).toMatch(new RegExp(`^survey_live_webhooks_total\\{outcome="${outcome}"\\} 1$`, 'm'));
    }
    expect(text).toMatch(/^survey_live_ingest_duration_seconds_count 4$/m);
  });
});

describe('CORS on the read API', () => {
  const getStats = async (origin: string) => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const { token } = await t.app.tokens.mint(survey.id, ['stats'], 60);
    return fetch(`${t.url}/api/v1/surveys/${survey.id}/stats`, { headers: { Origin: origin, Authorization: `Bearer ${token}` } });
  };

  it('lets an allowed origin read stats', async () => {
    const res = await getStats(INTRANET);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(INTRANET);
    expect(res.headers.get('vary')).toMatch(/Origin/i);
  });

  it('gives another origin no Access-Control-Allow-Origin', async () => {
    const res = await getStats('http://evil.test');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight with an Authorization header for the allowed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/api/v1/surveys/any/stats`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
    const allowed = await preflight(INTRANET);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(INTRANET);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const refused = await preflight('http://evil.test');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
