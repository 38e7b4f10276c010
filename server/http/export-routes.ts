/**
 * GET /api/v1/surveys/:id/export.csv (read token, `stats` scope): the survey's figures for a
 * spreadsheet, one row per area, from the same snapshot widgets get (an area-scoped token gets
 * only its areas). Index values only where small-group protection shows them; an empty cell
 * where the snapshot has null. UTF-8 with a BOM, so Excel reads "Strandängen" right;
 * `?locale=sv` writes Swedish headers, ";" between cells and decimal commas (what Excel expects
 * on a Swedish computer), the default English headers, "," and points.
 */
import { stringify } from 'csv-stringify/sync';
import { Router } from 'express';
import { z } from 'zod';
import type { SurveySnapshot } from '../../shared/schemas.js';
import { scopeSnapshot } from '../live/area-scopes.js';
import type { SnapshotCache } from '../live/snapshots.js';
import { HttpProblem, invalidBody } from './problem.js';
import type { ReadAuthorizer } from './read-routes.js';

export type CsvLocale = 'en' | 'sv';

export interface ExportRouteDeps {
  snapshots: SnapshotCache;
  authorize: ReadAuthorizer;
}

const querySchema = z
  .object({
    locale: z.enum(['en', 'sv'], { message: 'must be "en" or "sv"' }).default('en'),
    by: z.enum(['area'], { message: 'must be "area"' }).default('area'),
  })
  .strict();

const AREA_HEADERS: Record<CsvLocale, string[]> = {
  en: ['id', 'name', 'distributed', 'responses', 'responseRate', 'target', 'neededToTarget'],
  sv: ['id', 'namn', 'utdelade', 'svar', 'svarsfrekvens', 'mål', 'kvar till mål'],
};

/** Rates are written with this many decimals (0.4567 is 45.67 %). */
const RATE_DECIMALS = 4;

export function exportRoutes({ snapshots, authorize }: ExportRouteDeps): Router {
  const router = Router();
  router.get('/surveys/:id/export.csv', async (req, res) => {
    const { surveyId, areaIds } = await authorize(req, 'stats');
    const query = querySchema.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    const snapshot = await snapshots.get(surveyId);
    if (!snapshot) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    const csv = areaCsv(scopeSnapshot(snapshot, areaIds), query.data.locale);
    res
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${surveyId}-areas.csv"`,
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
    area.name,
    area.distributed,
    area.responses,
    rounded(area.responseRate, RATE_DECIMALS),
    area.target,
    area.pace.needed,
    ...indexIds.map((id) => area.indexes[id]?.value ?? null),
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
