/**
 * What the admin API answers and the admin page shows: read-token records, audit entries, import results.
 * Zod-free, so the admin page imports the same definitions as the server.
 */

/** The admin actions this project records; add a name here (and to the README) when adding one. */
export const AUDIT_ACTIONS = [
  'survey.put',
  'survey.delete',
  'distribution.import',
  'history.import',
  'event.add',
  'event.delete',
  'token.mint',
  'token.revoke',
  'text.approve',
  'text.reject',
  'text.delete',
  'response.erase',
  'unmatched.replay',
] as const;

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

/** POST /api/v1/surveys/:id/history's answer: what an earlier campaign's CSV import changed. */
export interface HistoryImportResult {
  surveyId: string;
  /** Lines read (after the header). */
  rows: number;
  /** Distinct days named: their earlier imported counts were replaced. */
  days: string[];
  /** Responses in the file. */
  responses: number;
  /** How the survey's responses changed (negative when a re-import lowered them). */
  change: number;
}
