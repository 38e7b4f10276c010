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
import { EVENT_KINDS, idSchema, responseDataSchema, type Survey, type SurveyEvent, surveySchema } from '../../shared/schemas.js';
import {
  DISTRIBUTION_HISTORY_LIMIT,
  type DistributionRecord,
  emptyCounts,
  type IndexSum,
  indexSumOf,
  type LateResponse,
  type StoredText,
  type SurveyCounts,
  type UnmatchedResponse,
} from './response-store.js';

/** Reminder rounds kept per survey: markers on a timeline, a few per campaign; the bound keeps one survey from filling the store. */
export const MAX_EVENTS_PER_SURVEY = 200;

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
  /** Per index and area: the running sums and the published ones (index values move in steps). */
  indexSums: ({ indexId: string; areaKey: string } & IndexSum)[];
  /** Per index, the same over the whole survey. */
  surveyIndexSums: ({ indexId: string } & IndexSum)[];
  /** Area, channel and responses (per-area channel counts). */
  byAreaChannel?: [string, string, number][];
  /** Area, hour start (epoch ms) and responses: the last hours the per-area pace reads. */
  byAreaHour?: [string, number, number][];
  /** Responses kept as late, in all and by area. */
  late?: number;
  lateByArea?: [string, number][];
}

export interface SurveyExport {
  survey: Survey;
  counts: ExportedCounts;
  /** Kept free-text answers, newest first, with status and areaHidden as stored. */
  texts: StoredText[];
  /** Every response id counted: a retry of one of them after a restore is a duplicate. */
  responseIds: string[];
  /** Responses received after closesAt, kept to count if the survey reopens. */
  late?: LateResponse[];
  /** Reminder rounds, oldest first. */
  events?: SurveyEvent[];
  /** Area, hour start (epoch ms) and responses over the survey's whole life (ResponseStore.hourlyByArea). */
  hourlyByArea?: [string, number, number][];
  /** The hand-out figures as they changed, oldest first (ResponseStore.distributionHistory). */
  distributionHistory?: ExportedDistribution[];
  /** Date, area and responses of imported earlier campaigns (ResponseStore.importedByDay); already in `counts`. */
  importedByDay?: [string, string, number][];
}

export interface ExportedDistribution {
  at: string;
  /** Area id and distributed. */
  areas: [string, number][];
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
const indexSumShape = { sum: z.number().finite(), n: count, publishedSum: z.number().finite(), publishedN: count };
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
        indexSums: z.array(z.object({ indexId: idSchema, areaKey: z.string().min(1).max(100), ...indexSumShape }).strict()),
        surveyIndexSums: z.array(z.object({ indexId: idSchema, ...indexSumShape }).strict()),
        byAreaChannel: z.array(z.tuple([z.string().min(1).max(100), z.string().min(1).max(100), count])).optional(),
        byAreaHour: z.array(z.tuple([z.string().min(1).max(100), epochMs, count])).optional(),
        late: count.optional(),
        lateByArea: z.array(z.tuple([z.string().min(1).max(100), count])).optional(),
      })
      .strict(),
    texts: z.array(textSchema),
    responseIds: z.array(z.string().min(1).max(200)),
    late: z.array(z.object({ data: responseDataSchema, receivedAt: z.string().max(40), areaKey: z.string().min(1).max(100) }).strict()).optional(),
    events: z
      .array(
        z
          .object({
            id: z.string().min(1).max(100),
            at: z.iso.datetime({ offset: true }),
            kind: z.enum(EVENT_KINDS),
            label: z.string().min(1).max(120),
            areaIds: z.array(idSchema).min(1).max(1000).optional(),
          })
          .strict(),
      )
      .max(MAX_EVENTS_PER_SURVEY)
      .optional(),
    hourlyByArea: z.array(z.tuple([z.string().min(1).max(100), epochMs, count])).optional(),
    distributionHistory: z
      .array(z.object({ at: z.iso.datetime({ offset: true }), areas: z.array(z.tuple([idSchema, count])) }).strict())
      .max(DISTRIBUTION_HISTORY_LIMIT)
      .optional(),
    importedByDay: z.array(z.tuple([z.iso.date(), z.string().min(1).max(100), count])).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const eventIds = new Set<string>();
    for (const [i, event] of (entry.events ?? []).entries()) {
      if (eventIds.has(event.id)) ctx.addIssue({ code: 'custom', path: ['events', i, 'id'], message: `duplicate event id "${event.id}"` });
      eventIds.add(event.id);
    }
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

const byKey = <K extends string | number>(a: [K, number], b: [K, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** A store's counters as the export's pairs (sorted, so equal counts give equal files). */
export function exportCounts(counts: SurveyCounts): ExportedCounts {
  const indexSums: ExportedCounts['indexSums'] = [];
  for (const [indexId, perArea] of counts.indexSums) for (const [areaKey, sum] of perArea) indexSums.push({ indexId, areaKey, ...sum });
  indexSums.sort((a, b) => `${a.indexId}:${a.areaKey}`.localeCompare(`${b.indexId}:${b.areaKey}`));
  const surveyIndexSums = [...counts.surveyIndexSums].map(([indexId, sum]) => ({ indexId, ...sum })).sort((a, b) => a.indexId.localeCompare(b.indexId));
  return {
    responses: counts.responses,
    lastReceivedAt: counts.lastReceivedAt,
    byArea: [...counts.byArea].sort(byKey),
    byChannel: [...counts.byChannel].sort(byKey),
    byHour: [...counts.byHour].sort(byKey),
    byMinute: [...counts.byMinute].sort(byKey),
    indexSums,
    surveyIndexSums,
    byAreaChannel: [...counts.byAreaChannel]
      .flatMap(([area, channels]) => [...channels].map(([channel, n]): [string, string, number] => [area, channel, n]))
      .sort((a, b) => `${a[0]}:${a[1]}`.localeCompare(`${b[0]}:${b[1]}`)),
    byAreaHour: [...counts.byAreaHour]
      .flatMap(([area, hours]) => [...hours].map(([hour, n]): [string, number, number] => [area, hour, n]))
      .sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0].localeCompare(b[0]))),
    late: counts.late,
    lateByArea: [...counts.lateByArea].sort(byKey),
  };
}

/** The export's pairs back as a store's counters. */
export function importCounts(exported: ExportedCounts): SurveyCounts {
  const counts = emptyCounts();
  counts.responses = exported.responses;
  counts.lastReceivedAt = exported.lastReceivedAt;
  for (const [area, n] of exported.byArea) counts.byArea.set(area, n);
  for (const [channel, n] of exported.byChannel) counts.byChannel.set(channel, n);
  for (const [hour, n] of exported.byHour) counts.byHour.set(hour, n);
  for (const [minute, n] of exported.byMinute) counts.byMinute.set(minute, n);
  for (const { indexId, areaKey, sum, n, publishedSum, publishedN } of exported.indexSums) {
    Object.assign(indexSumOf(counts, indexId, areaKey), { sum, n, publishedSum, publishedN });
  }
  for (const { indexId, sum, n, publishedSum, publishedN } of exported.surveyIndexSums)
    counts.surveyIndexSums.set(indexId, { sum, n, publishedSum, publishedN });
  for (const [area, channel, n] of exported.byAreaChannel ?? []) inner(counts.byAreaChannel, area).set(channel, n);
  for (const [area, hour, n] of exported.byAreaHour ?? []) inner(counts.byAreaHour, area).set(hour, n);
  counts.late = exported.late ?? 0;
  for (const [area, n] of exported.lateByArea ?? []) counts.lateByArea.set(area, n);
  return counts;
}

/** Area -> hour -> responses as sorted triples (equal counts give equal files). */
export function exportHourly(hourly: Map<string, Map<number, number>>): [string, number, number][] {
  return [...hourly]
    .flatMap(([area, hours]) => [...hours].map(([hour, n]): [string, number, number] => [area, hour, n]))
    .sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0].localeCompare(b[0])));
}

export function importHourly(triples: [string, number, number][]): Map<string, Map<number, number>> {
  const hourly = new Map<string, Map<number, number>>();
  for (const [area, hour, n] of triples) inner(hourly, area).set(hour, n);
  return hourly;
}

export function exportDistribution(history: DistributionRecord[]): ExportedDistribution[] {
  return history.map((record) => ({ at: record.at, areas: [...record.areas] }));
}

export function importDistribution(history: ExportedDistribution[]): DistributionRecord[] {
  return history.map((record) => ({ at: record.at, areas: new Map(record.areas) }));
}

/** Date -> area -> responses as sorted triples. */
export function exportImported(imported: Map<string, Map<string, number>>): [string, string, number][] {
  return [...imported]
    .flatMap(([date, areas]) => [...areas].map(([area, n]): [string, string, number] => [date, area, n]))
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

export function importImported(triples: [string, string, number][]): Map<string, Map<string, number>> {
  const imported = new Map<string, Map<string, number>>();
  for (const [date, area, n] of triples) inner(imported, date).set(area, n);
  return imported;
}

function inner<K>(outer: Map<string, Map<K, number>>, key: string): Map<K, number> {
  const found = outer.get(key) ?? new Map<K, number>();
  outer.set(key, found);
  return found;
}

/** The unmatched responses that belong with these surveys: kept under their id, or under a platform id their sources name. */
export function unmatchedOf(surveys: Survey[], unmatched: UnmatchedResponse[]): UnmatchedResponse[] {
  const ids = new Set(surveys.flatMap((survey) => [survey.id, ...(survey.sources ?? []).map((source) => `${source.platform}.${source.externalId}`)]));
  return unmatched.filter((kept) => ids.has(kept.data.surveyId));
}
