/**
 * What the store keeps for administration: the read-token registry (revocation), the audit log
 * and sign-in sessions. Plain data: the rules live in server/auth and server/audit.
 */

import type { AuditEntry, TokenRecord } from '../../shared/admin.js';

export type { AuditEntry, TokenRecord };

export interface AuditFilter {
  surveyId?: string;
  action?: string;
  limit: number;
}

/** A signed-in admin, or a sign-in under way (state, nonce and PKCE verifier until the callback). */
export type SessionRecord = Record<string, string | number>;

/** Newest first by createdAt, then id, so listings are stable. */
export const byNewestToken = (a: TokenRecord, b: TokenRecord) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);

export const auditMatches = (entry: AuditEntry, filter: AuditFilter) =>
  (filter.surveyId === undefined || entry.surveyId === filter.surveyId) && (filter.action === undefined || entry.action === filter.action);
