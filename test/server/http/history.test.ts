/**
 * Campaign history over HTTP, against a real Redis: GET …/daily (read token, stats scope, area
 * scopes), the hand-out history kept by each change of `distributed`, POST …/history (the
 * forgiving CSV reader, replace by day, nothing changed by a bad file, audited), and the
 * snapshot's comparison with the earlier campaign the survey names, on the day of the import.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../../server/store/daily.js';
import type { DailySeries, SurveyInput } from '../../../shared/schemas.js';
import { ADMIN_TOKEN, response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem, readStats } from './http-assertions.js';

const DAY_MS = 86_400_000;
const BOM = '\uFEFF';
const TZ = 'Europe/Stockholm';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

const id = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
const today = () => localDate(Date.now(), TZ);

function postHistory(surveyId: string, csv: string, contentType = 'text/csv; charset=utf-8', token: string | null = ADMIN_TOKEN) {
  return fetch(`${t.url}/api/v1/surveys/${surveyId}/history`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: csv,
  });
}

async function readDaily(surveyId: string, options: { areaIds?: string[] } = {}): Promise<DailySeries> {
  const { token } = await t.app.tokens.mint(surveyId, ['stats'], 60, options.areaIds ? { areaIds: options.areaIds } : {});
  const res = await fetch(`${t.url}/api/v1/surveys/${surveyId}/daily`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as DailySeries;
}

/** Last year's campaign: opened 365 days and 2 hours before this one, closed 40 days after. */
function lastYear(opensAt: number): SurveyInput & { id: string } {
  return {
    ...sampleSurvey(id('enkat-2025')),
    name: 'Hyresgästenkät 2025',
    opensAt: new Date(opensAt - 365 * DAY_MS).toISOString(),
    closesAt: new Date(opensAt - 325 * DAY_MS).toISOString(),
    areas: [
      { id: 'norr', name: 'Norra området', distributed: 100 },
      { id: 'soder', name: 'Södra området', distributed: 50 },
      { id: 'ostra', name: 'Östra Ängby', distributed: 50 },
    ],
  };
}

describe('GET /api/v1/surveys/:id/daily', () => {
  it('answers the whole life by calendar day for a stats token, quiet days with 0, an area-scoped token its areas only', async () => {
    const survey = { ...sampleSurvey(id('daily')), opensAt: new Date(Date.now() - 3 * DAY_MS).toISOString() };
    await t.putSurvey(survey);
    expect((await t.sendResponse(response(survey.id, { areaId: 'norr' }))).ok).toBe(true);
    expect((await t.sendResponse(response(survey.id, { areaId: 'soder' }))).ok).toBe(true);

    const series = await readDaily(survey.id);
    expect(series.surveyId).toBe(survey.id);
    expect(series.timezone).toBe(TZ);
    const opened = localDate(Date.parse(survey.opensAt), TZ);
    expect(series.days.map((day) => day.date)).toEqual([0, 1, 2, 3].map((n) => addDays(opened, n)));
    expect(series.days.at(-1)?.date).toBe(today());
    expect(series.days.map((day) => day.responses)).toEqual([0, 0, 0, 2]);
    expect(series.days[3]).toEqual({
      date: today(),
      responses: 2,
      cumulative: 2,
      cumulativeRate: 2 / 150,
      areas: { norr: { responses: 1, cumulative: 1 }, soder: { responses: 1, cumulative: 1 } },
    });
    expect(series.previous).toBeUndefined();

    const scoped = await readDaily(survey.id, { areaIds: ['soder'] });
    expect(scoped.days.map((day) => Object.keys(day.areas))).toEqual([['soder'], ['soder'], ['soder'], ['soder']]);
    expect(scoped.days[3]?.cumulative).toBe(2);
  });

  it('wants a stats token for a survey that exists', async () => {
    const survey = sampleSurvey(id('daily-auth'));
    await t.putSurvey(survey);
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}/daily`), 401, 'unauthorized');
    const { token: textOnly } = await t.app.tokens.mint(survey.id, ['text'], 60);
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}/daily`, { headers: { Authorization: `Bearer ${textOnly}` } }), 403, 'forbidden');
    const { token: other } = await t.app.tokens.mint('another-survey', ['stats'], 60);
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}/daily`, { headers: { Authorization: `Bearer ${other}` } }), 403, 'forbidden');
    const { token: missing } = await t.app.tokens.mint('no-such-survey', ['stats'], 60);
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/no-such-survey/daily`, { headers: { Authorization: `Bearer ${missing}` } }), 404, 'not-found');
  });
});

describe('hand-out history', () => {
  it('records each change of distributed (PUT, hand-out list), not an edit that keeps them, and divides by the figures in force', async () => {
    const survey = sampleSurvey(id('handouts'));
    await t.putSurvey(survey);
    await t.putSurvey({ ...survey, name: 'Nytt namn' });
    expect(await t.store.distributionHistory(survey.id)).toHaveLength(1);
    const res = await fetch(`${t.url}/api/v1/surveys/${survey.id}/distribution`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: 'område;antal\nnorr;250\n',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const dryRun = await fetch(`${t.url}/api/v1/surveys/${survey.id}/distribution?dryRun=true`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: 'område;antal\nnorr;999\n',
    });
    expect(dryRun.status).toBe(200);
    const history = await t.store.distributionHistory(survey.id);
    expect(history.map((record) => Object.fromEntries(record.areas))).toEqual([
      { norr: 100, soder: 50 },
      { norr: 250, soder: 50 },
    ]);
    expect(Date.parse(history[1]!.at)).toBeGreaterThanOrEqual(Date.parse(history[0]!.at));

    await t.sendResponse(response(survey.id, { areaId: 'norr' }));
    const series = await readDaily(survey.id);
    expect(series.days.at(-1)?.cumulativeRate).toBe(1 / 300);
  });
});

describe('POST /api/v1/surveys/:id/history', () => {
  it('imports a Swedish Excel file (BOM, ";", names with å ä ö, "1 200"), counts it in stats and daily, and audits it', async () => {
    const opensAt = Date.now() - 2 * DAY_MS;
    const earlier = lastYear(opensAt);
    await t.putSurvey(earlier);
    const first = localDate(Date.parse(earlier.opensAt!), TZ);
    const csv = `${BOM}Datum;Område;Svar\r\n${first};Norra området;12\r\n${first};södra OMRÅDET;5\r\n${addDays(first, 1)};Östra Ängby;1 200\r\n${addDays(first, 3)};norr;8\r\n`;
    const res = await postHistory(earlier.id, csv);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({
      surveyId: earlier.id,
      rows: 4,
      days: [first, addDays(first, 1), addDays(first, 3)],
      responses: 1225,
      change: 1225,
    });

    const stats = await readStats(t, earlier.id);
    expect(stats.responses).toBe(1225);
    expect(stats.areas.map((area) => [area.id, area.responses])).toEqual([
      ['norr', 20],
      ['soder', 5],
      ['ostra', 1200],
    ]);
    const series = await readDaily(earlier.id);
    expect(series.days[0]).toMatchObject({ date: first, responses: 17, cumulative: 17 });
    expect(series.days.slice(0, 4).map((day) => day.responses)).toEqual([17, 1200, 0, 8]);
    expect(series.days.at(-1)?.date).toBe(localDate(Date.parse(earlier.closesAt!), TZ));

    const audit = await (await t.admin('GET', `/api/v1/audit?surveyId=${earlier.id}&action=history.import`)).json();
    expect(audit.entries).toEqual([expect.objectContaining({ action: 'history.import', surveyId: earlier.id, target: earlier.id, actor: 'admin-token' })]);
  });

  it('replaces the earlier imported counts of the days a new file names, and only those', async () => {
    const earlier = lastYear(Date.now());
    await t.putSurvey(earlier);
    const first = localDate(Date.parse(earlier.opensAt!), TZ);
    expect((await postHistory(earlier.id, `date,areaId,responses\n${first},norr,10\n${first},soder,4\n${addDays(first, 1)},norr,3\n`)).status).toBe(200);
    expect((await readDaily(earlier.id)).days[0]?.responses).toBe(14);
    const again = await postHistory(earlier.id, `date,areaId,responses\n${first},norr,7\n`);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ days: [first], responses: 7, change: -7 });
    expect((await readStats(t, earlier.id)).responses).toBe(10);
    const series = await readDaily(earlier.id);
    expect(series.days.slice(0, 2).map((day) => [day.responses, day.areas.norr?.responses, day.areas.soder?.responses])).toEqual([
      [7, 7, 0],
      [3, 3, 0],
    ]);
  });

  it('changes nothing for a file with a bad line, and names every bad line and column', async () => {
    const earlier = lastYear(Date.now());
    await t.putSurvey(earlier);
    const first = localDate(Date.parse(earlier.opensAt!), TZ);
    const csv = [
      'datum;område;svar',
      `${first};norr;5`,
      '2025-02-30;norr;1',
      `${first};Västra;2`,
      `${first};soder;tre`,
      `${first};norr;6`,
      `${addDays(today(), 2)};norr;1`,
      ';;',
    ].join('\n');
    const problem = await expectProblem(await postHistory(earlier.id, csv), 400, 'invalid-body', /^Line 3, column 1: .*2025-02-30.*Nothing was changed\.$/);
    expect((problem.errors ?? []).map((error) => error.path)).toEqual([
      'line 3, column 1',
      'line 4, column 2',
      'line 5, column 3',
      'line 6, column 2',
      'line 7, column 1',
      'line 8, column 1',
      'line 8, column 2',
      'line 8, column 3',
    ]);
    expect(problem.errors?.[3]?.message).toMatch(/already on line 2/);
    expect((await readStats(t, earlier.id)).responses).toBe(0);
    expect(await t.store.importedByDay(earlier.id)).toEqual(new Map());
  });

  it('refuses what is not a history file, before reading it', async () => {
    const earlier = lastYear(Date.now());
    await t.putSurvey(earlier);
    await expectProblem(await postHistory(earlier.id, 'date;areaId;responses\n2025-10-06;norr;1\n', 'text/csv', null), 401, 'unauthorized');
    await expectProblem(await postHistory('no-such-survey', 'date;areaId;responses\n2025-10-06;norr;1\n'), 404, 'not-found');
    await expectProblem(await postHistory(earlier.id, '{"date":"2025-10-06"}', 'application/json'), 415, 'unsupported-media-type');
    await expectProblem(await postHistory(earlier.id, 'date;areaId;responses\n', 'text/csv; charset=latin1'), 415, 'unsupported-media-type');
    await expectProblem(await postHistory(earlier.id, ''), 400, 'invalid-body', /empty/);
    await expectProblem(await postHistory(earlier.id, '2025-10-06;norr;1\n'), 400, 'invalid-body', /header/);
    await expectProblem(await postHistory(earlier.id, 'date;areaId;responses\n"2025-10-06;norr;1\n'), 400, 'invalid-body', /^Line \d+/);
  });
});

describe('comparison with the earlier campaign', () => {
  it('shows last year at the same day since opening, and its final figures, in the snapshot and on the daily curve, as soon as it is imported', async () => {
    // This campaign opened 2 days and 2 hours ago: day 2. Last year's day 2 is its third calendar day.
    const opensAt = Date.now() - 2 * DAY_MS - 2 * 3_600_000;
    const earlier = lastYear(opensAt);
    await t.putSurvey(earlier);
    const current = { ...sampleSurvey(id('enkat-2026')), opensAt: new Date(opensAt).toISOString(), compareTo: earlier.id };
    await t.putSurvey(current);
    await t.sendResponse(response(current.id, { areaId: 'norr' }));
    // Named but empty: a comparison with nothing yet.
    expect((await readStats(t, current.id)).comparison).toMatchObject({ surveyId: earlier.id, day: 2, sameDay: { responses: 0, responseRate: 0 } });

    const first = localDate(Date.parse(earlier.opensAt!), TZ);
    const csv = [
      'date;areaId;responses',
      `${first};norr;10`,
      `${first};soder;5`,
      `${addDays(first, 2)};norr;20`,
      `${addDays(first, 3)};norr;30`,
      `${addDays(first, 10)};ostra;40`,
    ].join('\n');
    expect((await postHistory(earlier.id, csv)).status).toBe(200);

    const stats = await readStats(t, current.id);
    expect(stats.comparison).toEqual({
      surveyId: earlier.id,
      name: 'Hyresgästenkät 2025',
      day: 2,
      sameDay: { responses: 35, responseRate: 35 / 200 },
      final: { responses: 105, responseRate: 105 / 200 },
      // This survey's areas that last year's had, by id.
      areas: [
        { id: 'norr', sameDayRate: 30 / 100, finalRate: 60 / 100 },
        { id: 'soder', sameDayRate: 5 / 50, finalRate: 5 / 50 },
      ],
    });

    const series = await readDaily(current.id);
    expect(series.previous?.surveyId).toBe(earlier.id);
    expect(series.previous?.name).toBe('Hyresgästenkät 2025');
    expect(series.previous?.days.slice(0, 4)).toEqual([
      { day: 0, date: first, cumulativeRate: 15 / 200 },
      { day: 1, date: addDays(first, 1), cumulativeRate: 15 / 200 },
      { day: 2, date: addDays(first, 2), cumulativeRate: 35 / 200 },
      { day: 3, date: addDays(first, 3), cumulativeRate: 65 / 200 },
    ]);

    // An area-scoped token sees its own areas' comparison only.
    const { token } = await t.app.tokens.mint(current.id, ['stats'], 60, { areaIds: ['soder'] });
    const scoped = await (await fetch(`${t.url}/api/v1/surveys/${current.id}/stats`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(scoped.comparison.areas).toEqual([{ id: 'soder', sameDayRate: 5 / 50, finalRate: 5 / 50 }]);
  });

  it('has no comparison when the survey named is not in the store', async () => {
    const current = { ...sampleSurvey(id('ensam')), compareTo: 'finns-inte' };
    await t.putSurvey(current);
    expect((await readStats(t, current.id)).comparison).toBeUndefined();
  });
});
