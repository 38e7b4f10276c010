/** The admin API for survey definitions (/api/v1/surveys), and the API's 404/415/400/413 problems. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveySnapshot } from '../../../shared/schemas.js';
import { ADMIN_TOKEN, eventually, response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem, readStats } from './http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { STATS_INTERVAL_MS: '10' } });
});
afterAll(() => t.close());

const putRaw = (id: string, body: string, contentType = 'application/json') =>
  fetch(`${t.url}/api/v1/surveys/${id}`, { method: 'PUT', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': contentType }, body });

describe('survey definitions', () => {
  it('PUT creates (201) then updates (200); GET shows one and lists it; DELETE removes it (204, then 404)', async () => {
    const survey = sampleSurvey();
    const created = await t.admin('PUT', `/api/v1/surveys/${survey.id}`, survey);
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual(survey);

    const renamed = { ...survey, name: 'Kundenkät 2026, omgång 2' };
    const updated = await t.admin('PUT', `/api/v1/surveys/${survey.id}`, renamed);
    expect(updated.status).toBe(200);
    expect((await updated.json()).name).toBe(renamed.name);

    const one = await t.admin('GET', `/api/v1/surveys/${survey.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(renamed);

    const list = await t.admin('GET', '/api/v1/surveys');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { surveys: { id: string; name: string }[] }).surveys).toContainEqual(renamed);

    const deleted = await t.admin('DELETE', `/api/v1/surveys/${survey.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    await expectProblem(await t.admin('GET', `/api/v1/surveys/${survey.id}`), 404, 'not-found', new RegExp(`Survey "${survey.id}" is not defined`));
    await expectProblem(await t.admin('DELETE', `/api/v1/surveys/${survey.id}`), 404, 'not-found', new RegExp(survey.id));
    const listAfter = (await (await t.admin('GET', '/api/v1/surveys')).json()) as { surveys: { id: string }[] };
    expect(listAfter.surveys.map((s) => s.id)).not.toContain(survey.id);
  });

  it("PUT without an id in the body takes the URL's; a differing id is refused", async () => {
    const { id, ...withoutId } = sampleSurvey();
    expect((await t.admin('PUT', `/api/v1/surveys/${id}`, withoutId)).status).toBe(201);
    expect((await (await t.admin('GET', `/api/v1/surveys/${id}`)).json()).id).toBe(id);
    await expectProblem(await t.admin('PUT', `/api/v1/surveys/${id}`, { ...withoutId, id: 'another-id' }), 400, 'invalid-body', /another-id.*differs/);
  });

  it('deleting a survey deletes its counts: defined again, it starts from zero', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    expect((await t.sendResponse(response(survey.id))).status).toBe(200);
    expect((await readStats(t, survey.id)).responses).toBe(1);
    expect((await t.admin('DELETE', `/api/v1/surveys/${survey.id}`)).status).toBe(204);
    await t.putSurvey(survey);
    expect((await readStats(t, survey.id)).responses).toBe(0);
  });

  it("changing an area's distributed changes the response rates in GET stats", async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    for (let i = 0; i < 5; i++) expect((await t.sendResponse(response(survey.id))).status).toBe(200);
    const before = await readStats(t, survey.id);
    expect(before.areas.find((area) => area.id === 'norr')?.responseRate).toBe(5 / 100);
    expect(before.responseRate).toBe(5 / 150);

    const areas = survey.areas?.map((area) => (area.id === 'norr' ? { ...area, distributed: 20 } : area));
    expect((await t.admin('PUT', `/api/v1/surveys/${survey.id}`, { ...survey, areas })).status).toBe(200);
    // Other instances hear of the change through pub/sub, and cached snapshots live one stats interval.
    const after: SurveySnapshot = await eventually(async () => {
      const stats = await readStats(t, survey.id);
      return stats.distributed === 70 ? stats : undefined;
    }, 'the snapshot to show the new distributed');
    expect(after.responses).toBe(5);
    expect(after.distributed).toBe(70);
    expect(after.areas.find((area) => area.id === 'norr')).toMatchObject({ distributed: 20, responses: 5, responseRate: 5 / 20 });
    expect(after.responseRate).toBe(5 / 70);
  });
});

describe('invalid survey definitions are refused with 400 naming the field paths', () => {
  const cases: { what: string; change: (survey: ReturnType<typeof sampleSurvey>) => unknown; paths: string[]; detail: RegExp }[] = [
    { what: 'a target above 1', change: (s) => ({ ...s, target: 1.5 }), paths: ['target'], detail: /^target: / },
    {
      what: 'duplicate area ids',
      change: (s) => ({ ...s, areas: [...(s.areas ?? []), { id: 'norr', name: 'Norr igen', distributed: 5 }] }),
      paths: ['areas.2.id'],
      detail: /duplicate area id "norr"/,
    },
    {
      what: 'the reserved area id "unassigned"',
      change: (s) => ({ ...s, areas: [{ id: 'unassigned', name: 'X', distributed: 1 }] }),
      paths: ['areas.0.id'],
      detail: /reserved/,
    },
    {
      what: 'a negative distributed and a missing name',
      change: ({ name: _name, ...s }) => ({ ...s, areas: [{ id: 'a', name: 'A', distributed: -1 }] }),
      paths: ['name', 'areas.0.distributed'],
      detail: /name: .*areas\.0\.distributed: /,
    },
    {
      what: 'an index scale with min above max',
      change: (s) => ({ ...s, indexes: [{ id: 'safety', name: 'Trygghet', questions: ['q1'], scale: [5, 1] }] }),
      paths: ['indexes.0.scale'],
      detail: /scale must be \[min, max\]/,
    },
  ];
  for (const { what, change, paths, detail } of cases) {
    it(what, async () => {
      const survey = sampleSurvey();
      const problem = await expectProblem(await t.admin('PUT', `/api/v1/surveys/${survey.id}`, change(survey)), 400, 'invalid-body', detail);
      expect(problem.errors?.map((error) => error.path).sort()).toEqual([...paths].sort());
      await expectProblem(await t.admin('GET', `/api/v1/surveys/${survey.id}`), 404, 'not-found');
    });
  }

  it('an update that breaks the schema leaves the stored definition as it was', async () => {
    const survey = sampleSurvey();
    await t.putSurvey(survey);
    await expectProblem(await t.admin('PUT', `/api/v1/surveys/${survey.id}`, { ...survey, target: 1.5 }), 400, 'invalid-body', /^target: /);
    expect((await (await t.admin('GET', `/api/v1/surveys/${survey.id}`)).json()).target).toBe(survey.target);
  });
});

describe('request problems on the API', () => {
  it('415 for a body that is not JSON', async () => {
    const survey = sampleSurvey();
    await expectProblem(
      await putRaw(survey.id, 'name=x', 'application/x-www-form-urlencoded'),
      415,
      'unsupported-media-type',
      /application\/x-www-form-urlencoded/,
    );
    await expectProblem(await putRaw(survey.id, JSON.stringify(survey), 'text/plain'), 415, 'unsupported-media-type', /text\/plain/);
    await expectProblem(await t.admin('GET', `/api/v1/surveys/${survey.id}`), 404, 'not-found');
  });

  it('400 for malformed JSON', async () => {
    const survey = sampleSurvey();
    const problem = await expectProblem(await putRaw(survey.id, '{"name": "Kundenkät",'), 400, 'malformed-json', /^The body is not valid JSON: /);
    expect(problem.instance).toBe(`/api/v1/surveys/${survey.id}`);
  });

  it('413 for a body over MAX_BODY_BYTES', async () => {
    const survey = sampleSurvey();
    const huge = JSON.stringify({ ...survey, name: 'x'.repeat(t.config.maxBodyBytes) });
    await expectProblem(await putRaw(survey.id, huge), 413, 'body-too-large', new RegExp(String(t.config.maxBodyBytes)));
  });

  it('404 problem for unknown routes under /api and elsewhere', async () => {
    await expectProblem(await t.admin('GET', '/api/v1/nope'), 404, 'not-found', /GET \/api\/v1\/nope/);
    await expectProblem(await fetch(`${t.url}/api/v2/surveys`, { method: 'POST' }), 404, 'not-found', /POST \/api\/v2\/surveys/);
    await expectProblem(await fetch(`${t.url}/no-such-page`), 404, 'not-found', /\/no-such-page/);
  });
});
