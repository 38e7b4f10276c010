/**
 * Earlier campaigns that ran before survey-live: their responses by day and area, imported from
 * a CSV (`date;areaId;responses` with a header) into a survey's counts (POST …/history, and the
 * demo's last year). The same forgiving reader as the hand-out lists: UTF-8 with or without BOM,
 * ";" or ",", areas by id or by name (Swedish letters, any case), counts written "1 200"; a file
 * with any bad line changes nothing, and the error names every bad line and column (the header
 * is line 1). A new import replaces the earlier imported counts of the days it names.
 */
import type { HistoryImportResult } from '../../shared/admin.js';
import type { Area, Survey } from '../../shared/schemas.js';
import { CsvError, type CsvRecord, readCsvRecords } from '../csv-records.js';
import { isCalendarDate, localDate } from '../store/daily.js';
import type { ImportedDayCount, ResponseStore } from '../store/response-store.js';
import { type FieldError, InvalidInputError } from './errors.js';

/** More responses than this on one day in one area is a typo, not a campaign. */
export const MAX_DAY_RESPONSES = 1_000_000;
const MAX_REPORTED_ERRORS = 50;

/** Reads, checks and imports a history CSV into the survey; throws InvalidInputError (nothing changed) for a bad file. */
export async function importHistoryCsv(
  store: Pick<ResponseStore, 'importHistory'>,
  survey: Survey,
  text: string,
  { timeZone, now = Date.now() }: { timeZone: string; now?: number },
): Promise<HistoryImportResult> {
  const counts = readHistoryCsv(text, survey, localDate(now, timeZone));
  const change = await store.importHistory(survey.id, counts);
  return {
    surveyId: survey.id,
    rows: counts.length,
    days: [...new Set(counts.map((count) => count.date))].sort(),
    responses: counts.reduce((sum, count) => sum + count.responses, 0),
    change,
  };
}

/** The file's rows as imported counts, areas resolved to the survey's ids; throws InvalidInputError naming every bad line. */
export function readHistoryCsv(text: string, survey: Pick<Survey, 'id' | 'areas'>, today: string): ImportedDayCount[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '')
    throw lineErrors([
      { path: 'line 1, column 1', message: 'the file is empty; expected a header row (date;areaId;responses), then one line per day and area' },
    ]);
  let records: CsvRecord[];
  try {
    records = readCsvRecords(body);
  } catch (error) {
    if (error instanceof CsvError) {
      const context = error as CsvError & { lines?: number; index?: number };
      throw lineErrors([{ path: `line ${context.lines ?? 1}, column ${(context.index ?? 0) + 1}`, message: error.message.replace(/^[^:]*:\s*/, '') }]);
    }
    throw error;
  }
  const [header, ...data] = records;
  if (header && isCalendarDate(header.record[0] ?? '')) {
    throw lineErrors([{ path: `line ${header.info.lines}, column 1`, message: 'line 1 must be a header (e.g. "datum;område;svar"), but it holds a date' }]);
  }
  if (data.length === 0) throw lineErrors([{ path: 'line 2, column 1', message: 'no days after the header row' }]);

  const findArea = areaFinder(survey.areas);
  const errors: FieldError[] = [];
  const at = (line: number, column: number, message: string) => errors.push({ path: `line ${line}, column ${column}`, message });
  const seen = new Map<string, number>();
  const counts: ImportedDayCount[] = [];
  for (const { record, info } of data) {
    const line = info.lines;
    const [date = '', areaText = '', countText = ''] = record;
    const before = errors.length;
    if (date === '') at(line, 1, 'the date is missing');
    else if (!isCalendarDate(date)) at(line, 1, `"${clip(date)}" is not a date written YYYY-MM-DD`);
    else if (date > today) at(line, 1, `${date} is after today (${today})`);
    const area = areaText === '' ? undefined : findArea(areaText);
    if (areaText === '') at(line, 2, 'the area is missing');
    else if (!area) at(line, 2, `survey "${survey.id}" has no area "${clip(areaText)}" (by id or name)`);
    const responses = parseCount(countText);
    if (countText === '') at(line, 3, 'the number of responses is missing');
    else if (responses === undefined) at(line, 3, `"${clip(countText)}" is not a whole number of responses`);
    else if (responses > MAX_DAY_RESPONSES) at(line, 3, `${responses} is more than ${MAX_DAY_RESPONSES} responses in a day`);
    if (errors.length > before || !area || responses === undefined) continue;
    const key = `${date}\n${area.id}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      at(line, 2, `${date} in area "${area.id}" is already on line ${earlier}`);
      continue;
    }
    seen.set(key, line);
    counts.push({ date, areaKey: area.id, responses });
  }
  if (errors.length > 0) throw lineErrors(errors);
  return counts;
}

const clip = (text: string) => text.slice(0, 40);

/** A count as people write it: "1200", "1 200" (Swedish thousands), never a fraction or negative. */
function parseCount(text: string): number | undefined {
  const digits = text.replace(/[\s\u00a0\u202f]/g, '');
  return /^\d{1,9}$/.test(digits) ? Number(digits) : undefined;
}

const foldName = (name: string) => name.normalize('NFC').trim().toLocaleLowerCase('sv');

/** The survey's area a cell names: by id, by name (any case, composed or not), by id in any case. */
function areaFinder(areas: readonly Area[]): (value: string) => Area | undefined {
  const byId = new Map<string, Area>();
  const byName = new Map<string, Area>();
  const byLowerId = new Map<string, Area>();
  for (const area of areas) {
    byId.set(area.id, area);
    if (!byName.has(foldName(area.name))) byName.set(foldName(area.name), area);
    if (!byLowerId.has(area.id.toLowerCase())) byLowerId.set(area.id.toLowerCase(), area);
  }
  return (value) => byId.get(value) ?? byName.get(foldName(value)) ?? byLowerId.get(foldName(value));
}

/** Every bad line in one error, the first three in its message. */
function lineErrors(errors: FieldError[]): InvalidInputError {
  const reported = errors.slice(0, MAX_REPORTED_ERRORS);
  const detail = reported
    .slice(0, 3)
    .map((e) => `${e.path.replace(/^l/, 'L')}: ${e.message}`)
    .join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return new InvalidInputError(`${detail}${more}. Nothing was changed.`, reported);
}
