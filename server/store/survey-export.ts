/**
 * A survey's full state as plain JSON: what `survey-live backup` writes and `restore` reads, and
 * what ResponseStore.exportSurvey / importSurvey hand over. Independent of how a store keeps it:
 * counters travel as [key, value] pairs (keys are senders' ids: data, never object keys), texts
 * with their release and moderation state, and the response ids that keep a replay after a
 * restore from counting anything twice. The format is documented in README (Backup and restore).
 *
 * Adding a part: an optional field here (and in surveyExportSchema), written by both stores'
 * exportSurvey and read by their importSurvey; files without it still restore.
 */
import { z } from 'zod';
import { idSchema, responseDataSchema, type Survey, surveySchema } from '../../shared/schemas.js';
import { emptyCounts, type IndexSum, indexSumOf, type StoredText, type SurveyCounts, type UnmatchedResponse } from './response-store.js';

export const BACKUP_FORMAT = 'survey-live-backup';
/** Bumped when a reader of an older version could not read the file; parts added as optional fields keep it. */
export const BACKUP_VERSION = 1;

export interface ExportedCounts {
  responses: number;
  lastReceivedAt: number;
  byArea: [string, number][];
  byChannel: [string, number][];
  /** Hour start (epoch ms) and responses. */
  byHour: [number, number][];
  /** Minute start (epoch ms) and responses, last hour only. */
  byMinute: [number, number][];
  indexSums: { indexId: string; areaKey: string; sum: number; n: number }[];
}

export interface SurveyExport {
  survey: Survey;
  counts: ExportedCounts;
  /** Kept free-text answers, newest first, with status and areaHidden as stored. */
  texts: StoredText[];
  /** Every response id counted: a retry of one of them after a restore is a duplicate. */
  responseIds: string[];
}

export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  surveys: SurveyExport[];
  /** Responses kept for surveys not defined (yet). */
  unmatched: UnmatchedResponse[];
}

// Pairs of unknown counters would be data anyone with a backup could edit: checked as strictly as input.
const count = z.number().int().min(0);
const epochMs = z.number().int().min(0);
const textSchema = z
  .object({
    id: z.string().min(1).max(100),
    surveyId: idSchema,
    areaId: z.string().min(1).max(100),
    questionId: idSchema,
    text: z.string().max(10_000),
    receivedAt: z.string().max(40),
    responseId: z.string().min(1).max(200),
    status: z.enum(['pending', 'approved']).optional(),
    areaHidden: z.boolean().optional(),
  })
  .strict();

export const surveyExportSchema = z
  .object({
    survey: surveySchema,
    counts: z
      .object({
        responses: count,
        lastReceivedAt: epochMs,
        byArea: z.array(z.tuple([z.string().min(1).max(100), count])),
        byChannel: z.array(z.tuple([z.string().min(1).max(100), count])),
        byHour: z.array(z.tuple([epochMs, count])),
        byMinute: z.array(z.tuple([epochMs, count])),
        indexSums: z.array(z.object({ indexId: idSchema, areaKey: z.string().min(1).max(100), sum: z.number().finite(), n: count }).strict()),
      })
      .strict(),
    texts: z.array(textSchema),
    responseIds: z.array(z.string().min(1).max(200)),
  })
  .strict()
  .superRefine((entry, ctx) => {
    for (const [i, text] of entry.texts.entries()) {
      if (text.surveyId !== entry.survey.id) ctx.addIssue({ code: 'custom', path: ['texts', i, 'surveyId'], message: `must be "${entry.survey.id}"` });
    }
  });

export const backupFileSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.number().int().min(1).max(BACKUP_VERSION, `this server reads backup versions up to ${BACKUP_VERSION}; upgrade it first`),
    createdAt: z.string(),
    surveys: z.array(surveyExportSchema),
    unmatched: z.array(z.object({ data: responseDataSchema, receivedAt: z.string().max(40) }).strict()),
  })
  .strict();

const pairs = <K extends string | number>(record: Readonly<Record<string, number>> | ReadonlyMap<K, number>, key: (raw: string | K) => K) =>
  (record instanceof Map ? [...record] : Object.entries(record))
    .map(([k, v]) => [key(k), v] as [K, number])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

/** A store's counters as the export's pairs (sorted, so equal counts give equal files). */
export function exportCounts(counts: SurveyCounts): ExportedCounts {
  const indexSums: ExportedCounts['indexSums'] = [];
  const perIndex: Iterable<[string, Readonly<Record<string, IndexSum>> | ReadonlyMap<string, IndexSum>]> =
    counts.indexSums instanceof Map ? counts.indexSums : Object.entries(counts.indexSums);
  for (const [indexId, perArea] of perIndex) {
    for (const [areaKey, { sum, n }] of perArea instanceof Map ? perArea : Object.entries(perArea)) indexSums.push({ indexId, areaKey, sum, n });
  }
  indexSums.sort((a, b) => `${a.indexId}:${a.areaKey}`.localeCompare(`${b.indexId}:${b.areaKey}`));
  return {
    responses: counts.responses,
    lastReceivedAt: counts.lastReceivedAt,
    byArea: pairs(counts.byArea, String),
    byChannel: pairs(counts.byChannel, String),
    byHour: pairs(counts.byHour, Number),
    byMinute: pairs(counts.byMinute, Number),
    indexSums,
  };
}

/** The export's pairs back as a store's counters. */
export function importCounts(exported: ExportedCounts): SurveyCounts {
  const counts = emptyCounts();
  const put = (target: Record<string, number> | Map<string | number, number>, key: string | number, value: number) => {
    if (target instanceof Map) target.set(key, value);
    else target[key] = value;
  };
  counts.responses = exported.responses;
  counts.lastReceivedAt = exported.lastReceivedAt;
  for (const [area, n] of exported.byArea) put(counts.byArea, area, n);
  for (const [channel, n] of exported.byChannel) put(counts.byChannel, channel, n);
  for (const [hour, n] of exported.byHour) put(counts.byHour, hour, n);
  for (const [minute, n] of exported.byMinute) put(counts.byMinute, minute, n);
  for (const { indexId, areaKey, sum, n } of exported.indexSums) Object.assign(indexSumOf(counts, indexId, areaKey), { sum, n });
  return counts;
}

/** The unmatched responses that belong with these surveys: kept under their id, or under a platform id their sources name. */
export function unmatchedOf(surveys: Survey[], unmatched: UnmatchedResponse[]): UnmatchedResponse[] {
  const ids = new Set(surveys.flatMap((survey) => [survey.id, ...(survey.sources ?? []).map((source) => `${source.platform}.${source.externalId}`)]));
  return unmatched.filter((kept) => ids.has(kept.data.surveyId));
}
