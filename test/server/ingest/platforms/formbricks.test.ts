/**
 * POST /api/v1/webhooks/formbricks against a real server and Redis: Formbricks' three response
 * events in every order count a response once, partial events are remembered, the signed test
 * ping is answered, and hidden fields, variables and metadata map to area and channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyInput } from '../../../../shared/schemas.js';
import { sampleSurvey, startTestApp, type TestApp } from '../../../support/harness.js';
import { expectProblem, readStats, readTexts } from '../../http/http-assertions.js';
import { cuid, expectStatus, type FormbricksEvent, formbricksBody, formbricksResponse, listUnmatched, postFormbricks } from './platform-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

/** A survey fed by one Formbricks survey; its hidden field "area" carries the area. */
async function formbricksSurvey(source: Record<string, unknown> = {}): Promise<SurveyInput & { id: string; formbricksId: string }> {
  const formbricksId = cuid();
  const survey = { ...sampleSurvey(), sources: [{ platform: 'formbricks' as const, externalId: formbricksId, ...source }] };
  await t.putSurvey(survey);
  return { ...survey, formbricksId };
}

const ORDERS: FormbricksEvent[][] = [
  ['responseCreated', 'responseUpdated', 'responseFinished'],
  ['responseCreated', 'responseFinished', 'responseUpdated'],
  ['responseUpdated', 'responseCreated', 'responseFinished'],
  ['responseUpdated', 'responseFinished', 'responseCreated'],
  ['responseFinished', 'responseCreated', 'responseUpdated'],
  ['responseFinished', 'responseUpdated', 'responseCreated'],
];

/** One response's three events as Formbricks sends them: each carries the response as it is so far. */
function eventsOf(formbricksId: string) {
  const id = cuid();
  const createdAt = new Date(Date.now() - 120_000).toISOString();
  const at = (ms: number) => new Date(Date.parse(createdAt) + ms).toISOString();
  return {
    responseCreated: formbricksBody(
      'responseCreated',
      formbricksResponse(formbricksId, { id, createdAt, updatedAt: createdAt, data: { area: 'norr', q1: 5 } }),
    ),
    responseUpdated: formbricksBody(
      'responseUpdated',
      formbricksResponse(formbricksId, { id, createdAt, updatedAt: at(30_000), data: { area: 'norr', q1: 5, q2: 3 } }),
    ),
    responseFinished: formbricksBody(
      'responseFinished',
      formbricksResponse(formbricksId, {
        id,
        createdAt,
        updatedAt: at(60_000),
        finished: true,
        endingId: cuid(),
        data: { area: 'norr', q1: 5, q2: 3, comment: 'Bra' },
      }),
    ),
  };
}

describe('every order of the three events', () => {
  it('counts each response once, when it is finished (the default), with all its answers', async () => {
    const survey = await formbricksSurvey();
    for (const order of ORDERS) {
      const events = eventsOf(survey.formbricksId);
      const statuses: string[] = [];
      for (const event of order) {
        const res = await postFormbricks(t, events[event]);
        expect(res.status).toBe(200);
        statuses.push(((await res.json()) as { status: string }).status);
      }
      const finishedAt = order.indexOf('responseFinished');
      expect(statuses, order.join(' -> ')).toEqual(order.map((_, i) => (i < finishedAt ? 'ignored' : i === finishedAt ? 'accepted' : 'duplicate')));
    }
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(6);
    expect(stats.areas.find((area) => area.id === 'norr')?.responses).toBe(6);
    // q1 = 5 and q2 = 3 on 1..5: (100 + 50) / 2 = 75 for every response.
    expect(stats.indexes.safety).toEqual({ value: 75, n: 6 });
    expect((await readTexts(t, survey.id)).map((text) => text.text)).toEqual(Array(6).fill('Bra'));
  });

  it('counts each response once, at its first event, when the source says countWhen: "created"', async () => {
    const survey = await formbricksSurvey({ countWhen: 'created' });
    for (const order of ORDERS) {
      const events = eventsOf(survey.formbricksId);
      const statuses: string[] = [];
      for (const event of order) statuses.push(((await (await postFormbricks(t, events[event])).json()) as { status: string }).status);
      expect(statuses, order.join(' -> ')).toEqual(['accepted', 'duplicate', 'duplicate']);
    }
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(6);
    expect(stats.indexes.safety?.n).toBe(6);
  });

  it('counts a response once when its events arrive all at once', async () => {
    const survey = await formbricksSurvey();
    const events = eventsOf(survey.formbricksId);
    const answers = await Promise.all(ORDERS[0]!.map((event) => postFormbricks(t, events[event])));
    const statuses = await Promise.all(answers.map(async (res) => ((await res.json()) as { status: string }).status));
    expect(statuses.filter((status) => status === 'accepted')).toHaveLength(1);
    expect((await readStats(t, survey.id)).responses).toBe(1);
  });
});

describe('remembered partial responses', () => {
  it('counts a response with a value outside its index scale, leaving that value out of the index', async () => {
    const survey = await formbricksSurvey({ countWhen: 'created' });
    const response = formbricksResponse(survey.formbricksId, { data: { area: 'norr', q1: 0, q2: 5, comment: 'Noll?' } });
    await expectStatus(await postFormbricks(t, formbricksBody('responseCreated', response)), 200, { status: 'accepted' });
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(1);
    // q1 = 0 is outside [1, 5] and left out; q2 = 5 alone makes the index.
    expect(stats.indexes.safety).toEqual({ value: 100, n: 1 });
  });

  it('redacts free text in an event that does not count yet before remembering it', async () => {
    const survey = await formbricksSurvey();
    const id = cuid();
    const created = formbricksResponse(survey.formbricksId, { id, data: { area: 'norr', comment: 'Maila anna.svensson@example.com' } });
    await expectStatus(await postFormbricks(t, formbricksBody('responseCreated', created)), 200, { status: 'ignored' });
    const kept = await t.store.getPending(survey.id, id);
    expect(kept?.answers.find((answer) => answer.questionId === 'comment')?.text).toBe('Maila [e-post]');
  });

  it("spares the survey's own area names when it redacts, in remembered and counted text alike", async () => {
    // An area named after a person: without the survey's area names, the redaction would take it for a name.
    const survey = await formbricksSurvey();
    await t.putSurvey({ ...survey, areas: [...(survey.areas ?? []), { id: 'lina', name: 'Lina Ekström', distributed: 20 }] });
    const id = cuid();
    const comment = 'Vi på Lina Ekström trivs, ring 070-123 45 67';
    const created = formbricksResponse(survey.formbricksId, { id, data: { area: 'lina', comment } });
    await expectStatus(await postFormbricks(t, formbricksBody('responseCreated', created)), 200, { status: 'ignored' });
    const redacted = 'Vi på Lina Ekström trivs, ring [telefonnummer]';
    expect((await t.store.getPending(survey.id, id))?.answers.find((answer) => answer.questionId === 'comment')?.text).toBe(redacted);
    const finished = formbricksResponse(survey.formbricksId, { id, finished: true, data: { area: 'lina', q1: 4, comment } });
    await expectStatus(await postFormbricks(t, formbricksBody('responseFinished', finished)), 200, { status: 'accepted' });
    expect((await t.store.latestTexts(survey.id, 10)).map((text) => text.text)).toEqual([redacted]);
  });

  it('answers an event that does not count yet with 200 "ignored", and merges its answers when the response counts', async () => {
    const survey = await formbricksSurvey({ areaFrom: 'omrade', channelFrom: 'kanal' });
    const id = cuid();
    // The hidden fields and the first answer arrive only with the created event.
    await expectStatus(
      await postFormbricks(
        t,
        formbricksBody('responseCreated', formbricksResponse(survey.formbricksId, { id, data: { omrade: 'Södra området', kanal: 'Dörr', q1: 1 } })),
      ),
      200,
      { status: 'ignored' },
    );
    await expectStatus(await postFormbricks(t, formbricksBody('responseUpdated', formbricksResponse(survey.formbricksId, { id, data: { q2: 2 } }))), 200, {
      status: 'ignored',
    });
    expect((await readStats(t, survey.id)).responses).toBe(0);
    await expectStatus(
      await postFormbricks(
        t,
        formbricksBody('responseFinished', formbricksResponse(survey.formbricksId, { id, finished: true, data: { comment: 'Ring 070-123 45 67' } })),
      ),
      200,
      { status: 'accepted' },
    );
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(1);
    // "Södra området" is the name of area "soder"; "Dörr" becomes the channel "dorr".
    expect(stats.areas.find((area) => area.id === 'soder')?.responses).toBe(1);
    expect(stats.channels).toEqual({ dorr: 1 });
    // q1 = 1, q2 = 2 on 1..5: (0 + 25) / 2.
    expect(stats.indexes.safety).toEqual({ value: 13, n: 1 });
    expect((await readTexts(t, survey.id)).map((text) => text.text)).toEqual(['Ring [telefonnummer]']);
  });

  it('reads the area from a variable and the channel from metadata, and times the response by its submission', async () => {
    const survey = await formbricksSurvey({ areaFrom: 'areaVariable', channelFrom: 'meta.source' });
    const updatedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const body = formbricksBody(
      'responseFinished',
      formbricksResponse(survey.formbricksId, { finished: true, updatedAt, variables: { areaVariable: 'norr', score: 3 }, data: { q1: 4 } }),
    );
    await expectStatus(await postFormbricks(t, body), 200, { status: 'accepted' });
    const stats = await readStats(t, survey.id);
    expect(stats.areas.find((area) => area.id === 'norr')?.responses).toBe(1);
    expect(stats.channels).toEqual({ link: 1 });
    const hour = new Date(Math.floor(Date.parse(updatedAt) / 3_600_000) * 3_600_000).toISOString();
    expect(stats.timeline).toEqual([{ t: hour, responses: 1 }]);
  });
});

describe('the test ping and refusals', () => {
  it('answers the signed testEndpoint ping with 200, and refuses it unsigned or signed with another secret', async () => {
    await expectStatus(await postFormbricks(t, { event: 'testEndpoint' }), 200, { status: 'ok' });
    await expectProblem(await postFormbricks(t, { event: 'testEndpoint' }, { secret: null }), 401, 'invalid-signature', /webhook-signature/);
    await expectProblem(await postFormbricks(t, { event: 'testEndpoint' }, { secret: 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==' }), 401, 'invalid-signature');
  });

  it('refuses a response event unsigned, and counts nothing', async () => {
    const survey = await formbricksSurvey();
    const { responseFinished } = eventsOf(survey.formbricksId);
    await expectProblem(await postFormbricks(t, responseFinished, { secret: null }), 401, 'invalid-signature');
    expect((await readStats(t, survey.id)).responses).toBe(0);
  });

  it('answers 200 "ignored" to an event it has no use for, and 400 to a response that is not one', async () => {
    await expectStatus(await postFormbricks(t, formbricksBody('surveyClosed', { id: cuid() })), 200, { status: 'ignored' });
    await expectProblem(await postFormbricks(t, formbricksBody('responseFinished', { finished: true, data: {} })), 400, 'invalid-body', /data\.id/);
    await expectProblem(await postFormbricks(t, { data: {} }), 400, 'invalid-body', /event/);
  });
});

describe('a Formbricks survey no survey names yet', () => {
  it('is kept unmatched with its remembered answers, and counted on replay once a survey names it', async () => {
    const formbricksId = cuid();
    const id = cuid();
    await expectStatus(
      await postFormbricks(t, formbricksBody('responseCreated', formbricksResponse(formbricksId, { id, data: { area: 'norr', q1: 5 } }))),
      200,
      {
        status: 'ignored',
      },
    );
    await expectStatus(
      await postFormbricks(t, formbricksBody('responseFinished', formbricksResponse(formbricksId, { id, finished: true, data: { q2: 5 } }))),
      202,
      { status: 'unmatched' },
    );
    const kept = (await listUnmatched(t)).find((response) => response.data.responseId === id);
    expect(kept?.data).toMatchObject({ surveyId: `formbricks.${formbricksId}`, areaId: 'norr' });

    const survey = { ...sampleSurvey(), sources: [{ platform: 'formbricks' as const, externalId: formbricksId }] };
    await t.putSurvey(survey);
    const replay = await t.admin('POST', '/api/v1/unmatched/replay');
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { replayed: number }).replayed).toBeGreaterThanOrEqual(1);
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(1);
    expect(stats.areas.find((area) => area.id === 'norr')?.responses).toBe(1);
    expect(stats.indexes.safety).toEqual({ value: 100, n: 1 });
    expect((await listUnmatched(t)).some((response) => response.data.responseId === id)).toBe(false);
  });
});

describe('hidden fields named like Object properties', () => {
  it('reads a hidden field called toString as data, and ignores a constructor field that is not there', async () => {
    const survey = await formbricksSurvey({ areaFrom: 'toString', channelFrom: 'constructor', countWhen: 'created' });
    const body = formbricksBody(
      'responseCreated',
      formbricksResponse(survey.formbricksId, { id: cuid(), data: { toString: 'soder', hasOwnProperty: 'x', q1: 5 }, finished: true }),
    );
    const res = await postFormbricks(t, body);
    expect(res.status, await res.clone().text()).toBe(200);
    const stats = await readStats(t, survey.id);
    expect(stats.areas.map((area) => [area.id, area.responses])).toEqual([
      ['norr', 0],
      ['soder', 1],
    ]);
    expect(stats.channels).toEqual({ unknown: 1 });
  });
});
