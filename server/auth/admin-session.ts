/**
 * Sign-in sessions of the admin page (OpenID Connect, see http/oidc-routes.ts): a random id in
 * an HttpOnly, SameSite=Lax cookie (Secure behind https), the session itself in the store under
 * a hash of that id, so a copy of the store holds no usable cookie. Requests made with the
 * cookie that change anything must carry the session's CSRF token in `X-CSRF-Token`.
 * ADMIN_TOKEN (a bearer header, which no other site can make a browser send) needs none.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { HttpProblem } from '../http/problem.js';
import type { ResponseStore } from '../store/response-store.js';

export const SESSION_COOKIE = 'survey_live_session';
export const LOGIN_COOKIE = 'survey_live_login';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_LOCAL = 'survey-live:session';

export interface AdminSession {
  email: string;
  csrf: string;
  expiresAt: number;
}

export const randomId = () => randomBytes(32).toString('base64url');
/** The store key of a cookie value. */
export const sessionKey = (cookieValue: string) => createHash('sha256').update(cookieValue).digest('base64url');

/** One cookie's value from the Cookie header; names are ours and fixed, values base64url. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export const cookieOptions = (req: Request, maxAgeMs: number, path = '/') => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: req.secure,
  path,
  maxAge: maxAgeMs,
});

const sameText = (a: string, b: string) => {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
};

export class AdminSessions {
  constructor(
    private readonly store: Pick<ResponseStore, 'putSession' | 'getSession' | 'deleteSession'>,
    readonly ttlMs: number,
  ) {}

  /** Starts a session for a signed-in admin; answers the cookie value. */
  async start(email: string): Promise<{ cookie: string; session: AdminSession }> {
    const cookie = randomId();
    const session: AdminSession = { email, csrf: randomId(), expiresAt: Date.now() + this.ttlMs };
    await this.store.putSession(sessionKey(cookie), { ...session }, this.ttlMs);
    return { cookie, session };
  }

  async find(cookie: string): Promise<AdminSession | undefined> {
    const kept = await this.store.getSession(sessionKey(cookie));
    if (!kept || typeof kept.email !== 'string' || typeof kept.csrf !== 'string' || Number(kept.expiresAt) <= Date.now()) return undefined;
    return { email: kept.email, csrf: kept.csrf, expiresAt: Number(kept.expiresAt) };
  }

  end(cookie: string): Promise<void> {
    return this.store.deleteSession(sessionKey(cookie));
  }

  /**
   * Finds the session of a request that carries the cookie and no Authorization header, and
   * refuses (403) one that changes something without the session's CSRF token.
   */
  middleware(): RequestHandler {
    return async (req, res, next) => {
      const cookie = cookieValue(req, SESSION_COOKIE);
      if (!cookie || req.headers.authorization) return next();
      try {
        const session = await this.find(cookie);
        if (!session) return next();
        if (!SAFE_METHODS.has(req.method)) {
          const sent = req.headers[CSRF_HEADER];
          if (typeof sent !== 'string' || !sameText(sent, session.csrf)) {
            return next(new HttpProblem(403, 'forbidden', 'This request needs the X-CSRF-Token header of your session (reload the admin page)'));
          }
        }
        res.locals[SESSION_LOCAL] = session;
        next();
      } catch (error) {
        next(error);
      }
    };
  }
}

/** The signed-in admin of this request, if the session middleware found one. */
export function sessionOf(res: Response): AdminSession | undefined {
  return res.locals[SESSION_LOCAL] as AdminSession | undefined;
}
