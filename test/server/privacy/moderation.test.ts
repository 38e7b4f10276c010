/** TEXT_MODERATION=hold, deleting shown answers, GDPR erasure and retention, against real Redis and a real socket. */

import { pino } from 'pino';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextAdmin } from '../../../server/privacy/text-admin.js';
import { surveyKey } from '../../../server/store/redis-store.js';
import type { TextAnswer } from '../../../shared/schemas.js';
import { eventually, redisUrl, response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, subscribeOk } from '../live/live-helpers.js';

async function watchTexts(t: TestApp, surveyId: string) {
  const { token } = await t.app.tokens.mint(surveyId, ['stats', 'text'], 600);
  const socket = t.connectLive();
  await connected(socket);
  const first = await subscribeOk(socket, { surveyId, token, texts: true });
  const created: TextAnswer[] = [];
  const removed: string[] = [];
  socket.on('text:created', (text) => created.push(text));
  socket.on('text:removed', ({ id }) => removed.push(id));
  const rest = async () => {
    const res = await fetch(`${t.url}/api/v1/surveys/${surveyId}/texts`, { headers: { Authorization: `Bearer ${token}` } });
    return ((await res.json()) as { texts: TextAnswer[] }).texts;
  };
  return { first, created, removed, rest };
}

describe('moderation (TEXT_MODERATION=hold)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ store: 'redis', env: { TEXT_MODERATION: 'hold' } });
  });
  afterAll(() => t.close());

  it('holds new answers until approved; rejected ones are never shown; deleting a shown one removes it from every feed', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const feed = await watchTexts(t, survey.id);
    const stats: number[] = [];

    for (const text of ['Bra service', 'Dålig städning', 'Trevliga grannar']) {
      expect((await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text }] }))).status).toBe(200);
    }
    const pendingRes = await t.admin('GET', `/api/v1/surveys/${survey.id}/texts/pending`);
    expect(pendingRes.status).toBe(200);
    const pending = ((await pendingRes.json()) as { texts: (TextAnswer & { status: string })[] }).texts;
    expect(pending.map((text) => text.text).sort()).toEqual(['Bra service', 'Dålig städning', 'Trevliga grannar']);
    for (const text of pending) {
      expect(text).not.toHaveProperty('responseId');
      expect(text.status).toBe('pending');
    }
    expect(await feed.rest()).toEqual([]);
    expect(feed.created).toEqual([]);

    const byText = (words: string) => pending.find((text) => text.text === words)!.id;
    expect((await t.admin('POST', `/api/v1/texts/${byText('Bra service')}/approve`)).status).toBe(200);
    expect((await t.admin('POST', `/api/v1/texts/${byText('Dålig städning')}/reject`)).status).toBe(200);
    await eventually(() => feed.created.length === 1, 'the approved answer pushed');
    expect(feed.created[0]?.text).toBe('Bra service');
    expect((await feed.rest()).map((text) => text.text)).toEqual(['Bra service']);
    const stillPending = ((await (await t.admin('GET', `/api/v1/surveys/${survey.id}/texts/pending`)).json()) as { texts: TextAnswer[] }).texts;
    expect(stillPending.map((text) => text.text)).toEqual(['Trevliga grannar']);

    // The rejected answer was never shown, so no feed hears of it; the shown one is taken down live.
    expect(feed.removed).toEqual([]);
    expect((await t.admin('DELETE', `/api/v1/texts/${byText('Bra service')}`)).status).toBe(204);
    await eventually(() => feed.removed.length === 1, 'text:removed');
    expect(feed.removed).toEqual([byText('Bra service')]);
    expect(await feed.rest()).toEqual([]);
    // Counts are untouched by moderation.
    const snapshot = await (
      await fetch(`${t.url}/api/v1/surveys/${survey.id}/stats`, {
        headers: { Authorization: `Bearer ${(await t.app.tokens.mint(survey.id, ['stats'], 60)).token}` },
      })
    ).json();
    expect(snapshot.responses).toBe(3);
    void stats;
  });

  it('answers unknown, malformed and unauthenticated moderation requests with problems', async () => {
    const unknown = '3b241101-e2bb-4255-8caf-4136c566a962';
    const notFound = await t.admin('POST', `/api/v1/texts/${unknown}/approve`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await t.admin('POST', '/api/v1/texts/not-a-uuid/reject')).status).toBe(400);
    expect((await fetch(`${t.url}/api/v1/texts/${unknown}/approve`, { method: 'POST' })).status).toBe(401);
    expect((await t.admin('GET', '/api/v1/surveys/no-such-survey/texts/pending')).status).toBe(404);
  });
});

describe('erasure and retention', () => {
  let t: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({ store: 'redis', logLines });
  });
  afterAll(() => t.close());

  it("erases one response's free text everywhere, live, logging the response id but never the text", async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const feed = await watchTexts(t, survey.id);
    const target = response(survey.id, { answers: [{ questionId: 'comment', text: 'Hemlig åsikt om grannen' }] });
    const other = response(survey.id, { answers: [{ questionId: 'comment', text: 'Allt är bra' }] });
    for (const r of [target, other]) expect((await t.sendResponse(r)).status).toBe(200);
    await eventually(() => feed.created.length === 2, 'both texts shown');

    const erase = await t.admin('DELETE', `/api/v1/surveys/${survey.id}/responses/${target.responseId}`);
    expect(erase.status).toBe(200);
    expect(await erase.json()).toEqual({ removedTexts: 1, removedUnmatched: false });
    await eventually(() => feed.removed.length === 1, 'text:removed');
    const erasedId = feed.created.find((text) => text.text === 'Hemlig åsikt om grannen')!.id;
    expect(feed.removed).toEqual([erasedId]);
    expect((await feed.rest()).map((text) => text.text)).toEqual(['Allt är bra']);

    const erasureLog = logLines.find((line) => line.includes("erased a response's free text"));
    expect(erasureLog).toContain(target.responseId);
    expect(logLines.join('\n')).not.toContain('Hemlig åsikt');
    // Counts stay: erasure removes words, not the fact that a tenant answered.
    expect((await t.store.getCounts(survey.id)).responses).toBe(2);
  });

  it('erases a kept unmatched response too', async () => {
    const data = response('not-defined-yet', { answers: [{ questionId: 'comment', text: 'hej' }] });
    expect((await t.sendResponse(data)).status).toBe(202);
    const erase = await t.admin('DELETE', `/api/v1/surveys/not-defined-yet/responses/${data.responseId}`);
    expect(await erase.json()).toEqual({ removedTexts: 0, removedUnmatched: true });
    const unmatched = (await (await t.admin('GET', '/api/v1/unmatched')).json()) as { responses: { data: { responseId: string } }[] };
    expect(unmatched.responses.some((kept) => kept.data.responseId === data.responseId)).toBe(false);
  });

  it('drops free text past TEXT_RETENTION_DAYS (sweep and Redis TTL) while counts stay', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const feed = await watchTexts(t, survey.id);
    expect((await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'gammalt svar' }] }))).status).toBe(200);
    await eventually(() => feed.created.length === 1, 'text shown');

    // The list expires in Redis on its own, TEXT_RETENTION_DAYS (default 90) after its newest answer.
    const client = createClient({ url: redisUrl() });
    await client.connect();
    const ttl = await client.pTTL(surveyKey((t.store as unknown as { prefix: string }).prefix, survey.id, 'texts'));
    await client.quit();
    expect(ttl).toBeGreaterThan(89 * 86_400_000);
    expect(ttl).toBeLessThanOrEqual(90 * 86_400_000);

    // And the sweep drops answers older than that, wherever they are, telling feeds.
    const sweeper = new TextAdmin(t.store, t.app.live.textFeed, pino({ level: 'silent' }), 90 * 86_400_000);
    expect(await sweeper.sweepExpired(Date.now() + 89 * 86_400_000)).toBe(0);
    expect(await sweeper.sweepExpired(Date.now() + 91 * 86_400_000)).toBeGreaterThanOrEqual(1);
    await eventually(() => feed.removed.length === 1, 'text:removed after retention');
    expect(await feed.rest()).toEqual([]);
    expect((await t.store.getCounts(survey.id)).responses).toBe(1);
  });
});
