/**
 * Reminder rounds over HTTP: admins add (201, a server id) and delete (204, 404) them; bad input
 * is a 400 problem with nothing kept; read tokens list them oldest first with the responses of
 * the 48 hours before and after, over the areas each names; an area-scoped token sees only the
 * rounds of its areas, counted over its areas; every change is in the audit log.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../server/store/admin-records.js';
import { MAX_EVENTS_PER_SURVEY } from '../../../server/store/survey-events.js';
import { HOUR_MS } from '../../../shared/constants.js';
import type { SurveyEvent, SurveyEventWithEffect } from '../../../shared/schemas.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem } from './http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

const iso = (ms: number) => new Date(ms).toISOString();

async function listEvents(surveyId: string, token: string): Promise<SurveyEventWithEffect[]> {
  const res = await fetch(`${t.url}/api/v1/surveys/${surveyId}/events`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { events: SurveyEventWithEffect[] }).events;
}

async function addEvent(surveyId: string, body: unknown): Promise<SurveyEvent> {
  const res = await t.admin('POST', `/api/v1/surveys/${surveyId}/events`, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as SurveyEvent;
}

describe('adding and deleting', () => {
  it('adds a round with a server-made id, lists it, deletes it once, and audits both', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const res = await t.admin('POST', `/api/v1/surveys/${survey.id}/events`, {
      at: '2026-11-10T09:00:00+01:00',
      kind: 'door',
      label: '  Dörrknackning Norra området  ',
      areaIds: ['norr'],
    });
    expect(res.status).toBe(201);
    const added = (await res.json()) as SurveyEvent;
    expect(added).toEqual({
      id: expect.stringMatching(/\S/),
      at: '2026-11-10T08:00:00.000Z',
      kind: 'door',
      label: 'Dörrknackning Norra området',
      areaIds: ['norr'],
    });
    expect(res.headers.get('location')).toBe(`/api/v1/surveys/${survey.id}/events/${added.id}`);

    const token = (await t.app.tokens.mint(survey.id, ['stats'], 60)).token;
    expect((await listEvents(survey.id, token)).map(({ effect: _effect, ...event }) => event)).toEqual([added]);

    expect((await t.admin('DELETE', `/api/v1/surveys/${survey.id}/events/${added.id}`)).status).toBe(204);
    await expectProblem(await t.admin('DELETE', `/api/v1/surveys/${survey.id}/events/${added.id}`), 404, 'not-found', /no reminder round/);
    await expectProblem(await t.admin('DELETE', `/api/v1/surveys/no-such-survey/events/${added.id}`), 404, 'not-found');
    expect(await listEvents(survey.id, token)).toEqual([]);

    const audit = (await (await t.admin('GET', `/api/v1/audit?surveyId=${survey.id}`)).json()) as { entries: AuditEntry[] };
    expect(audit.entries.filter((entry) => entry.action.startsWith('event.')).map((entry) => [entry.action, entry.target])).toEqual([
      ['event.delete', added.id],
      ['event.add', added.id],
    ]);
  });

  it('lists the rounds for the admin page with the admin token too; a wrong admin token or none is 401', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const added = await addEvent(survey.id, { at: '2026-11-10T09:00:00+01:00', kind: 'phone', label: 'Ringrunda' });
    const res = await t.admin('GET', `/api/v1/surveys/${survey.id}/events`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { events: SurveyEventWithEffect[] }).events).toEqual([{ ...added, effect: { before: 0, after: 0 } }]);
    const wrong = await fetch(`${t.url}/api/v1/surveys/${survey.id}/events`, { headers: { Authorization: 'Bearer not-the-admin-token-at-all' } });
    await expectProblem(wrong, 401, 'unauthorized');
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}/events`), 401, 'unauthorized');
    await expectProblem(await t.admin('GET', '/api/v1/surveys/no-such-survey/events'), 404, 'not-found');
  });

  it('refuses bad rounds with a 400 problem and keeps nothing; an unknown survey is 404', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const post = (body: unknown) => t.admin('POST', `/api/v1/surveys/${survey.id}/events`, body);
    const good = { at: '2026-11-10T08:00:00Z', kind: 'phone', label: 'Telefonrunda' };
    await expectProblem(await post({ ...good, areaIds: ['norr', 'vaster', 'oster'] }), 400, 'invalid-body', /no area "vaster", "oster"/);
    await expectProblem(await post({ ...good, kind: 'pigeon' }), 400, 'invalid-body', /kind/);
    await expectProblem(await post({ ...good, at: 'tomorrow' }), 400, 'invalid-body', /at/);
    await expectProblem(await post({ ...good, label: '   ' }), 400, 'invalid-body', /label/);
    await expectProblem(await post({ ...good, label: 'x'.repeat(121) }), 400, 'invalid-body', /label/);
    await expectProblem(await post({ ...good, areaIds: [] }), 400, 'invalid-body', /areaIds/);
    await expectProblem(await post({ ...good, id: 'mine' }), 400, 'invalid-body');
    await expectProblem(await post([good]), 400, 'invalid-body');
    await expectProblem(await t.admin('POST', '/api/v1/surveys/no-such-survey/events', good), 404, 'not-found');
    await expectProblem(
      await fetch(`${t.url}/api/v1/surveys/${survey.id}/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(good),
      }),
      401,
      'unauthorized',
    );
    expect(await t.store.listEvents(survey.id)).toEqual([]);
  });

  it('takes any label: 201 with the label trimmed, or a 400 problem; never a 500, and it reads back as kept', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    const token = (await t.app.tokens.mint(survey.id, ['stats'], 600)).token;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 130 }), fc.string({ unit: 'binary', maxLength: 130 }), fc.string({ unit: 'grapheme', maxLength: 40 })),
        async (label) => {
          const res = await t.admin('POST', `/api/v1/surveys/${survey.id}/events`, { at: '2026-11-20T09:00:00Z', kind: 'other', label });
          if (res.status === 400) {
            await expectProblem(res, 400, 'invalid-body', /label/);
            return;
          }
          expect(res.status, await res.clone().text()).toBe(201);
          const added = (await res.json()) as SurveyEvent;
          expect(added.label).toBe(label.trim().toWellFormed());
          expect((await listEvents(survey.id, token)).map((event) => event.label)).toEqual([added.label]);
          expect((await t.admin('DELETE', `/api/v1/surveys/${survey.id}/events/${added.id}`)).status).toBe(204);
        },
      ),
      { numRuns: 40 },
    );
  });

  it(`keeps at most ${MAX_EVENTS_PER_SURVEY} rounds per survey: the next is a 409 problem`, async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    for (let i = 0; i < MAX_EVENTS_PER_SURVEY; i++) {
      await t.store.addEvent(
        survey.id,
        { id: `e${i}`, at: iso(Date.UTC(2026, 10, 1) + i * HOUR_MS), kind: 'other', label: `Runda ${i}` },
        MAX_EVENTS_PER_SURVEY,
      );
    }
    await expectProblem(
      await t.admin('POST', `/api/v1/surveys/${survey.id}/events`, { at: '2026-12-01T08:00:00Z', kind: 'sms', label: 'En för mycket' }),
      409,
      'conflict',
      /200 reminder rounds/,
    );
    expect(await t.store.listEvents(survey.id)).toHaveLength(MAX_EVENTS_PER_SURVEY);
  });
});

describe('listing with the effect', () => {
  // A round five days ago, older than the pace's 73 hours per area; responses around it (the hour it starts in counts as after).
  const at = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 5 * 24 * HOUR_MS;
  const answers: [string, number][] = [
    ['norr', at - 30 * HOUR_MS],
    ['norr', at - 1 * HOUR_MS],
    ['soder', at - 10 * HOUR_MS],
    ['norr', at + 2 * HOUR_MS],
    ['soder', at + 5 * HOUR_MS],
    ['soder', at + 20 * HOUR_MS],
    // Outside both windows.
    ['norr', at - 49 * HOUR_MS],
  ];

  it('counts the 48 hours before and after, over the areas named (all when none), oldest first', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    for (const [areaId, when] of answers) expect((await t.sendResponse(response(survey.id, { areaId, submittedAt: iso(when) }))).status).toBe(200);
    const norr = await addEvent(survey.id, { at: iso(at + 30 * 60_000), kind: 'door', label: 'Dörrknackning norr', areaIds: ['norr'] });
    const all = await addEvent(survey.id, { at: iso(at), kind: 'letter', label: 'Påminnelsebrev' });
    const soder = await addEvent(survey.id, { at: iso(at), kind: 'phone', label: 'Telefonrunda söder', areaIds: ['soder'] });

    const token = (await t.app.tokens.mint(survey.id, ['stats'], 60)).token;
    const listed = await listEvents(survey.id, token);
    const byId = [all, soder].sort((a, b) => a.id.localeCompare(b.id));
    expect(listed.map((event) => event.id)).toEqual([...byId.map((event) => event.id), norr.id]);
    const effect = new Map(listed.map((event) => [event.id, event.effect]));
    expect(effect.get(all.id)).toEqual({ before: 3, after: 3 });
    expect(effect.get(norr.id)).toEqual({ before: 2, after: 1 });
    expect(effect.get(soder.id)).toEqual({ before: 1, after: 2 });

    // An area-scoped token: the rounds touching its areas, named and counted over its areas only.
    const scoped = (await t.app.tokens.mint(survey.id, ['stats'], 60, { areaIds: ['soder'] })).token;
    const seen = await listEvents(survey.id, scoped);
    expect(seen.map((event) => [event.id, event.areaIds, event.effect])).toEqual(byId.map((event) => [event.id, event.areaIds, { before: 1, after: 2 }]));

    // Without a token (PUBLIC_STATS off): 401; a text-only token: 403; an unknown survey: 404.
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}/events`), 401, 'unauthorized');
    const textOnly = (await t.app.tokens.mint(survey.id, ['text'], 60)).token;
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}/events`, { headers: { Authorization: `Bearer ${textOnly}` } }), 403, 'forbidden');
    const other = (await t.app.tokens.mint('no-such-survey', ['stats'], 60)).token;
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/no-such-survey/events`, { headers: { Authorization: `Bearer ${other}` } }), 404, 'not-found');
  });
});
