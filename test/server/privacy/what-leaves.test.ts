/**
 * A run with hostile inputs, inspecting everything a subscribed widget receives (acks, events,
 * REST reads) and every log line: no respondent identifier, no unredacted personal data,
 * no raw webhook body, no field beyond the documented ones.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, postSigned, response, sampleSurvey, signedHeaders, startTestApp, type TestApp } from '../../support/harness.js';
import { connected, subscribeOk } from '../live/live-helpers.js';

const SECRET_WORDS = ['anna.svensson@example.com', '070-123 45 67', '0701234567', '811218-9876', 'Storgatan 12', '+46 70 765 43 21'];
const TEXT_KEYS = ['areaId', 'id', 'questionId', 'receivedAt', 'surveyId', 'text'];

let t: TestApp;
const logLines: string[] = [];
beforeAll(async () => {
  // The defaults a deployment runs with, with the delay shortened so the test sees texts released.
  t = await startTestApp({ store: 'redis', logLines, env: { TEXT_DELAY_S: '1', MIN_GROUP_SIZE: '5' } });
});
afterAll(() => t.close());

it('sends widgets and logs nothing that identifies a respondent, whatever senders send', async () => {
  const survey = sampleSurvey();
  await t.putSurvey(survey);
  const { token } = await t.app.tokens.mint(survey.id, ['stats', 'text'], 600);
  const statsOnly = (await t.app.tokens.mint(survey.id, ['stats'], 600)).token;

  const received: unknown[] = [];
  const reader = t.connectLive();
  const counter = t.connectLive();
  await Promise.all([connected(reader), connected(counter)]);
  reader.onAny((event, ...args) => received.push({ event, args }));
  counter.onAny((event, ...args) => received.push({ event, args }));
  received.push(await subscribeOk(reader, { surveyId: survey.id, token, texts: true }));
  received.push(await subscribeOk(counter, { surveyId: survey.id, token: statsOnly }));

  // Respondent identifiers that are personal data themselves, and texts full of it.
  const hostileIds = [`anna.svensson@example.com`, `tel-0701234567-${randomUUID()}`, `811218-9876-${randomUUID()}`];
  const texts = [
    'Ring mig på 070-123 45 67 eller maila anna.svensson@example.com',
    'Mitt personnummer är 811218-9876, jag bor på Storgatan 12',
    '<img src=x onerror=alert(1)> +46 70 765 43 21',
  ];
  for (const [i, responseId] of hostileIds.entries()) {
    const res = await t.sendResponse(
      response(survey.id, {
        responseId,
        // A channel a sender made up from a tenant's phone number: counted as "other".
        channel: i === 1 ? 'tel-0701234567' : 'door',
        areaId: i === 2 ? 'soder' : 'norr',
        answers: [
          { questionId: 'q1', value: 2 },
          { questionId: 'comment', text: texts[i]! },
        ],
      }),
    );
    expect(res.status).toBe(200);
  }
  // Unmatched, malformed and unsigned bodies carrying personal data.
  expect(
    (await t.sendResponse(response('undefined-survey', { responseId: 'anna.svensson@example.com', answers: [{ questionId: 'comment', text: texts[0]! }] })))
      .status,
  ).toBe(202);
  const malformed = `{"type":"response.created","data":{"responseId":"anna.svensson@example.com","text":"070-123 45 67"`;
  expect((await fetch(`${t.url}/api/v1/webhooks/responses`, { method: 'POST', headers: signedHeaders(malformed), body: malformed })).status).toBe(400);
  expect(
    (
      await postSigned(t.url, {
        type: 'response.created',
        timestamp: new Date().toISOString(),
        data: { responseId: '811218-9876', surveyId: survey.id, answers: 'Storgatan 12' },
      })
    ).status,
  ).toBe(400);
  expect(
    (await fetch(`${t.url}/api/v1/webhooks/responses`, { method: 'POST', body: JSON.stringify({ data: { responseId: 'anna.svensson@example.com' } }) })).status,
  ).toBe(401);

  await eventually(() => received.filter((m) => (m as { event?: string }).event === 'text:created').length === 3, 'three released texts', 6000);
  const restTexts = await (await fetch(`${t.url}/api/v1/surveys/${survey.id}/texts`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const restStats = await (await fetch(`${t.url}/api/v1/surveys/${survey.id}/stats`, { headers: { Authorization: `Bearer ${token}` } })).json();
  received.push(restTexts, restStats);

  const everything = JSON.stringify(received);
  for (const id of hostileIds) expect(everything).not.toContain(id);
  for (const words of SECRET_WORDS) expect(everything).not.toContain(words);
  expect(everything).not.toContain('responseId');
  expect(everything).toContain('[telefonnummer]');
  expect(everything).toContain('[personnummer]');

  // Every text has exactly the documented fields; the area with fewer than 5 responses is not named.
  const pushedTexts = received
    .filter((m) => (m as { event?: string }).event === 'text:created')
    .map((m) => (m as { args: Record<string, unknown>[] }).args[0]!);
  for (const text of [...pushedTexts, ...restTexts.texts]) {
    expect(Object.keys(text).every((key) => TEXT_KEYS.includes(key))).toBe(true);
    expect(text.areaId).toBeUndefined();
  }
  // Only the reader with the text scope got texts.
  expect(received.filter((m) => (m as { event?: string }).event === 'text:created')).toHaveLength(3);
  // Small areas show counts but no index values.
  expect(restStats.areas.find((area: { id: string }) => area.id === 'soder').indexes.safety.value).toBeNull();

  // The log was captured (one line per request at least), so its emptiness of personal data means something.
  expect(logLines.length).toBeGreaterThan(8);
  const logs = logLines.join('\n');
  for (const id of hostileIds) expect(logs).not.toContain(id);
  for (const words of SECRET_WORDS) expect(logs).not.toContain(words);
  expect(logs).not.toContain('onerror');
});
