/**
 * Read tokens: JWTs (HS256, signed with TOKEN_SECRET) that let a widget read one survey.
 * Scopes: "stats" (counts and rates) and "text" (free-text answers, more sensitive).
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { READ_SCOPES, type ReadScope } from '../../shared/constants.js';

export const readScopeSchema = z.enum(READ_SCOPES);
export type { ReadScope };

const ISSUER = 'survey-live';
const AUDIENCE = 'survey-live:read';
const MAX_LIFETIME_S = 5 * 366 * 24 * 3600;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** "90s", "15m", "1h", "30d", "2w", "1y" or a number of seconds. */
export const expiresInSchema = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .regex(/^\d+\s*[smhdwy]$/, 'must be a duration like "1h", "30d" or "1y", or a number of seconds')
      .transform((value) => Number.parseInt(value, 10) * (UNIT_SECONDS[value.trim().slice(-1)] ?? 1)),
  ])
  .refine((seconds) => seconds <= MAX_LIFETIME_S, 'must be at most 5 years');

export const mintRequestSchema = z.object({
  surveyId: z.string().min(1),
  scopes: z
    .array(readScopeSchema)
    .min(1)
    .refine((scopes) => scopes.includes('stats'), 'must include "stats"')
    .default(['stats']),
  expiresIn: expiresInSchema.default(30 * 86_400),
});

export interface ReadGrant {
  surveyId: string;
  scopes: ReadScope[];
  expiresAt: Date;
}

export type TokenCheck = { ok: true; grant: ReadGrant } | { ok: false; status: 401 | 403; reason: string };

export class ReadTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async mint(surveyId: string, scopes: ReadScope[], expiresInSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + expiresInSeconds;
    const token = await new SignJWT({ scope: [...new Set(scopes)].join(' ') })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(surveyId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** Checks that `token` may read `scope` of `surveyId`: 401 for a bad token, 403 for the wrong survey or scope. */
  async check(token: string | undefined, surveyId: string, scope: ReadScope): Promise<TokenCheck> {
    if (!token) return { ok: false, status: 401, reason: 'A read token is needed' };
    let grant: ReadGrant;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const scopes = String(payload.scope ?? '')
        .split(' ')
        .filter((s): s is ReadScope => readScopeSchema.safeParse(s).success);
      grant = { surveyId: String(payload.sub ?? ''), scopes, expiresAt: new Date((payload.exp ?? 0) * 1000) };
    } catch (error) {
      const reason = error instanceof errors.JWTExpired ? 'The read token has expired' : 'The read token is invalid';
      return { ok: false, status: 401, reason };
    }
    if (grant.surveyId !== surveyId) return { ok: false, status: 403, reason: `The read token is for another survey, not "${surveyId}"` };
    if (!grant.scopes.includes(scope)) return { ok: false, status: 403, reason: `The read token lacks the "${scope}" scope` };
    return { ok: true, grant };
  }
}
