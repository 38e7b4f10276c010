/** Standard Webhooks signature checks on POST /api/v1/webhooks/responses, against real Redis. */
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../server/ingest/signature.js';
import { response, sampleSurvey, signedHeaders, startTestApp, TEST_SECRET, type TestApp } from '../../support/harness.js';
import { countsOf, expectProblem, readStats } from '../http/http-assertions.js';

const WEBHOOK = '/api/v1/webhooks/responses';
const MINUTE_MS = 60_000;
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const webhookBody = (surveyId: string) => JSON.stringify({ type: 'response.created', timestamp: new Date().toISOString(), data: response(surveyId) });

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { STATS_INTERVAL_MS: '10' } });
});
afterAll(() => t.close());

/** A survey holding one counted response, so a refused request that counted anything would show. */
async function surveyWithOneResponse(): Promise<string> {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const res = await t.sendResponse(response(survey.id));
  expect(res.status).toBe(200);
  return survey.id;
}

async function expectStillOneResponse(surveyId: string): Promise<void> {
  const stats = await readStats(t, surveyId);
  expect(countsOf(stats)).toMatchObject({ responses: 1, onTimeline: 1, channels: { door: 1 } });
}

const post = (headers: Record<string, string>, body: string) => fetch(`${t.url}${WEBHOOK}`, { method: 'POST', headers, body });

describe('signWebhook, the one signer of the demo, CLI, tests and bench', () => {
  it('signs as the standardwebhooks package does, so the server is checked against the scheme, not against itself', async () => {
    const secret = newSecret();
    const body = webhookBody('any');
    const at = new Date('2026-11-26T10:00:00Z');
    const headers = signWebhook(secret, body, { id: 'msg_1', timestamp: at });
    expect(headers).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(at.getTime() / 1000),
      'webhook-signature': new Webhook(secret).sign('msg_1', at, body),
    });
    // And the package's own signature is accepted by the server.
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const signed = webhookBody(survey.id);
    const now = new Date();
    const res = await post(
      {
        'Content-Type': 'application/json',
        'webhook-id': 'msg_pkg',
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(TEST_SECRET).sign('msg_pkg', now, signed),
      },
      signed,
    );
    expect(res.status).toBe(200);
  });
});

describe('a signed webhook', () => {
  it('is accepted with 200 {status: "accepted"} and counted', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const res = await t.sendResponse(response(survey.id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'accepted' });
    expect((await readStats(t, survey.id)).responses).toBe(1);
  });

  it('is accepted when signed 4 minutes ago or 4 minutes ahead (inside the 5-minute tolerance)', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    for (const offset of [-4 * MINUTE_MS, 4 * MINUTE_MS]) {
      const body = webhookBody(survey.id);
      const res = await post(signedHeaders(body, TEST_SECRET, { timestamp: new Date(Date.now() + offset) }), body);
      expect(res.status, `offset ${offset} ms`).toBe(200);
      expect(await res.json()).toEqual({ status: 'accepted' });
    }
    expect((await readStats(t, survey.id)).responses).toBe(2);
  });

  it('is accepted when one of several v1 signatures in the header matches', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const body = webhookBody(survey.id);
    const headers = signedHeaders(body);
    const id = headers['webhook-id'] as string;
    const at = new Date(Number(headers['webhook-timestamp']) * 1000);
    const others = [newSecret(), newSecret()].map((secret) => signWebhook(secret, body, { id, timestamp: at })['webhook-signature']);
    // The matching one in the middle, between signatures by secrets this server does not know.
    headers['webhook-signature'] = [others[0], headers['webhook-signature'], others[1]].join(' ');
    const res = await post(headers, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted' });
  });
});

describe('a webhook with a bad signature is refused with 401 and counts nothing', () => {
  it('signed with the wrong secret', async () => {
    const surveyId = await surveyWithOneResponse();
    const res = await t.sendResponse(response(surveyId), { secret: newSecret() });
    await expectProblem(res, 401, 'invalid-signature', /No signature matches/);
    await expectStillOneResponse(surveyId);
  });

  it('with a body changed after signing', async () => {
    const surveyId = await surveyWithOneResponse();
    const body = webhookBody(surveyId);
    const tampered = body.replace('"areaId":"norr"', '"areaId":"soder"');
    expect(tampered).not.toBe(body);
    await expectProblem(await post(signedHeaders(body), tampered), 401, 'invalid-signature', /No signature matches/);
    await expectStillOneResponse(surveyId);
  });

  it('with several v1 signatures of which none matches', async () => {
    const surveyId = await surveyWithOneResponse();
    const body = webhookBody(surveyId);
    const headers = signedHeaders(body, newSecret());
    headers['webhook-signature'] = `${headers['webhook-signature']} ${signedHeaders(body, newSecret())['webhook-signature']}`;
    await expectProblem(await post(headers, body), 401, 'invalid-signature', /No signature matches/);
    await expectStillOneResponse(surveyId);
  });

  for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    it(`without the ${header} header, naming it`, async () => {
      const surveyId = await surveyWithOneResponse();
      const body = webhookBody(surveyId);
      const headers = signedHeaders(body);
      delete headers[header];
      const problem = await expectProblem(await post(headers, body), 401, 'invalid-signature', new RegExp(`Missing header: ${header}$`));
      expect(problem.instance).toBe(WEBHOOK);
      await expectStillOneResponse(surveyId);
    });
  }

  it('without any signature header, naming all three', async () => {
    const surveyId = await surveyWithOneResponse();
    const res = await post({ 'Content-Type': 'application/json' }, webhookBody(surveyId));
    await expectProblem(res, 401, 'invalid-signature', /Missing headers: webhook-id, webhook-timestamp, webhook-signature/);
    await expectStillOneResponse(surveyId);
  });

  it('signed 6 minutes ago (stale)', async () => {
    const surveyId = await surveyWithOneResponse();
    const body = webhookBody(surveyId);
    const res = await post(signedHeaders(body, TEST_SECRET, { timestamp: new Date(Date.now() - 6 * MINUTE_MS) }), body);
    await expectProblem(res, 401, 'invalid-signature', /timestamp too old.*tolerance is 5 minutes/);
    await expectStillOneResponse(surveyId);
  });

  it('signed 6 minutes in the future', async () => {
    const surveyId = await surveyWithOneResponse();
    const body = webhookBody(surveyId);
    const res = await post(signedHeaders(body, TEST_SECRET, { timestamp: new Date(Date.now() + 6 * MINUTE_MS) }), body);
    await expectProblem(res, 401, 'invalid-signature', /timestamp too new.*tolerance is 5 minutes/);
    await expectStillOneResponse(surveyId);
  });

  it('with a timestamp that is not a number', async () => {
    const surveyId = await surveyWithOneResponse();
    const body = webhookBody(surveyId);
    const res = await post({ ...signedHeaders(body), 'webhook-timestamp': 'yesterday' }, body);
    await expectProblem(res, 401, 'invalid-signature', /Invalid Signature Headers/);
    await expectStillOneResponse(surveyId);
  });
});

describe('secret rotation', () => {
  it('accepts webhooks signed with either of two configured secrets, and no other', async () => {
    const [oldSecret, newSecretValue] = [newSecret(), newSecret()];
    const rotating = await startTestApp({ store: 'redis', env: { WEBHOOK_SECRETS: `${oldSecret} ${newSecretValue}`, STATS_INTERVAL_MS: '10' } });
    try {
      const survey = sampleSurvey();
      await rotating.putSurvey(survey);
      for (const secret of [oldSecret, newSecretValue]) {
        const res = await rotating.sendResponse(response(survey.id), { secret });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'accepted' });
      }
      await expectProblem(await rotating.sendResponse(response(survey.id), { secret: TEST_SECRET }), 401, 'invalid-signature');
      expect((await readStats(rotating, survey.id)).responses).toBe(2);
    } finally {
      await rotating.close();
    }
  });
});

describe('without WEBHOOK_SECRETS', () => {
  it('refuses every webhook with 401 saying no secret is configured', async () => {
    const unconfigured = await startTestApp({ store: 'redis', env: { WEBHOOK_SECRETS: '' } });
    try {
      expect(unconfigured.config.webhookSecrets).toEqual([]);
      const survey = sampleSurvey();
      await unconfigured.putSurvey(survey);
      const res = await unconfigured.sendResponse(response(survey.id, { responseId: randomUUID() }));
      await expectProblem(res, 401, 'invalid-signature', /No WEBHOOK_SECRETS are configured/);
      expect((await readStats(unconfigured, survey.id)).responses).toBe(0);
    } finally {
      await unconfigured.close();
    }
  });
});
