/**
 * Campaign history over HTTP:
 *   GET  /api/v1/surveys/:id/daily    (read token, `stats` scope) the daily series (store/daily.ts),
 *        with the compareTo survey's curve as `previous`; an area-scoped token sees its areas only.
 *   POST /api/v1/surveys/:id/history  (admin, text/csv) an earlier campaign's responses by day and
 *        area (ingest/history-import.ts); audited as `history.import`.
 */
import express, { Router } from 'express';
import type { DailySeries, Survey } from '../../shared/schemas.js';
import { audit } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import { importHistoryCsv } from '../ingest/history-import.js';
import { previousCurve, readDailySeries } from '../store/daily.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem } from './problem.js';
import type { ReadAuthorizer } from './read-routes.js';

/** The path (below /api/v1) that takes text/csv rather than JSON. */
export const HISTORY_PATH = /^\/surveys\/[^/]+\/history\/?$/;

/** How long a daily series is reused for further requests (a page of widgets loading at once). */
const DAILY_REUSE_MS = 5000;

/** A campaign's file is days × areas lines: larger than a JSON body may be. */
const MIN_HISTORY_BYTES = 2 * 1024 * 1024;

export interface HistoryRouteDeps {
  store: ResponseStore;
  authorize: ReadAuthorizer;
  adminToken: string;
  maxBodyBytes: number;
  /** TIMEZONE: the calendar the days are counted in. */
  timeZone: string;
}

export function historyRoutes({ store, authorize, adminToken, maxBodyBytes, timeZone }: HistoryRouteDeps): Router {
  const router = Router();
  // A page of widgets loading at once asks for the same series: it is read once per DAILY_REUSE_MS.
  const recent = new Map<string, { series: Promise<DailySeries>; builtAt: number }>();
  const dailyOf = (survey: Survey): Promise<DailySeries> => {
    const key = `${survey.id}\n${survey.compareTo ?? ''}`;
    const now = Date.now();
    for (const [old, entry] of recent) if (now - entry.builtAt >= DAILY_REUSE_MS) recent.delete(old);
    const kept = recent.get(key);
    if (kept) return kept.series;
    const series = readDaily(survey, now);
    recent.set(key, { series, builtAt: now });
    series.catch(() => recent.delete(key));
    return series;
  };
  const readDaily = async (survey: Survey, now: number): Promise<DailySeries> => {
    const series = await readDailySeries(store, survey, { timeZone, now });
    const earlier = survey.compareTo ? await store.getSurvey(survey.compareTo) : undefined;
    if (earlier) series.previous = previousCurve(await readDailySeries(store, earlier, { timeZone, now }), earlier.opensAt, earlier.name);
    return series;
  };

  router.get('/surveys/:id/daily', async (req, res) => {
    const { surveyId, areaIds } = await authorize(req, 'stats');
    const survey = await store.getSurvey(surveyId);
    if (!survey) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    const series = await dailyOf(survey);
    res.set('Cache-Control', 'no-store').json(areaIds ? scopeDaily(series, areaIds) : series);
  });

  router.post(
    '/surveys/:id/history',
    requireAdmin(adminToken),
    express.raw({ type: 'text/csv', limit: Math.max(maxBodyBytes, MIN_HISTORY_BYTES) }),
    async (req, res) => {
      const surveyId = req.params.id as string;
      if (!req.is('text/csv')) throw new HttpProblem(415, 'unsupported-media-type', 'Send the history as Content-Type: text/csv');
      const charset = /charset=([^;]+)/i
        .exec(req.headers['content-type'] ?? '')?.[1]
        ?.trim()
        .replace(/"/g, '');
      if (charset && !/^utf-?8$/i.test(charset)) throw new HttpProblem(415, 'unsupported-media-type', `The CSV must be UTF-8, not ${charset}`);
      const survey = await store.getSurvey(surveyId);
      if (!survey) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
      const result = await importHistoryCsv(store, survey, decodeUtf8(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)), { timeZone });
      // Its series, and those of the surveys comparing with it, are read afresh.
      for (const key of recent.keys()) if (key.split('\n').includes(surveyId)) recent.delete(key);
      await audit(res, 'history.import', { surveyId, target: surveyId });
      res.json(result);
    },
  );

  return router;
}

/** The series an area-scoped token sees: the totals, and of the areas only its own (as scopeSnapshot). */
function scopeDaily(series: DailySeries, areaIds: readonly string[]): DailySeries {
  const allowed = new Set(areaIds);
  return {
    ...series,
    days: series.days.map((day) => {
      const areas: DailySeries['days'][number]['areas'] = Object.create(null);
      for (const id of Object.keys(day.areas)) if (allowed.has(id)) areas[id] = day.areas[id]!;
      return { ...day, areas };
    }),
  };
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, 'invalid-body', 'The CSV is not UTF-8 (from Excel, save as "CSV UTF-8")');
  }
}
