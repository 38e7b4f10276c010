/**
 * Backup and restore over the admin API (the `survey-live backup` and `restore` commands):
 *   GET  /api/v1/backup[?survey=<id>]       the backup file (survey-export.ts), every survey or one
 *   POST /api/v1/restore[?replace=true]     loads one; 409 (nothing written) when a survey in it is
 *                                           defined here and replace is not asked for
 * A backup holds free text and response ids: admin only, never cached.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { idSchema, type Survey } from '../../shared/schemas.js';
import { audit } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import { sourceClash } from '../ingest/platforms/sources.js';
import type { ResponseStore, UnmatchedResponse } from '../store/response-store.js';
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupFile, backupFileSchema, type SurveyExport, unmatchedOf } from '../store/survey-export.js';
import { HttpProblem, invalidBody } from './problem.js';

/** A backup carries every kept text (up to TEXT_LIMIT of 5,000 characters) and every response id of its surveys. */
export const RESTORE_MAX_BYTES = 256 * 1024 * 1024;

const backupQuerySchema = z.object({ survey: idSchema.optional() }).strict();
const restoreQuerySchema = z.object({ replace: z.enum(['true', 'false']).optional() }).strict();

export function backupRoutes({ store, adminToken }: { store: ResponseStore; adminToken: string }): Router {
  const router = Router();
  const admin = requireAdmin(adminToken);

  router.get('/backup', admin, async (req, res) => {
    const query = backupQuerySchema.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    const ids = query.data.survey ? [query.data.survey] : (await store.listSurveys()).map((survey) => survey.id);
    const surveys: SurveyExport[] = [];
    for (const id of ids) {
      const exported = await store.exportSurvey(id);
      if (exported) surveys.push(exported);
      else if (query.data.survey) throw new HttpProblem(404, 'not-found', `Survey "${id}" is not defined`);
    }
    const unmatched = await store.listUnmatched();
    const file: BackupFile = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      surveys,
      unmatched: query.data.survey
        ? unmatchedOf(
            surveys.map((entry) => entry.survey),
            unmatched,
          )
        : unmatched,
    };
    // A backup holds every kept text: who took one is worth knowing.
    for (const entry of surveys) await audit(res, 'survey.backup', { surveyId: entry.survey.id, target: entry.survey.id });
    res.setHeader('Cache-Control', 'no-store');
    res.json(file);
  });

  // Its own body limit, parsed only once the admin token checked out.
  router.post('/restore', admin, express.json({ limit: RESTORE_MAX_BYTES }), async (req, res) => {
    const query = restoreQuerySchema.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    const parsed = backupFileSchema.safeParse(req.body);
    if (!parsed.success) throw invalidBody(parsed.error);
    const file = parsed.data as BackupFile;
    const replace = query.data.replace === 'true';
    const ids = file.surveys.map((entry) => entry.survey.id);
    if (new Set(ids).size !== ids.length) throw new HttpProblem(400, 'invalid-body', 'surveys: a survey appears twice in the backup');
    if (!replace) {
      const defined: string[] = [];
      for (const id of ids) if (await store.getSurvey(id)) defined.push(id);
      if (defined.length > 0) {
        throw new HttpProblem(409, 'conflict', `Already defined here: ${defined.join(', ')}; restore with replace=true (--replace) to overwrite them`);
      }
    }
    // One platform id counts for one survey, restored or not (as PUT /surveys/:id insists).
    for (const entry of file.surveys) {
      const clash = await sourceClash(store, entry.survey);
      if (clash) throw new HttpProblem(409, 'conflict', clash);
    }
    const restored: Survey['id'][] = [];
    for (const entry of file.surveys) {
      await store.importSurvey(entry, { replace });
      restored.push(entry.survey.id);
      await audit(res, 'survey.restore', { surveyId: entry.survey.id, target: entry.survey.id });
    }
    let unmatched = 0;
    for (const kept of file.unmatched as UnmatchedResponse[]) if ((await store.keepUnmatched(kept)).status === 'unmatched') unmatched += 1;
    res.json({ restored, unmatched });
  });

  return router;
}
