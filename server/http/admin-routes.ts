/** Admin API for survey definitions and unmatched responses (read tokens: token-routes.ts). */
import { Router } from 'express';
import { surveySchema } from '../../shared/schemas.js';
import { audit } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import type { ReadTokens } from '../auth/read-tokens.js';
import { sourceClash } from '../ingest/platforms/sources.js';
import type { ResponseIngest } from '../ingest/response-ingest.js';
import type { TextAdmin } from '../privacy/text-admin.js';
import { putSurveyWithHandOuts } from '../store/hand-outs.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem, invalidBody } from './problem.js';

export interface AdminRouteDeps {
  store: ResponseStore;
  ingest: ResponseIngest;
  tokens: ReadTokens;
  adminToken: string;
  /** Deletes surveys, so that feeds drop the deleted survey's texts. */
  texts: TextAdmin;
}

const notFound = (surveyId: string) => new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);

export function adminRoutes({ store, ingest, adminToken, texts }: AdminRouteDeps): Router {
  const router = Router();
  const admin = requireAdmin(adminToken);

  router.get('/surveys', admin, async (_req, res) => {
    res.json({ surveys: await store.listSurveys() });
  });

  router.get('/surveys/:id', admin, async (req, res) => {
    const survey = await store.getSurvey(req.params.id as string);
    if (!survey) throw notFound(req.params.id as string);
    res.json(survey);
  });

  router.put('/surveys/:id', admin, async (req, res) => {
    const id = req.params.id as string;
    const body = req.body && typeof req.body === 'object' ? { ...req.body, id: req.body.id ?? id } : req.body;
    const parsed = surveySchema.safeParse(body);
    if (!parsed.success) throw invalidBody(parsed.error);
    if (parsed.data.id !== id) throw new HttpProblem(400, 'invalid-body', `id: "${parsed.data.id}" differs from the URL's "${id}"`);
    const clash = await sourceClash(store, parsed.data);
    if (clash) throw new HttpProblem(409, 'conflict', clash);
    const previous = await store.getSurvey(id);
    const existed = previous !== undefined;
    await putSurveyWithHandOuts(store, parsed.data, previous);
    // A later closesAt reopens the survey: responses kept as late now count.
    if (existed) await ingest.replayLate(id);
    await audit(res, 'survey.put', { surveyId: id, target: id });
    res.status(existed ? 200 : 201).json(parsed.data);
  });

  router.delete('/surveys/:id', admin, async (req, res) => {
    if (!(await texts.deleteSurvey(req.params.id as string))) throw notFound(req.params.id as string);
    await audit(res, 'survey.delete', { surveyId: req.params.id as string, target: req.params.id as string });
    res.status(204).end();
  });

  // POST /tokens (and the registry): token-routes.ts.

  router.get('/unmatched', admin, async (_req, res) => {
    const unmatched = await store.listUnmatched();
    res.json({ count: unmatched.length, responses: unmatched });
  });

  router.post('/unmatched/replay', admin, async (_req, res) => {
    const outcome = await ingest.replayUnmatched();
    await audit(res, 'unmatched.replay');
    res.json(outcome);
  });

  return router;
}
