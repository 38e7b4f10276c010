/**
 * POST /api/v1/surveys/:id/distribution (admin): the hand-out list as CSV. A header row, then
 * the area (id or name) in the first column and how many surveys were handed out there in the
 * second; ";" or "," separated (whichever the header uses), UTF-8 with or without BOM.
 * `?mode=set` (default) replaces each listed area's `distributed`, `?mode=add` adds to it;
 * `?createAreas=true` creates areas the survey does not have. A file with any bad line changes
 * nothing: the 400 names every bad line and column (the header is line 1).
 */

import express, { Router } from 'express';
import { z } from 'zod';
import { type Area, type Survey, surveySchema } from '../../shared/schemas.js';
import { audit } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import { CsvError, type CsvRecord, readCsvRecords } from '../csv-records.js';
import { areaIdFromName } from '../ingest/platforms/fields.js';
import { putSurveyWithHandOuts } from '../store/hand-outs.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem, invalidBody } from './problem.js';

/** The path (below /api/v1) that takes text/csv rather than JSON. */
export const DISTRIBUTION_PATH = /^\/surveys\/[^/]+\/distribution\/?$/;

const MAX_DISTRIBUTED = 10_000_000;
const MAX_REPORTED_ERRORS = 50;

export interface DistributionRouteDeps {
  store: ResponseStore;
  adminToken: string;
  maxBodyBytes: number;
}

const querySchema = z.object({
  mode: z.enum(['set', 'add'], { message: 'must be "set" or "add"' }).default('set'),
  createAreas: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /** Answers what would change, and changes nothing: the admin page's preview. */
  dryRun: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
});

interface HandOutRow {
  line: number;
  area: string;
  count: number;
}

interface LineError {
  line: number;
  column: number;
  message: string;
}

/** One area's line of the answer: what it was and what it is now. */
export interface DistributionChange {
  line: number;
  areaId: string;
  name: string;
  before: number;
  after: number;
  created: boolean;
}

export function distributionRoutes({ store, adminToken, maxBodyBytes }: DistributionRouteDeps): Router {
  const router = Router();
  router.post('/surveys/:id/distribution', requireAdmin(adminToken), express.raw({ type: 'text/csv', limit: maxBodyBytes }), async (req, res) => {
    const surveyId = req.params.id as string;
    if (!req.is('text/csv')) throw new HttpProblem(415, 'unsupported-media-type', 'Send the hand-out list as Content-Type: text/csv');
    const charset = /charset=([^;]+)/i
      .exec(req.headers['content-type'] ?? '')?.[1]
      ?.trim()
      .replace(/"/g, '');
    if (charset && !/^utf-?8$/i.test(charset)) throw new HttpProblem(415, 'unsupported-media-type', `The CSV must be UTF-8, not ${charset}`);
    const query = querySchema.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    const survey = await store.getSurvey(surveyId);
    if (!survey) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);

    const rows = readHandOutList(decodeUtf8(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)));
    const { updated, changes } = applyHandOuts(survey, rows, query.data.mode, query.data.createAreas);
    const checked = surveySchema.safeParse(updated);
    if (!checked.success) throw invalidBody(checked.error, 'survey');
    if (!query.data.dryRun) {
      await putSurveyWithHandOuts(store, checked.data, survey);
      await audit(res, 'distribution.import', { surveyId, target: surveyId });
    }

    const total = (areas: Area[]) => areas.reduce((sum, area) => sum + area.distributed, 0);
    res.json({
      surveyId,
      mode: query.data.mode,
      applied: !query.data.dryRun,
      distributed: { before: total(survey.areas), after: total(checked.data.areas) },
      changed: changes.filter((change) => change.created || change.before !== change.after),
      unchanged: changes.filter((change) => !change.created && change.before === change.after).map((change) => change.areaId),
    });
  });
  return router;
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new HttpProblem(400, 'invalid-body', 'The CSV is not UTF-8 (from Excel, save as "CSV UTF-8")');
  }
}

/** Parses the hand-out list into rows, or throws a 400 naming every bad line and column. */
export function readHandOutList(text: string): HandOutRow[] {
  if (text.trim() === '') throw lineProblem([{ line: 1, column: 1, message: 'the file is empty; expected a header row, then one area and count per line' }]);
  let records: CsvRecord[];
  try {
    records = readCsvRecords(text);
  } catch (error) {
    if (error instanceof CsvError) {
      const context = error as CsvError & { lines?: number; index?: number };
      throw lineProblem([{ line: context.lines ?? 1, column: (context.index ?? 0) + 1, message: error.message.replace(/^[^:]*:\s*/, '') }]);
    }
    throw error;
  }
  const [header, ...data] = records;
  if (header && parseCount(header.record[1] ?? '') !== undefined) {
    throw lineProblem([{ line: header.info.lines, column: 2, message: 'line 1 must be a header (e.g. "område;antal"), but it holds a count' }]);
  }
  if (data.length === 0) throw lineProblem([{ line: 2, column: 1, message: 'no areas after the header row' }]);

  const errors: LineError[] = [];
  const rows: HandOutRow[] = [];
  for (const { record, info } of data) {
    const line = info.lines;
    const area = record[0] ?? '';
    const countText = record[1] ?? '';
    if (area === '') errors.push({ line, column: 1, message: 'the area is empty' });
    const count = parseCount(countText);
    if (countText === '') errors.push({ line, column: 2, message: 'the count is missing' });
    else if (count === undefined) errors.push({ line, column: 2, message: `"${countText.slice(0, 40)}" is not a whole number of surveys` });
    else if (count > MAX_DISTRIBUTED) errors.push({ line, column: 2, message: `${count} is more than ${MAX_DISTRIBUTED}` });
    if (area !== '' && count !== undefined && count <= MAX_DISTRIBUTED) rows.push({ line, area, count });
  }
  if (errors.length > 0) throw lineProblem(errors);
  return rows;
}

/** A count as people write it: "1200", "1 200" (Swedish thousands), never a fraction or negative. */
function parseCount(text: string): number | undefined {
  const digits = text.replace(/[\s\u00a0\u202f]/g, '');
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
}

const foldName = (name: string) => name.normalize('NFC').trim().toLocaleLowerCase('sv');

/** Applies the rows to the survey's areas; throws a 400 naming every line whose area cannot be used. */
function applyHandOuts(survey: Survey, rows: HandOutRow[], mode: 'set' | 'add', createAreas: boolean): { updated: Survey; changes: DistributionChange[] } {
  const areas = survey.areas.map((area) => ({ ...area }));
  // Looked up by id, folded name and lower-case id through Maps, each filled once: a scan of
  // every area per line (with the costly folding) made a 2,000-line file block the loop for seconds.
  const byId = new Map<string, Area>();
  const byName = new Map<string, Area>();
  const byLowerId = new Map<string, Area>();
  const index = (area: Area) => {
    byId.set(area.id, area);
    const name = foldName(area.name);
    if (!byName.has(name)) byName.set(name, area);
    const lower = area.id.toLowerCase();
    if (!byLowerId.has(lower)) byLowerId.set(lower, area);
  };
  for (const area of areas) index(area);
  const findArea = (value: string) => {
    const folded = foldName(value);
    return byId.get(value) ?? byName.get(folded) ?? byLowerId.get(folded);
  };
  const errors: LineError[] = [];
  const changes = new Map<string, DistributionChange>();
  for (const row of rows) {
    let area = findArea(row.area);
    let created = false;
    if (!area) {
      if (!createAreas) {
        errors.push({
          line: row.line,
          column: 1,
          message: `survey "${survey.id}" has no area "${row.area}" (by id or name); add ?createAreas=true to create it`,
        });
        continue;
      }
      const id = uniqueAreaId(areaIdFromName(row.area), byId);
      if (!id) {
        errors.push({ line: row.line, column: 1, message: `cannot make an area id from "${row.area}"; use letters or digits` });
        continue;
      }
      area = { id, name: row.area.slice(0, 200), distributed: 0 };
      areas.push(area);
      index(area);
      created = true;
    }
    const earlier = changes.get(area.id);
    if (earlier && mode === 'set') {
      errors.push({ line: row.line, column: 1, message: `area "${area.id}" is already set on line ${earlier.line}` });
      continue;
    }
    const before = earlier?.before ?? area.distributed;
    area.distributed = mode === 'set' ? row.count : area.distributed + row.count;
    if (area.distributed > MAX_DISTRIBUTED)
      errors.push({ line: row.line, column: 2, message: `area "${area.id}" would have ${area.distributed}, more than ${MAX_DISTRIBUTED}` });
    changes.set(area.id, {
      line: earlier?.line ?? row.line,
      areaId: area.id,
      name: area.name,
      before,
      after: area.distributed,
      created: created || (earlier?.created ?? false),
    });
  }
  if (errors.length > 0) throw lineProblem(errors);
  return { updated: { ...survey, areas }, changes: [...changes.values()] };
}

function uniqueAreaId(base: string | undefined, taken: ReadonlyMap<string, Area>): string | undefined {
  if (!base) return undefined;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const id = `${base.slice(0, 95)}-${n}`;
    if (!taken.has(id)) return id;
  }
}

function lineProblem(errors: LineError[]): HttpProblem {
  const reported = errors.slice(0, MAX_REPORTED_ERRORS).map((e) => ({ path: `line ${e.line}, column ${e.column}`, message: e.message }));
  const detail = reported
    .slice(0, 3)
    .map((e) => `${e.path.replace(/^l/, 'L')}: ${e.message}`)
    .join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return new HttpProblem(400, 'invalid-body', `${detail}${more}. Nothing was changed.`, { errors: reported });
}
