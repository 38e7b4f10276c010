/**
 * What the store keeps for administration: the read-token registry (revocation), the audit log
 * and sign-in sessions. Plain data: the rules live in server/auth and server/audit.
 */

/** A minted read token as recorded; the signed token itself is never kept. */
export interface TokenRecord {
  /** The token's `jti`. */
  id: string;
  surveyId: string;
  scopes: string[];
  label: string;
  /** Only these areas of the survey, when set (an area-scoped token). */
  areaIds?: string[];
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** One admin action: who did what to which id, never a text's content or a token. */
export interface AuditEntry {
  /** Unique, and sorting in the order entries were made (entries of one millisecond keep their order). */
  id: string;
  at: string;
  actor: string;
  action: string;
  surveyId?: string;
  target?: string;
}

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
