/**
 * Read tokens: JWTs (HS256, signed with TOKEN_SECRET) that let a widget read one survey.
 * Scopes: "stats" (counts and rates) and "text" (free-text answers, more sensitive).
 * Each has an id (`jti`) recorded in the store's token registry, where it can be revoked; and
 * may be limited to some of the survey's areas (`areas` claim; see live/area-scopes.ts).
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { READ_SCOPES, type ReadScope } from '../../shared/constants.js';
import { idSchema } from '../../shared/schemas.js';
import type { ResponseStore } from '../store/response-store.js';

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
  /** What the token is for, shown in the registry ("TV reception Norrby"). */
  label: z.string().trim().max(200).default(''),
  /** Only these areas of the survey (an area office's screen); every area when left out. */
  areaIds: z
    .array(idSchema)
    .min(1)
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an area')
    .optional(),
});

export interface MintOptions {
  label?: string;
  areaIds?: string[];
}

export interface MintedToken {
  /** The token's `jti`: how the registry, the audit log and DELETE /api/v1/tokens/:id name it. */
  id: string;
  token: string;
  expiresAt: string;
}

export interface ReadGrant {
  surveyId: string;
  scopes: ReadScope[];
  expiresAt: Date;
  /** The token's `jti`; tokens minted before the registry have none (and cannot be revoked). */
  id?: string;
  /** Only these areas, for an area-scoped token. */
  areaIds?: string[];
}

const areasSchema = z.array(idSchema).max(1000);

export type TokenCheck = { ok: true; grant: ReadGrant } | { ok: false; status: 401 | 403; reason: string };

export class ReadTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    /** The token registry; without it tokens are neither recorded nor revocable (unit tests). */
    private readonly registry?: Pick<ResponseStore, 'recordToken' | 'getToken'>,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async mint(surveyId: string, scopes: ReadScope[], expiresInSeconds: number, options: MintOptions = {}): Promise<MintedToken> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + expiresInSeconds;
    const id = randomUUID();
    const scope = [...new Set(scopes)];
    const areaIds = options.areaIds && [...new Set(options.areaIds)].sort();
    const token = await new SignJWT({ scope: scope.join(' '), ...(areaIds ? { areas: areaIds } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(surveyId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(id)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    const expiresAt = new Date(exp * 1000).toISOString();
    await this.registry?.recordToken({
      id,
      surveyId,
      scopes: scope,
      label: options.label ?? '',
      ...(areaIds ? { areaIds } : {}),
      createdAt: new Date(now * 1000).toISOString(),
      expiresAt,
      revokedAt: null,
    });
    return { id, token, expiresAt };
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
      if (typeof payload.jti === 'string') grant.id = payload.jti;
      // Signed by us, yet checked: a token with a malformed area list sees nothing rather than everything.
      if (payload.areas !== undefined) grant.areaIds = areasSchema.safeParse(payload.areas).data ?? [];
    } catch (error) {
      const reason = error instanceof errors.JWTExpired ? 'The read token has expired' : 'The read token is invalid';
      return { ok: false, status: 401, reason };
    }
    // A token the registry does not know (minted before it, or a memory store since restarted) stays valid until it expires.
    if (grant.id !== undefined && (await this.registry?.getToken(grant.id))?.revokedAt) {
      return { ok: false, status: 401, reason: 'The read token was revoked' };
    }
    if (grant.surveyId !== surveyId) return { ok: false, status: 403, reason: `The read token is for another survey, not "${surveyId}"` };
    if (!grant.scopes.includes(scope)) return { ok: false, status: 403, reason: `The read token lacks the "${scope}" scope` };
    return { ok: true, grant };
  }
}
