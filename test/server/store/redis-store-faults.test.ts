/**
 * What the Redis store does when Redis is not there: against a private redis-server this file
 * kills and restarts, never the shared one. It runs with AOF and `appendfsync always`, so a
 * response acknowledged with 200 must survive a SIGKILL of Redis.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../../server/ingest/webhook-handler.js';
import { RedisStore } from '../../../server/store/redis-store.js';
import { StoreUnavailableError } from '../../../server/store/response-store.js';
import { surveySchema } from '../../../shared/schemas.js';
import { eventually, response, sampleSurvey, signedHeaders, startTestApp, type TestApp, testPrefix } from '../../support/harness.js';
import { freePort, type PrivateRedis, startPrivateRedis } from '../../support/redis-server.js';

describe('RedisStore.connect', () => {
  it('rejects with StoreUnavailableError (rather than retrying for ever) when nothing listens at the URL', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const error = await RedisStore.connect({ url, prefix: testPrefix() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });
});

describe('a running app when Redis crashes and comes back', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  const prefix = testPrefix();

  beforeAll(async () => {
    redis = await startPrivateRedis({ appendOnly: true });
    t = await startTestApp({ store: 'redis', redis: redis.url, prefix });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  /** One webhook delivery; `send()` repeats it byte for byte, as a sender's retry would. */
  const delivery = (body: string) => {
    const headers = signedHeaders(body);
    return { send: () => fetch(`${t.url}${WEBHOOK_PATH}`, { method: 'POST', headers, body }) };
  };
  const readiness = async () => (await fetch(`${t.url}/readyz`)).status;

  it('answers 503 while Redis is down, then counts the retried response exactly once, and keeps what it acknowledged', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const acknowledged = await t.sendResponse(response(survey.id));
    expect(acknowledged.status).toBe(200);
    expect(await acknowledged.json()).toEqual({ status: 'accepted' });
    expect(await readiness()).toBe(200);

    // A change written without the pub/sub message, as if published while the app's subscriber
    // was away: only the reload on reconnect can bring it into the app's survey cache.
    const direct = createClient({ url: redis.url });
    direct.on('error', () => {});
    await direct.connect();
    const renamed = surveySchema.parse({ ...survey, name: 'Renamed while the subscriber was away' });
    await direct.hSet(`${prefix}surveys`, survey.id, JSON.stringify(renamed));
    await direct.quit();
    expect((await t.store.getSurvey(survey.id))?.name).toBe(survey.name);

    await redis.kill();

    const retried = delivery(JSON.stringify({ type: 'response.created', timestamp: new Date().toISOString(), data: response(survey.id) }));
    const refused = await retried.send();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ type: 'urn:survey-live:problem:store-unavailable', status: 503 });
    expect(await readiness()).toBe(503);

    await redis.start();
    await eventually(async () => (await readiness()) === 200, '/readyz to recover after Redis restarts', 10_000);
    await eventually(async () => (await t.store.getSurvey(survey.id))?.name === renamed.name, 'the survey cache to reload', 10_000);

    // The acknowledged response outlived the crash (AOF, fsync on every write).
    expect((await t.store.getCounts(survey.id)).responses).toBe(1);

    const accepted = await retried.send();
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ status: 'accepted' });
    const again = await retried.send();
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });

    // Read back through a connection of its own, not the app's cache.
    const reader = await RedisStore.connect({ url: redis.url, prefix });
    try {
      const counts = await reader.getCounts(survey.id);
      expect(counts.responses).toBe(2);
      expect(counts.byArea).toEqual(new Map([['norr', 2]]));
    } finally {
      await reader.close();
    }
  });

  it('hears survey changes from another instance again after the restart (the subscriber resubscribed)', async () => {
    const heard: string[] = [];
    t.store.onSurveyChange((surveyId) => heard.push(surveyId));
    const other = await RedisStore.connect({ url: redis.url, prefix });
    try {
      const survey = sampleSurvey();
      await other.putSurvey(surveySchema.parse(survey));
      await eventually(() => heard.includes(survey.id), 'the app to hear the other instance put a survey');
      expect((await t.store.getSurvey(survey.id))?.id).toBe(survey.id);

      const sent = await t.sendResponse(response(survey.id));
      expect(sent.status).toBe(200);
      expect(await sent.json()).toEqual({ status: 'accepted' });
    } finally {
      await other.close();
    }
  });
});
