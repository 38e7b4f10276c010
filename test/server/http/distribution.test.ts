/**
 * POST /api/v1/surveys/:id/distribution: hand-out lists as CSV (BOM, ";" or ",", Swedish
 * letters), set and add, created areas, and files with a bad line that change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Survey } from '../../../shared/schemas.js';
import { ADMIN_TOKEN, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem, readStats } from './http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

const BOM = '\uFEFF';

function postCsv(
  surveyId: string,
  csv: string | Uint8Array<ArrayBuffer>,
  query = '',
  contentType = 'text/csv; charset=utf-8',
  token: string | null = ADMIN_TOKEN,
) {
  return fetch(`${t.url}/api/v1/surveys/${surveyId}/distribution${query}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: csv,
  });
}

async function surveyWithAreas() {
  const survey = {
    ...sampleSurvey(),
    areas: [
      { id: 'norr', name: 'Norra området', distributed: 100 },
      { id: 'soder', name: 'Södra området', distributed: 50 },
      { id: 'ostra', name: 'Östra Ängby', distributed: 10 },
    ],
  };
  await t.putSurvey(survey);
  return survey;
}

const getSurvey = async (id: string): Promise<Survey> => (await t.admin('GET', `/api/v1/surveys/${id}`)).json();
const distributed = async (id: string) => Object.fromEntries((await getSurvey(id)).areas.map((area) => [area.id, area.distributed]));

describe('a good file', () => {
  it('sets each area from a Swedish Excel export (BOM, ";", names with å ä ö) and says what changed', async () => {
    const survey = await surveyWithAreas();
    const csv = `${BOM}Område;Antal utdelade\r\nNorra området;120\r\nsödra OMRÅDET;1 250\r\nostra;10\r\n`;
    const res = await postCsv(survey.id, csv);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({
      surveyId: survey.id,
      mode: 'set',
      applied: true,
      distributed: { before: 160, after: 1380 },
      changed: [
        { line: 2, areaId: 'norr', name: 'Norra området', before: 100, after: 120, created: false },
        { line: 3, areaId: 'soder', name: 'Södra området', before: 50, after: 1250, created: false },
      ],
      unchanged: ['ostra'],
    });
    expect(await distributed(survey.id)).toEqual({ norr: 120, soder: 1250, ostra: 10 });
    // Rates follow at once.
    const stats = await readStats(t, survey.id);
    expect(stats.distributed).toBe(1380);
    expect(stats.areas.find((area) => area.id === 'soder')?.distributed).toBe(1250);
  });

  it('adds to each area with ?mode=add, by id or name, "," separated with quotes, several lines for one area', async () => {
    const survey = await surveyWithAreas();
    const csv = 'area,count\nnorr,5\n"Östra Ängby",7\n"Norra området",15\n';
    const res = await postCsv(survey.id, csv, '?mode=add');
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.distributed).toEqual({ before: 160, after: 187 });
    expect(body.changed).toEqual([
      { line: 2, areaId: 'norr', name: 'Norra området', before: 100, after: 120, created: false },
      { line: 3, areaId: 'ostra', name: 'Östra Ängby', before: 10, after: 17, created: false },
    ]);
    expect(await distributed(survey.id)).toEqual({ norr: 120, soder: 50, ostra: 17 });
  });

  it('creates areas it does not know with ?createAreas=true, with ids made from their names', async () => {
    const survey = await surveyWithAreas();
    const res = await postCsv(survey.id, `${BOM}område;antal\nMälarhöjden;40\nnorr;100\nÅkeshov 2;12\n`, '?createAreas=true');
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.changed).toEqual([
      { line: 2, areaId: 'malarhojden', name: 'Mälarhöjden', before: 0, after: 40, created: true },
      { line: 4, areaId: 'akeshov-2', name: 'Åkeshov 2', before: 0, after: 12, created: true },
    ]);
    expect(body.unchanged).toEqual(['norr']);
    const areas = (await getSurvey(survey.id)).areas;
    expect(areas.map((area) => area.id)).toEqual(['norr', 'soder', 'ostra', 'malarhojden', 'akeshov-2']);
    expect(areas.find((area) => area.id === 'malarhojden')).toEqual({ id: 'malarhojden', name: 'Mälarhöjden', distributed: 40 });
  });
});

describe('a file with a bad line changes nothing', () => {
  it('names the line and column of every bad count and unknown area (the header is line 1)', async () => {
    const survey = await surveyWithAreas();
    const csv = `${BOM}Område;Antal\nNorra området;120\nSödra området;12,5\nVästra;30\n;4\nostra;\n`;
    const problem = await expectProblem(await postCsv(survey.id, csv), 400, 'invalid-body', /^Line 3, column 2: "12,5" is not a whole number/);
    expect(problem.errors).toEqual([
      { path: 'line 3, column 2', message: '"12,5" is not a whole number of surveys' },
      { path: 'line 5, column 1', message: 'the area is empty' },
      { path: 'line 6, column 2', message: 'the count is missing' },
    ]);
    expect(problem.detail).toMatch(/Nothing was changed/);
    // Once counts are right, the unknown area is named.
    const unknown = await expectProblem(
      await postCsv(survey.id, `${BOM}Område;Antal\nNorra området;120\nVästra;30\n`),
      400,
      'invalid-body',
      /Line 3, column 1/,
    );
    expect(unknown.errors?.[0]?.message).toMatch(/no area "Västra".*createAreas=true/);
    expect(await distributed(survey.id)).toEqual({ norr: 100, soder: 50, ostra: 10 });
  });

  it('refuses an unclosed quote, an area set twice, a missing header and an empty file, naming the place', async () => {
    const survey = await surveyWithAreas();
    await expectProblem(await postCsv(survey.id, 'area;count\nnorr;1\n"soder;2\n'), 400, 'invalid-body', /Line 3, column 1: .*quote/i);
    await expectProblem(
      await postCsv(survey.id, 'area;count\nnorr;1\nNorra området;2\n'),
      400,
      'invalid-body',
      /Line 3, column 1: area "norr" is already set on line 2/,
    );
    await expectProblem(await postCsv(survey.id, 'norr;1\nsoder;2\n'), 400, 'invalid-body', /Line 1, column 2: .*header/);
    await expectProblem(await postCsv(survey.id, ''), 400, 'invalid-body', /empty/);
    await expectProblem(await postCsv(survey.id, 'område;antal\n'), 400, 'invalid-body', /Line 2, column 1: no areas/);
    expect(await distributed(survey.id)).toEqual({ norr: 100, soder: 50, ostra: 10 });
  });

  it('refuses a file that is not UTF-8 (an old Excel "CSV" in Windows-1252)', async () => {
    const survey = await surveyWithAreas();
    // "Södra området;60" with ö and å as single Latin-1 bytes.
    const latin1 = Uint8Array.from([...Buffer.from('Omr\xe5de;Antal\nS\xf6dra omr\xe5det;60\n', 'latin1')]);
    await expectProblem(await postCsv(survey.id, latin1), 400, 'invalid-body', /not UTF-8/);
    await expectProblem(await postCsv(survey.id, 'a;b\nnorr;1\n', '', 'text/csv; charset=windows-1252'), 415, 'unsupported-media-type', /UTF-8/);
    expect(await distributed(survey.id)).toEqual({ norr: 100, soder: 50, ostra: 10 });
  });
});

describe('the request', () => {
  it('needs the admin token, a known survey, text/csv and a valid mode', async () => {
    const survey = await surveyWithAreas();
    await expectProblem(await postCsv(survey.id, 'a;b\nnorr;1\n', '', 'text/csv', null), 401, 'unauthorized');
    await expectProblem(await postCsv(survey.id, 'a;b\nnorr;1\n', '', 'text/csv', 'wrong-token-0123456789'), 401, 'unauthorized');
    await expectProblem(await postCsv('no-such-survey', 'a;b\nnorr;1\n'), 404, 'not-found');
    await expectProblem(await postCsv(survey.id, 'a;b\nnorr;1\n', '?mode=replace'), 400, 'invalid-body', /mode/);
    await expectProblem(await postCsv(survey.id, 'a;b\nnorr;1\n', '', 'text/plain'), 415, 'unsupported-media-type');
    await expectProblem(await t.admin('POST', `/api/v1/surveys/${survey.id}/distribution`, { norr: 1 }), 415, 'unsupported-media-type', /text\/csv/);
    // text/csv is allowed on this route only.
    const elsewhere = await fetch(`${t.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: 'a;b',
    });
    await expectProblem(elsewhere, 415, 'unsupported-media-type', /application\/json/);
    expect(await distributed(survey.id)).toEqual({ norr: 100, soder: 50, ostra: 10 });
  });
});
