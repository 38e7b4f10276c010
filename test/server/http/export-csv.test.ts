/**
 * GET …/export.csv: parsed back with csv-parse, the export holds the snapshot's figures, in
 * English (",", points) and Swedish (";", decimal commas, Swedish headers); Swedish letters
 * survive (UTF-8 with a BOM); index values are empty where small-group protection hides them;
 * a cell a spreadsheet would run as a formula is defused; an area-scoped token gets its areas.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defuse, writeCsv } from '../../../server/http/export-routes.js';
import { UNASSIGNED_AREA_ID, UNASSIGNED_AREA_NAME } from '../../../shared/constants.js';
import type { SurveySnapshot } from '../../../shared/schemas.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem } from './http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', env: { MIN_GROUP_SIZE: '3' } });
});
afterAll(() => t.close());

const survey = {
  ...sampleSurvey(),
  areas: [
    { id: 'norr', name: 'Norra området', distributed: 7 },
    { id: 'strand', name: 'Strandängen; "havet"', distributed: 30, target: 0.75 },
    { id: 'formel', name: '=HYPERLINK("http://example.com","Klicka")', distributed: 3 },
  ],
};

async function get(path: string, token: string): Promise<Response> {
  return fetch(`${t.url}/api/v1/surveys/${survey.id}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

const parseCsv = (text: string, delimiter: string): Record<string, string>[] => parse(text, { bom: true, columns: true, delimiter, skip_empty_lines: true });
const number = (cell: string | undefined, sv: boolean) => (cell === '' || cell === undefined ? null : Number(sv ? cell.replace(',', '.') : cell));

beforeAll(async () => {
  await t.putSurvey(survey);
  const answers = [
    ['norr', 5],
    ['norr', 4],
    ['norr', 2],
    ['norr', 3],
    ['strand', 5],
    ['formel', 1],
    ['rivet-hus', 3], // an area the survey does not name: counted as unassigned
  ] as const;
  for (const [areaId, value] of answers)
    expect((await t.sendResponse(response(survey.id, { areaId, answers: [{ questionId: 'q1', value }] }))).status).toBe(200);
});

describe('one row per area', () => {
  it.each([
    ['en', ',', ['id', 'name', 'distributed', 'responses', 'responseRate', 'target', 'neededToTarget']],
    ['sv', ';', ['id', 'namn', 'utdelade', 'svar', 'svarsfrekvens', 'mål', 'kvar till mål']],
  ] as const)('holds the snapshot figures (locale %s)', async (locale, delimiter, headers) => {
    const { token } = await t.app.tokens.mint(survey.id, ['stats'], 60);
    const res = await get(`export.csv${locale === 'sv' ? '?locale=sv' : ''}`, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${survey.id}-areas.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const snapshot = (await (await get('stats', token)).json()) as SurveySnapshot;
    const sv = locale === 'sv';
    const rows = parseCsv(text, delimiter);
    expect(Object.keys(rows[0] ?? {})).toEqual([...headers, 'Trygghet']);
    expect(rows).toHaveLength(snapshot.areas.length);
    snapshot.areas.forEach((area, i) => {
      const row = rows[i] as Record<string, string>;
      const cell = (n: number) => row[headers[n] as string];
      expect(cell(0)).toBe(area.id);
      expect(cell(1)).toBe(area.id === 'formel' ? `'${area.name}` : area.id === UNASSIGNED_AREA_ID ? UNASSIGNED_AREA_NAME[locale] : area.name);
      expect(number(cell(2), sv)).toBe(area.distributed);
      expect(number(cell(3), sv)).toBe(area.responses);
      expect(number(cell(4), sv)).toBeCloseTo(area.responseRate as number, 4);
      expect(number(cell(5), sv)).toBe(area.target);
      expect(number(cell(6), sv)).toBe(area.pace.needed);
      expect(number(row.Trygghet, sv)).toBe(area.indexes.safety?.value ?? null);
    });
    // The figures behind the assertions: Swedish letters, a hidden small group, decimals in the locale's way.
    expect(rows.map((row) => row[headers[1] as string])).toContain('Strandängen; "havet"');
    expect(rows.map((row) => row[headers[1] as string])).toContain(sv ? 'Okänt område' : 'Unknown area');
    expect(snapshot.areas.find((area) => area.id === 'norr')?.indexes.safety?.value).toEqual(expect.any(Number));
    expect(rows.find((row) => row[headers[0] as string] === 'strand')?.Trygghet).toBe('');
    expect(text).toContain(sv ? '0,5714' : '0.5714');
  });

  it('gives an area-scoped token its own areas only', async () => {
    const { token } = await t.app.tokens.mint(survey.id, ['stats'], 60, { areaIds: ['strand'] });
    const rows = parseCsv(await (await get('export.csv', token)).text(), ',');
    expect(rows.map((row) => row.id)).toEqual(['strand']);
  });

  it('answers the admin page with the admin token: every area', async () => {
    const res = await t.admin('GET', `/api/v1/surveys/${survey.id}/export.csv?locale=sv`);
    expect(res.status).toBe(200);
    expect(parseCsv(await res.text(), ';').map((row) => row.id)).toEqual([...survey.areas.map((area) => area.id), UNASSIGNED_AREA_ID]);
  });

  it('refuses a bad query, a missing or wrong token, and an unknown survey with problems', async () => {
    const { token } = await t.app.tokens.mint(survey.id, ['stats'], 60);
    await expectProblem(await get('export.csv?locale=de', token), 400, 'invalid-body', /locale/);
    await expectProblem(await get('export.csv?by=week', token), 400, 'invalid-body', /by/);
    await expectProblem(await get('export.csv?by=day&extra=1', token), 400, 'invalid-body');
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}/export.csv`), 401, 'unauthorized');
    const textOnly = (await t.app.tokens.mint(survey.id, ['text'], 60)).token;
    await expectProblem(await get('export.csv', textOnly), 403, 'forbidden');
    const other = (await t.app.tokens.mint('no-such-survey', ['stats'], 60)).token;
    await expectProblem(await fetch(`${t.url}/api/v1/surveys/no-such-survey/export.csv`, { headers: { Authorization: `Bearer ${other}` } }), 404, 'not-found');
  });
});

describe('?by=day: the daily series', () => {
  it.each([
    ['en', ',', ['date', 'responses', 'cumulative', 'cumulativeRate']],
    ['sv', ';', ['datum', 'svar', 'kumulativt', 'kumulativ svarsfrekvens']],
  ] as const)('holds one row per day with the snapshot totals at the end (locale %s)', async (locale, delimiter, headers) => {
    const daily = { ...sampleSurvey(), opensAt: new Date(Date.now() - 3 * 86_400_000).toISOString() };
    await t.putSurvey(daily);
    const days = [3, 2, 2, 0];
    for (const [i, ago] of days.entries()) {
      const submittedAt = new Date(Date.now() - ago * 86_400_000 - 60_000).toISOString();
      const areaId = i % 2 === 0 ? 'norr' : 'soder';
      expect((await t.sendResponse(response(daily.id, { areaId, submittedAt }))).status).toBe(200);
    }
    const { token } = await t.app.tokens.mint(daily.id, ['stats'], 60);
    const res = await fetch(`${t.url}/api/v1/surveys/${daily.id}/export.csv?by=day${locale === 'sv' ? '&locale=sv' : ''}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${daily.id}-daily.csv"`);
    const sv = locale === 'sv';
    const rows = parseCsv(await res.text(), delimiter);
    const [date, responses, cumulative, rate] = headers;
    const areaColumns = sv
      ? ['norr svar', 'norr kumulativt', 'soder svar', 'soder kumulativt']
      : ['norr responses', 'norr cumulative', 'soder responses', 'soder cumulative'];
    expect(Object.keys(rows[0] ?? {})).toEqual([...headers, ...areaColumns]);
    // Four (or, across a midnight, five) calendar days; the days follow each other.
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row[date]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(rows.map((row) => number(row[responses], sv)).reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(4);
    const snapshot = (await (
      await fetch(`${t.url}/api/v1/surveys/${daily.id}/stats`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as SurveySnapshot;
    const last = rows[rows.length - 1] as Record<string, string>;
    expect(number(last[cumulative], sv)).toBe(snapshot.responses);
    expect(number(last[rate], sv)).toBeCloseTo(snapshot.responseRate as number, 4);
    expect(number(last[areaColumns[1] as string], sv)).toBe(snapshot.areas.find((area) => area.id === 'norr')?.responses);
    expect(number(last[areaColumns[3] as string], sv)).toBe(snapshot.areas.find((area) => area.id === 'soder')?.responses);

    // An area-scoped token: the survey's totals, its own area's columns only.
    const scoped = (await t.app.tokens.mint(daily.id, ['stats'], 60, { areaIds: ['soder'] })).token;
    const own = parseCsv(
      await (await fetch(`${t.url}/api/v1/surveys/${daily.id}/export.csv?by=day`, { headers: { Authorization: `Bearer ${scoped}` } })).text(),
      ',',
    );
    expect(Object.keys(own[0] ?? {})).toEqual(['date', 'responses', 'cumulative', 'cumulativeRate', 'soder responses', 'soder cumulative']);
  });
});

describe('writing cells', () => {
  it('reads back any text as written, and no text cell starts a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('en', 'sv'),
        (rows, locale) => {
          const width = Math.max(...rows.map((row) => row.length));
          const padded = rows.map((row) => [...row, ...Array.from({ length: width - row.length }, () => 'x')]);
          const back = parse(writeCsv(padded, locale), { bom: true, delimiter: locale === 'sv' ? ';' : ',', relax_column_count: true }) as string[][];
          expect(back).toEqual(padded.map((row) => row.map(defuse)));
          for (const row of back) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        },
      ),
    );
  });

  it('writes numbers with the locale decimal sign and null as an empty cell', () => {
    expect(writeCsv([[0.25, null, 12, '-1']], 'sv')).toBe("\uFEFF0,25;;12;'-1\r\n");
    expect(writeCsv([[0.25, null, 12, '@SUM(A1)']], 'en')).toBe("\uFEFF0.25,,12,'@SUM(A1)\r\n");
  });
});
