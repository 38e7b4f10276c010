/** Read API for widgets and dashboards: a read token (or PUBLIC_STATS) per survey and scope. */
import { type Request, Router } from 'express';
import { z } from 'zod';
import { bearerToken, isAdminToken } from '../auth/admin-auth.js';
import type { ReadScope, ReadTokens } from '../auth/read-tokens.js';
import type { SnapshotCache } from '../live/snapshots.js';
import type { TextFeed } from '../live/text-feed.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem, invalidBody } from './problem.js';

export interface ReadRouteDeps {
  store: ResponseStore;
  tokens: ReadTokens;
  snapshots: SnapshotCache;
  textFeed: TextFeed;
  publicStats: boolean;
  textLimit: number;
  /** The call list is for staff: the admin token reads it too. */
  adminToken?: string;
}

export function readRoutes({ store, tokens, snapshots, textFeed, publicStats, textLimit, adminToken }: ReadRouteDeps): Router {
  const router = Router();

  async function authorize(req: Request, scope: ReadScope): Promise<string> {
    const surveyId = req.params.id as string;
    if (scope === 'stats' && publicStats) return surveyId;
    const check = await tokens.check(bearerToken(req.headers.authorization), surveyId, scope);
    if (!check.ok) {
      throw new HttpProblem(
        check.status,
        check.status === 401 ? 'unauthorized' : 'forbidden',
        check.reason,
        check.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {},
      );
    }
    return surveyId;
  }

  router.get('/surveys/:id/stats', async (req, res) => {
    const surveyId = await authorize(req, 'stats');
    const snapshot = await snapshots.get(surveyId);
    if (!snapshot) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    res.set('Cache-Control', 'no-store').json(snapshot);
  });

  // Areas most behind their target first (server/store/pace.ts). Counts only: small areas are named.
  router.get('/surveys/:id/call-list', async (req, res) => {
    const isAdmin = adminToken !== undefined && isAdminToken(bearerToken(req.headers.authorization), adminToken);
    const surveyId = isAdmin ? (req.params.id as string) : await authorize(req, 'stats');
    const snapshot = await snapshots.get(surveyId);
    if (!snapshot) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    const byId = new Map(snapshot.areas.map((area) => [area.id, area]));
    res.set('Cache-Control', 'no-store').json({
      surveyId,
      state: snapshot.state,
      daysLeft: snapshot.pace.daysLeft,
      areas: snapshot.callList.flatMap((id) => {
        const area = byId.get(id);
        return area
          ? [{ id, name: area.name, distributed: area.distributed, responses: area.responses, responseRate: area.responseRate, pace: area.pace }]
          : [];
      }),
    });
  });

  const textsQuery = z.object({ limit: z.coerce.number().int().min(1).max(textLimit).default(Math.min(50, textLimit)) });
  router.get('/surveys/:id/texts', async (req, res) => {
    const surveyId = await authorize(req, 'text');
    const query = textsQuery.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    if (!(await store.getSurvey(surveyId))) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    res.set('Cache-Control', 'no-store').json({ texts: await textFeed.visibleTexts(surveyId, query.data.limit) });
  });

  return router;
}
