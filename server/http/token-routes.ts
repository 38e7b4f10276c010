/** Admin API for read tokens: mint (recorded in the registry), list, revoke. */
import { Router } from 'express';
import { z } from 'zod';
import { audit } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import { mintRequestSchema, type ReadTokens } from '../auth/read-tokens.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem, invalidBody } from './problem.js';

const listQuery = z.object({ surveyId: z.string().max(100).optional() });
const tokenIdSchema = z.string().uuid('must be a token id (a UUID)');

export function tokenRoutes({ store, tokens, adminToken }: { store: ResponseStore; tokens: ReadTokens; adminToken: string }): Router {
  const router = Router();
  const admin = requireAdmin(adminToken);

  router.post('/tokens', admin, async (req, res) => {
    const parsed = mintRequestSchema.safeParse(req.body);
    if (!parsed.success) throw invalidBody(parsed.error);
    const { surveyId, scopes, expiresIn, label, areaIds } = parsed.data;
    const survey = await store.getSurvey(surveyId);
    if (!survey) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    const unknown = (areaIds ?? []).filter((areaId) => !survey.areas.some((area) => area.id === areaId));
    if (unknown.length > 0) {
      throw new HttpProblem(400, 'invalid-body', `areaIds: the survey has no area ${unknown.map((id) => `"${id}"`).join(', ')}`, {
        errors: [{ path: 'areaIds', message: `not an area of the survey: ${unknown.join(', ')}` }],
      });
    }
    const minted = await tokens.mint(surveyId, scopes, expiresIn, { label, ...(areaIds ? { areaIds } : {}) });
    await audit(res, 'token.mint', { surveyId, target: minted.id });
    res.status(201).json(minted);
  });

  router.get('/tokens', admin, async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    res.set('Cache-Control', 'no-store').json({ tokens: await store.listTokens(query.data.surveyId) });
  });

  router.delete('/tokens/:id', admin, async (req, res) => {
    const id = tokenIdSchema.safeParse(req.params.id);
    if (!id.success) throw invalidBody(id.error, 'id');
    const revoked = await store.revokeToken(id.data, new Date().toISOString());
    if (!revoked) throw new HttpProblem(404, 'not-found', `No unexpired read token with id "${id.data}"`);
    await audit(res, 'token.revoke', { surveyId: revoked.surveyId, target: revoked.id });
    res.status(204).end();
  });

  return router;
}
