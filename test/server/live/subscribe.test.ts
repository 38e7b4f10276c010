/** `survey:subscribe` and `survey:unsubscribe` on /live: snapshots, live stats and who may subscribe to what. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadTokens } from '../../../server/auth/read-tokens.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { barrier, connected, type LiveClient, nextStats, nextText, record, refused, sleep, subscribe, subscribeOk } from './live-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

/** A survey of its own with a stats token (and a stats+text token) for it. */
async function newSurvey() {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const statsToken = (await t.app.tokens.mint(survey.id, ['stats'], 600)).token;
  const textToken = (await t.app.tokens.mint(survey.id, ['stats', 'text'], 600)).token;
  return { survey, statsToken, textToken };
}

async function send(...responses: ReturnType<typeof response>[]) {
  for (const r of responses) {
    const res = await t.sendResponse(r);
    expect(res.status).toBe(200);
  }
}

async function liveClient(auth?: { token?: string }): Promise<LiveClient> {
  const socket = t.connectLive(auth);
  await connected(socket);
  return socket;
}

describe('subscribe with a stats token', () => {
  it('acks with the current snapshot, then pushes the new count after a webhook', async () => {
    const { survey, statsToken } = await newSurvey();
    await send(
      response(survey.id, { areaId: 'norr', channel: 'door' }),
      response(survey.id, { areaId: 'norr', channel: 'door' }),
      response(survey.id, { areaId: 'norr', channel: 'phone' }),
      response(survey.id, { areaId: 'soder', channel: 'door' }),
    );
    const socket = await liveClient();

    const { snapshot } = await subscribeOk(socket, { surveyId: survey.id, token: statsToken });
    expect(snapshot).toMatchObject({ surveyId: survey.id, name: survey.name, target: 0.6, distributed: 150, responses: 4, channels: { door: 3, phone: 1 } });
    expect(snapshot.responseRate).toBeCloseTo(4 / 150, 10);
    expect(snapshot.areas.map(({ id, responses, responseRate }) => ({ id, responses, responseRate }))).toEqual([
      { id: 'norr', responses: 3, responseRate: 0.03 },
      { id: 'soder', responses: 1, responseRate: 0.02 },
    ]);

    const pushed = nextStats(socket, survey.id, (s) => s.responses === 5);
    await send(response(survey.id, { areaId: 'soder' }));
    const stats = await pushed;
    expect(stats.areas.find((a) => a.id === 'soder')?.responses).toBe(2);
    expect(stats.responseRate).toBeCloseTo(5 / 150, 10);
  });

  it('stops pushing stats after survey:unsubscribe', async () => {
    const { survey, statsToken } = await newSurvey();
    const leaving = await liveClient();
    const staying = await liveClient();
    await subscribeOk(leaving, { surveyId: survey.id, token: statsToken });
    await subscribeOk(staying, { surveyId: survey.id, token: statsToken });

    // Both still get the first push: the subscription works before it is dropped.
    const bothGetIt = [nextStats(leaving, survey.id, (s) => s.responses === 1), nextStats(staying, survey.id, (s) => s.responses === 1)];
    await send(response(survey.id));
    await Promise.all(bothGetIt);

    leaving.emit('survey:unsubscribe', { surveyId: survey.id });
    await barrier(leaving);
    const afterLeaving = record(leaving, 'survey:stats');
    const stayingGetsIt = nextStats(staying, survey.id, (s) => s.responses === 2);
    await send(response(survey.id));
    await stayingGetsIt;
    // Both sockets would be sent the same emit together; a little slack covers delivery order.
    await sleep(150);
    expect(afterLeaving).toEqual([]);
  });
});

describe('tokens over the socket', () => {
  let survey: ReturnType<typeof sampleSurvey>;
  let statsToken: string;
  let textToken: string;
  let socket: LiveClient;
  beforeAll(async () => {
    ({ survey, statsToken, textToken } = await newSurvey());
    socket = await liveClient();
  });

  it('refuses a subscription without a token as unauthorized', async () => {
    const ack = await subscribe(socket, { surveyId: survey.id });
    expect(ack).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses garbage, foreign-signed and expired tokens as unauthorized', async () => {
    const foreign = (await new ReadTokens('y'.repeat(40)).mint(survey.id, ['stats'], 600)).token;
    const expired = (await t.app.tokens.mint(survey.id, ['stats'], -60)).token;
    for (const token of ['not-a-jwt', foreign, expired, `${statsToken.slice(0, -4)}AAAA`]) {
      const ack = await subscribe(socket, { surveyId: survey.id, token });
      expect(ack, token).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('refuses a token for another survey as forbidden', async () => {
    const other = await newSurvey();
    const ack = await subscribe(socket, { surveyId: survey.id, token: other.statsToken });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses texts to a stats-only token, and no text:created reaches that socket', async () => {
    const { survey, statsToken, textToken } = await newSurvey();
    const refusedTexts = await liveClient();
    await subscribeOk(refusedTexts, { surveyId: survey.id, token: statsToken });
    const ack = await subscribe(refusedTexts, { surveyId: survey.id, token: statsToken, texts: true });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const textsSeen = record(refusedTexts, 'text:created');

    const reader = await liveClient();
    await subscribeOk(reader, { surveyId: survey.id, token: textToken, texts: true });
    const readerGetsText = nextText(reader, (text) => text.surveyId === survey.id);
    // The refused socket keeps its stats subscription: it gets the count, but not the text.
    const refusedGetsStats = nextStats(refusedTexts, survey.id, (s) => s.responses === 1);
    await send(response(survey.id, { answers: [{ questionId: 'comment', text: 'Trapphuset är smutsigt' }] }));
    expect((await readerGetsText).text).toBe('Trapphuset är smutsigt');
    await refusedGetsStats;
    await sleep(150);
    expect(textsSeen).toEqual([]);
  });

  it('answers not_found for a survey that is not defined, even with a valid token for it', async () => {
    const token = (await t.app.tokens.mint('no-such-survey', ['stats'], 600)).token;
    const ack = await subscribe(socket, { surveyId: 'no-such-survey', token });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('answers bad_request for a malformed request', async () => {
    for (const request of [
      { surveyId: 'has spaces in it', token: statsToken },
      { surveyId: survey.id, token: statsToken, texts: 'yes' },
      { token: statsToken },
    ]) {
      // Deliberately off-contract requests, as a broken or hostile client could send.
      const ack = await subscribe(socket, request as never);
      expect(ack, JSON.stringify(request)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
  });

  it('falls back to the handshake auth.token when the subscription has none', async () => {
    const withHandshakeToken = await liveClient({ token: textToken });
    const { snapshot, texts } = await subscribeOk(withHandshakeToken, { surveyId: survey.id, texts: true });
    expect(snapshot.surveyId).toBe(survey.id);
    expect(texts).toEqual([]);
    // The subscription's own token wins over the handshake's.
    const ack = await subscribe(withHandshakeToken, { surveyId: survey.id, token: 'not-a-jwt' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a handshake whose auth.token is not a string', async () => {
    const error = await refused(t.connectLive({ token: 42 as never }));
    expect(error.message).toMatch(/^unauthorized/);
  });

  it('serves two surveys on one connection, each with its own token', async () => {
    const first = await newSurvey();
    const second = await newSurvey();
    const both = await liveClient();
    await subscribeOk(both, { surveyId: first.survey.id, token: first.statsToken });
    await subscribeOk(both, { surveyId: second.survey.id, token: second.statsToken });

    const firstStats = nextStats(both, first.survey.id, (s) => s.responses === 1);
    const secondStats = nextStats(both, second.survey.id, (s) => s.responses === 2);
    await send(response(first.survey.id), response(second.survey.id), response(second.survey.id));
    expect((await firstStats).responses).toBe(1);
    expect((await secondStats).responses).toBe(2);
  });
});
