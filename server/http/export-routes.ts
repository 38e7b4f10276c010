/**
 * GET /api/v1/surveys/:id/export.csv (read token, `stats` scope, or admin): the survey's figures for a
 * spreadsheet, one row per area, from the same snapshot widgets get (an area-scoped token gets
 * only its areas). Index values only where small-group protection shows them; an empty cell
 * where the snapshot has null. UTF-8 with a BOM, so Excel reads "Strandängen" right;
 * `?locale=sv` writes Swedish headers, ";" between cells and decimal commas (what Excel expects
 * on a Swedish computer), the default English headers, "," and points. `?by=day` gives the
 * daily series instead (store/daily.ts: one row per calendar day in TIMEZONE, quiet days with 0):
 * date, responses, cumulative, cumulativeRate, then each area's responses and cumulative.
 */
import { stringify } from 'csv-stringify/sync';
import { Router } from 'express';
import { z } from 'zod';
import { UNASSIGNED_AREA_ID, UNASSIGNED_AREA_NAME } from '../../shared/constants.js';
import type { DailySeries, SurveySnapshot } from '../../shared/schemas.js';
import { scopeSnapshot } from '../live/area-scopes.js';
import type { SnapshotCache } from '../live/snapshots.js';
import { readDailySeries } from '../store/daily.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem, invalidBody } from './problem.js';
import type { ReadAuthorizer } from './read-routes.js';

export type CsvLocale = 'en' | 'sv';

export interface ExportRouteDeps {
  store: ResponseStore;
  snapshots: SnapshotCache;
  authorize: ReadAuthorizer;
  /** TIMEZONE: the calendar days of `?by=day`. */
  timeZone: string;
}

const querySchema = z
  .object({
    locale: z.enum(['en', 'sv'], { message: 'must be "en" or "sv"' }).default('en'),
    by: z.enum(['area', 'day'], { message: 'must be "area" or "day"' }).default('area'),
  })
  .strict();

const DAY_HEADERS: Record<CsvLocale, { columns: string[]; responses: string; cumulative: string }> = {
  en: { columns: ['date', 'responses', 'cumulative', 'cumulativeRate'], responses: 'responses', cumulative: 'cumulative' },
  sv: { columns: ['datum', 'svar', 'kumulativt', 'kumulativ svarsfrekvens'], responses: 'svar', cumulative: 'kumulativt' },
};

const AREA_HEADERS: Record<CsvLocale, string[]> = {
  en: ['id', 'name', 'distributed', 'responses', 'responseRate', 'target', 'neededToTarget'],
  sv: ['id', 'namn', 'utdelade', 'svar', 'svarsfrekvens', 'mål', 'kvar till mål'],
};

/** Rates are written with this many decimals (0.4567 is 45.67 %). */
const RATE_DECIMALS = 4;

export function exportRoutes({ store, snapshots, authorize, timeZone }: ExportRouteDeps): Router {
  const router = Router();
  const notFound = (surveyId: string) => new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);

  async function dailyOf(surveyId: string): Promise<DailySeries> {
    const survey = await store.getSurvey(surveyId);
    if (!survey) throw notFound(surveyId);
    return readDailySeries(store, survey, { timeZone });
  }

  router.get('/surveys/:id/export.csv', async (req, res) => {
    const { surveyId, areaIds } = await authorize(req, 'stats');
    const query = querySchema.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    const { locale, by } = query.data;
    let csv: string;
    if (by === 'day') {
      csv = dailyCsv(await dailyOf(surveyId), locale, areaIds);
    } else {
      const snapshot = await snapshots.get(surveyId);
      if (!snapshot) throw notFound(surveyId);
      csv = areaCsv(scopeSnapshot(snapshot, areaIds), locale);
    }
    res
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${surveyId}-${by === 'day' ? 'daily' : 'areas'}.csv"`,
        'Cache-Control': 'no-store',
      })
      .send(csv);
  });
  return router;
}

/** One row per area of the snapshot: the figures of the README's export table. */
export function areaCsv(snapshot: SurveySnapshot, locale: CsvLocale): string {
  const indexIds = Object.keys(snapshot.indexNames);
  const header = [...AREA_HEADERS[locale], ...indexIds.map((id) => snapshot.indexNames[id] ?? id)];
  const rows = snapshot.areas.map((area) => [
    area.id,
    area.id === UNASSIGNED_AREA_ID ? UNASSIGNED_AREA_NAME[locale] : area.name,
    area.distributed,
    area.responses,
    rounded(area.responseRate, RATE_DECIMALS),
    area.target,
    area.pace.needed,
    ...indexIds.map((id) => area.indexes[id]?.value ?? null),
  ]);
  return writeCsv([header, ...rows], locale);
}

/**
 * One row per day: the survey's totals, then each area's responses and cumulative count (an
 * area-scoped token's areas only; the totals stay, as in its snapshot).
 */
export function dailyCsv(series: DailySeries, locale: CsvLocale, areaIds?: readonly string[]): string {
  const allowed = areaIds && new Set(areaIds);
  const first = series.days[0];
  const areas = first ? Object.keys(first.areas).filter((id) => !allowed || allowed.has(id)) : [];
  const headers = DAY_HEADERS[locale];
  const header = [...headers.columns, ...areas.flatMap((id) => [`${id} ${headers.responses}`, `${id} ${headers.cumulative}`])];
  const rows = series.days.map((day) => [
    day.date,
    day.responses,
    day.cumulative,
    rounded(day.cumulativeRate, RATE_DECIMALS),
    ...areas.flatMap((id) => [day.areas[id]?.responses ?? 0, day.areas[id]?.cumulative ?? 0]),
  ]);
  return writeCsv([header, ...rows], locale);
}

/** A cell a spreadsheet could run as a formula (=, +, -, @, or a tab or carriage return first) gets a leading '. */
export function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const rounded = (value: number | null, decimals: number) => (value === null ? null : Number(value.toFixed(decimals)));

/**
 * Writes rows with csv-stringify: quoting as needed, CRLF line ends, a BOM. Text is defused;
 * numbers get the locale's decimal sign; null and undefined stay empty.
 */
export function writeCsv(rows: (string | number | null | undefined)[][], locale: CsvLocale): string {
  const cells = rows.map((row) =>
    row.map((cell) => {
      if (cell === null || cell === undefined) return '';
      if (typeof cell === 'number') return locale === 'sv' ? String(cell).replace('.', ',') : String(cell);
      return defuse(cell);
    }),
  );
  return stringify(cells, { bom: true, delimiter: locale === 'sv' ? ';' : ',', record_delimiter: 'windows' });
}
