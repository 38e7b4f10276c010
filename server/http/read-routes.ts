/** Read API for widgets and dashboards: a read token (or PUBLIC_STATS) per survey and scope. */
import { type Request, Router } from 'express';
import { z } from 'zod';
import { bearerToken, isAdminRequest } from '../auth/admin-auth.js';
import type { ReadScope, ReadTokens } from '../auth/read-tokens.js';
import { scopeSnapshot, textInScope } from '../live/area-scopes.js';
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
  /** The call list is for staff: the admin token (or an admin's session) reads it too. */
  adminToken?: string;
}

/** What a read request may see: the survey id, and the areas its token is limited to (undefined: every area). */
export type ReadAuthorizer = (req: Request, scope: ReadScope) => Promise<{ surveyId: string; areaIds?: string[] }>;

/**
 * Checks a read request's token for the survey in its `:id` and the scope (PUBLIC_STATS opens
 * `stats` to requests without a token); throws 401 or 403 problems. Shared by every read route.
 */
export function readAuthorizer({ tokens, publicStats }: { tokens: ReadTokens; publicStats: boolean }): ReadAuthorizer {
  return async (req, scope) => {
    const surveyId = req.params.id as string;
    const token = bearerToken(req.headers.authorization);
    const open = scope === 'stats' && publicStats;
    if (open && token === undefined) return { surveyId };
    const check = await tokens.check(token, surveyId, scope);
    // With public stats a valid token still gets its own view (its area scope); a bad one the public view.
    if (!check.ok && open) return { surveyId };
    if (!check.ok) {
      throw new HttpProblem(
        check.status,
        check.status === 401 ? 'unauthorized' : 'forbidden',
        check.reason,
        check.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {},
      );
    }
    return { surveyId, ...(check.grant.areaIds ? { areaIds: check.grant.areaIds } : {}) };
  };
}

/**
 * A read authorizer for the routes the admin page reads as well: the admin token or an admin's
 * sign-in session sees the whole survey; anything else goes to `authorize` (a read token).
 */
export function staffAuthorizer(authorize: ReadAuthorizer, adminToken: string): ReadAuthorizer {
  return async (req, scope) => (req.res && isAdminRequest(req, req.res, adminToken) ? { surveyId: req.params.id as string } : authorize(req, scope));
}

export function readRoutes({ store, tokens, snapshots, textFeed, publicStats, textLimit, adminToken }: ReadRouteDeps): Router {
  const router = Router();

  const authorize = readAuthorizer({ tokens, publicStats });
  const staff = adminToken === undefined ? authorize : staffAuthorizer(authorize, adminToken);

  router.get('/surveys/:id/stats', async (req, res) => {
    const { surveyId, areaIds } = await authorize(req, 'stats');
    const snapshot = await snapshots.get(surveyId);
    if (!snapshot) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    res.set('Cache-Control', 'no-store').json(scopeSnapshot(snapshot, areaIds));
  });

  // Areas most behind their target first (server/store/pace.ts). Counts only: small areas are named.
  router.get('/surveys/:id/call-list', async (req, res) => {
    const { surveyId, areaIds } = await staff(req, 'stats');
    const found = await snapshots.get(surveyId);
    if (!found) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    // An area-scoped token lists only its own areas.
    const snapshot = scopeSnapshot(found, areaIds);
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
    const { surveyId, areaIds } = await authorize(req, 'text');
    const query = textsQuery.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    if (!(await store.getSurvey(surveyId))) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    const texts = areaIds
      ? (await textFeed.visibleTexts(surveyId, textLimit)).filter((text) => textInScope(text, areaIds)).slice(0, query.data.limit)
      : await textFeed.visibleTexts(surveyId, query.data.limit);
    res.set('Cache-Control', 'no-store').json({ texts });
  });

  return router;
}
