/** GET /api/v1/audit: the audit log, newest first, for admins. */
import { Router } from 'express';
import { z } from 'zod';
import { idSchema } from '../../shared/schemas.js';
import { type AuditLog, auditActionSchema } from '../audit/audit-log.js';
import { requireAdmin } from '../auth/admin-auth.js';
import { invalidBody } from './problem.js';

const querySchema = z.object({
  surveyId: idSchema.optional(),
  action: auditActionSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function auditRoutes({ auditLog, adminToken }: { auditLog: AuditLog; adminToken: string }): Router {
  const router = Router();
  router.get('/audit', requireAdmin(adminToken), async (req, res) => {
    const query = querySchema.safeParse(req.query);
    if (!query.success) throw invalidBody(query.error, 'query');
    const { surveyId, action, limit } = query.data;
    res.set('Cache-Control', 'no-store').json({
      entries: await auditLog.list({ limit, ...(surveyId === undefined ? {} : { surveyId }), ...(action === undefined ? {} : { action }) }),
    });
  });
  return router;
}
