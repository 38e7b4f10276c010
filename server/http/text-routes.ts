/** Admin API for free text: the moderation queue, approve / reject / delete, and erasure. */
import { Router } from 'express';
import { z } from 'zod';
import { audit } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import type { TextAdmin } from '../privacy/text-admin.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem, invalidBody } from './problem.js';

const textIdSchema = z.string().uuid('must be a text id (a UUID)');

export function textRoutes({ store, texts, adminToken, textLimit }: { store: ResponseStore; texts: TextAdmin; adminToken: string; textLimit: number }): Router {
  const router = Router();
  const admin = requireAdmin(adminToken);
  const textId = (raw: unknown) => {
    const parsed = textIdSchema.safeParse(raw);
    if (!parsed.success) throw invalidBody(parsed.error, 'id');
    return parsed.data;
  };
  const noSuchText = (id: string) => new HttpProblem(404, 'not-found', `No free-text answer with id "${id}"`);

  router.get('/surveys/:id/texts/pending', admin, async (req, res) => {
    const surveyId = req.params.id as string;
    if (!(await store.getSurvey(surveyId))) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    const pending = await texts.pending(surveyId, textLimit);
    // Moderators judge the words; the response id is not theirs to see.
    res.json({ texts: pending.map(({ responseId: _responseId, ...text }) => text) });
  });

  // Every kept answer, shown or waiting, for taking one down from the admin page.
  router.get('/surveys/:id/texts/recent', admin, async (req, res) => {
    const surveyId = req.params.id as string;
    if (!(await store.getSurvey(surveyId))) throw new HttpProblem(404, 'not-found', `Survey "${surveyId}" is not defined`);
    const recent = await store.latestTexts(surveyId, textLimit);
    res.set('Cache-Control', 'no-store').json({ texts: recent.map(({ responseId: _responseId, ...text }) => ({ ...text, status: text.status ?? 'shown' })) });
  });

  router.post('/texts/:id/approve', admin, async (req, res) => {
    const id = textId(req.params.id);
    const approved = await texts.approve(id);
    if (!approved) throw noSuchText(id);
    await audit(res, 'text.approve', { surveyId: approved.surveyId, target: id });
    res.json({ id, status: 'approved' });
  });

  // Rejecting and deleting are the same act on the store: the answer is gone. A rejected answer
  // was never shown; a deleted shown one leaves every feed at once.
  const remove = async (id: string) => {
    const removed = await texts.remove(id);
    if (!removed) throw noSuchText(id);
    return removed;
  };
  router.post('/texts/:id/reject', admin, async (req, res) => {
    const id = textId(req.params.id);
    const removed = await remove(id);
    await audit(res, 'text.reject', { surveyId: removed.surveyId, target: id });
    res.json({ id, status: 'rejected' });
  });
  router.delete('/texts/:id', admin, async (req, res) => {
    const id = textId(req.params.id);
    const removed = await remove(id);
    await audit(res, 'text.delete', { surveyId: removed.surveyId, target: id });
    res.status(204).end();
  });

  router.delete('/surveys/:id/responses/:responseId', admin, async (req, res) => {
    const surveyId = req.params.id as string;
    const responseId = req.params.responseId as string;
    const erased = await texts.eraseResponse(surveyId, responseId);
    await audit(res, 'response.erase', { surveyId, target: responseId });
    res.json(erased);
  });

  return router;
}
