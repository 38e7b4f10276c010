/**
 * Reminder rounds of a survey (store/survey-events.ts): admins add and delete them, read-token
 * holders (`stats` scope) and admins (the admin page) list them with their effect. Widgets get them live in the snapshot's
 * `events`: the store tells every instance of the change and the survey is broadcast again.
 *
 *   POST   /surveys/:id/events           (admin) surveyEventInputSchema -> 201 the round, with its id
 *   GET    /surveys/:id/events           (read or admin) { events: SurveyEventWithEffect[] }, oldest first
 *   DELETE /surveys/:id/events/:eventId  (admin) 204, or 404
 */
import { Router } from 'express';
import { surveyEventInputSchema } from '../../shared/schemas.js';
import { audit } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import { scopeEvents } from '../live/area-scopes.js';
import type { ResponseStore } from '../store/response-store.js';
import { addSurveyEvent, hourlyFrom, withEffects } from '../store/survey-events.js';
import { HttpProblem, invalidBody } from './problem.js';
import type { ReadAuthorizer } from './read-routes.js';

export interface EventRouteDeps {
  store: ResponseStore;
  adminToken: string;
  authorize: ReadAuthorizer;
}

const notFound = (surveyId: string) => new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);

export function eventRoutes({ store, adminToken, authorize }: EventRouteDeps): Router {
  const router = Router();
  const admin = requireAdmin(adminToken);

  router.post('/surveys/:id/events', admin, async (req, res) => {
    const surveyId = req.params.id as string;
    const parsed = surveyEventInputSchema.safeParse(req.body);
    if (!parsed.success) throw invalidBody(parsed.error);
    const outcome = await addSurveyEvent(store, surveyId, parsed.data);
    if (outcome.status === 'not-found') throw notFound(surveyId);
    if (outcome.status === 'unknown-areas') {
      const listed = outcome.areaIds
        .slice(0, 5)
        .map((id) => `"${id}"`)
        .join(', ');
      throw new HttpProblem(400, 'invalid-body', `areaIds: survey "${surveyId}" has no area ${listed}`, {
        errors: outcome.areaIds.slice(0, 50).map((id) => ({ path: 'areaIds', message: `no area "${id}" in survey "${surveyId}"` })),
      });
    }
    if (outcome.status === 'full') {
      throw new HttpProblem(409, 'conflict', `Survey "${surveyId}" has ${outcome.limit} reminder rounds, the most it keeps; delete one first`);
    }
    await audit(res, 'event.add', { surveyId, target: outcome.event.id });
    res
      .status(201)
      .location(`/api/v1/surveys/${encodeURIComponent(surveyId)}/events/${outcome.event.id}`)
      .json(outcome.event);
  });

  router.get('/surveys/:id/events', async (req, res) => {
    const { surveyId, areaIds } = await authorize(req, 'stats');
    if (!(await store.getSurvey(surveyId))) throw notFound(surveyId);
    const [events, counts, byArea] = await Promise.all([store.listEvents(surveyId), store.getCounts(surveyId), store.hourlyByArea(surveyId)]);
    const hourly = hourlyFrom(counts, byArea ?? new Map());
    res.set('Cache-Control', 'no-store').json({ events: withEffects(scopeEvents(events, areaIds), hourly, areaIds) });
  });

  router.delete('/surveys/:id/events/:eventId', admin, async (req, res) => {
    const surveyId = req.params.id as string;
    const eventId = req.params.eventId as string;
    if (!(await store.getSurvey(surveyId))) throw notFound(surveyId);
    if (!(await store.deleteEvent(surveyId, eventId))) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" has no reminder round "${eventId}"`);
    await audit(res, 'event.delete', { surveyId, target: eventId });
    res.status(204).end();
  });

  return router;
}
