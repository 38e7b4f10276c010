/**
 * Reads an export to replay into ResponseData, one entry per line: NDJSON (native webhook bodies
 * or their `data` objects) or CSV (`responseId, surveyId, areaId, channel, submittedAt`, then one
 * column per question id). A line that cannot be a response is kept with its reason, so the
 * summary can name it.
 */
import { CsvError, type CsvRecord, readCsvRecords } from '../server/csv-records.js';
import { type Answer, idSchema, type ResponseData, responseDataSchema } from '../shared/schemas.js';
import { CliError } from './errors.js';

export interface ReplayLine {
  /** 1-based line in the file (for CSV, the header is line 1). */
  line: number;
  data?: ResponseData;
  /** Why the line is not a response. */
  error?: string;
}

const BASE_COLUMNS = ['responseId', 'surveyId', 'areaId', 'channel', 'submittedAt'] as const;
const NUMBER = /^-?\d{1,6}(?:[.,]\d{1,6})?$/;

export function readReplayLines(text: string, format: 'ndjson' | 'csv'): ReplayLine[] {
  return format === 'csv' ? readCsv(text.replace(/^\uFEFF/, '')) : readNdjson(text);
}

function checked(line: number, data: unknown): ReplayLine {
  const parsed = responseDataSchema.safeParse(data);
  if (parsed.success) return { line, data: parsed.data };
  const issue = parsed.error.issues[0];
  return { line, error: `${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'not a response'}` };
}

function readNdjson(text: string): ReplayLine[] {
  const lines: ReplayLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      lines.push({ line: i + 1, error: `not JSON: ${(error as Error).message}` });
      return;
    }
    // A native webhook body carries the response in `data`; a bare line is the response itself.
    const body = json as { type?: unknown; data?: unknown };
    lines.push(checked(i + 1, body && typeof body === 'object' && 'type' in body && 'data' in body ? body.data : json));
  });
  return lines;
}

function readCsv(text: string): ReplayLine[] {
  let records: CsvRecord[];
  try {
    records = readCsvRecords(text);
  } catch (error) {
    if (error instanceof CsvError) throw new CliError(`The CSV cannot be read: ${error.message}`);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) return [];
  const columns = header.record;
  const missing = ['responseId', 'surveyId'].filter((name) => !columns.includes(name));
  if (missing.length > 0)
    throw new CliError(`Line 1: the CSV header needs the columns ${missing.join(', ')} (then areaId, channel, submittedAt and one per question id)`);
  const badQuestion = columns.find((name) => !(BASE_COLUMNS as readonly string[]).includes(name) && !idSchema.safeParse(name).success);
  if (badQuestion !== undefined) throw new CliError(`Line 1: "${badQuestion}" is not a question id`);

  return rows.map(({ record, info }) => {
    const cell = (name: string) => record[columns.indexOf(name)] ?? '';
    const submitted = cell('submittedAt');
    const submittedMs = submitted ? Date.parse(submitted) : Number.NaN;
    if (submitted && !Number.isFinite(submittedMs)) return { line: info.lines, error: `submittedAt: "${submitted}" is not a date and time` };
    const answers: Answer[] = [];
    columns.forEach((name, i) => {
      const value = record[i] ?? '';
      if ((BASE_COLUMNS as readonly string[]).includes(name) || value === '') return;
      answers.push(NUMBER.test(value) ? { questionId: name, value: Number(value.replace(',', '.')) } : { questionId: name, text: value });
    });
    return checked(info.lines, {
      responseId: cell('responseId'),
      surveyId: cell('surveyId'),
      ...(cell('areaId') ? { areaId: cell('areaId') } : {}),
      ...(cell('channel') ? { channel: cell('channel') } : {}),
      ...(submitted ? { submittedAt: new Date(submittedMs).toISOString() } : {}),
      answers,
    });
  });
}
