/**
 * The audit log: who did which admin action to what, kept in the store for AUDIT_RETENTION_DAYS
 * and logged at info. `target` is the id acted on (survey, area list, token id, text id, response
 * id), never a text's content or a token.
 *
 * Recording an action from a route is one line, after the action succeeded:
 *   await audit(res, 'history.import', { surveyId, target: surveyId });
 * The actor is whoever requireAdmin let in (the signed-in user's e-mail, or "admin-token").
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { AuditEntry } from '../store/admin-records.js';
import type { ResponseStore } from '../store/response-store.js';

/** `thing.verb`: lower-case words, so actions added later need no change here. */
export const auditActionSchema = z
  .string()
  .max(60)
  .regex(/^[a-z][a-z-]*(\.[a-z][a-z-]*)+$/, 'must be an action like "survey.put"');

/** The actor of requests made with the ADMIN_TOKEN (the API, the CLI). */
export const ADMIN_TOKEN_ACTOR = 'admin-token';

export interface AuditLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class AuditLog {
  constructor(
    private readonly store: Pick<ResponseStore, 'recordAudit' | 'listAudit'>,
    private readonly log: AuditLogger,
    private readonly retentionMs: number,
  ) {}

  /** Records one action; a store failure is logged, never undoes or fails the action already done. */
  async record(actor: string, action: string, about: { surveyId?: string; target?: string } = {}): Promise<AuditEntry> {
    const entry: AuditEntry = {
      id: entryId(),
      at: new Date().toISOString(),
      actor,
      action,
      ...(about.surveyId === undefined ? {} : { surveyId: about.surveyId }),
      ...(about.target === undefined ? {} : { target: about.target }),
    };
    this.log.info({ audit: entry }, `admin action ${action}`);
    try {
      await this.store.recordAudit(entry, this.retentionMs);
    } catch (error) {
      this.log.error({ err: error, audit: entry }, 'could not keep an audit entry');
    }
    return entry;
  }

  list(filter: { surveyId?: string; action?: string; limit: number }) {
    return this.store.listAudit(filter);
  }
}

let sequence = 0;
/** Sorts in the order entries were made on this instance, so entries of one millisecond keep their order. */
function entryId(): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${Date.now().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}-${randomUUID().slice(0, 8)}`;
}

const AUDIT_LOCAL = 'survey-live:audit';
const ACTOR_LOCAL = 'survey-live:admin-actor';

/** Makes the audit log reachable from every route (createApp mounts it ahead of the API). */
export const auditContext =
  (auditLog: AuditLog): RequestHandler =>
  (_req, res, next) => {
    res.locals[AUDIT_LOCAL] = auditLog;
    next();
  };

/** Called by requireAdmin once it knows who is asking. */
export function setAdminActor(res: Response, actor: string): void {
  res.locals[ACTOR_LOCAL] = actor;
}

export function adminActorOf(res: Response): string | undefined {
  const actor = res.locals[ACTOR_LOCAL];
  return typeof actor === 'string' ? actor : undefined;
}

/** Records an admin action of this request: the one line a route adds after the action succeeded. */
export async function audit(res: Response, action: string, about: { surveyId?: string; target?: string } = {}): Promise<void> {
  const auditLog = res.locals[AUDIT_LOCAL] as AuditLog | undefined;
  // A router mounted outside createApp (a unit test) has no audit log: nothing to record to.
  await auditLog?.record(adminActorOf(res) ?? 'unknown', action, about);
}
