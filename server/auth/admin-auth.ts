import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ADMIN_TOKEN_ACTOR, setAdminActor } from '../audit/audit-log.js';
import { HttpProblem } from '../http/problem.js';
import { sessionOf } from './admin-session.js';

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

// Hashing first makes the comparison constant-time whatever the lengths.
const digest = (value: string) => createHash('sha256').update(value).digest();

export function isAdminToken(candidate: string | undefined, adminToken: string): boolean {
  return candidate !== undefined && timingSafeEqual(digest(candidate), digest(adminToken));
}

/**
 * Whether a request comes from an admin: the admin token, or (without an Authorization header)
 * an admin's sign-in session. For read routes the admin page uses too (call list, reminder
 * rounds, exports), which otherwise take a read token.
 */
export function isAdminRequest(req: Request, res: Response, adminToken: string): boolean {
  const token = bearerToken(req.headers.authorization);
  return token === undefined ? sessionOf(res) !== undefined : isAdminToken(token, adminToken);
}

/** Express middleware: 401 unless `Authorization: Bearer <ADMIN_TOKEN>` or an admin's sign-in session (admin-session.ts). */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    const session = token === undefined ? sessionOf(res) : undefined;
    if (session) {
      setAdminActor(res, session.email);
      next();
      return;
    }
    if (!isAdminToken(token, adminToken)) {
      next(
        new HttpProblem(401, 'unauthorized', token ? 'The admin token is wrong' : 'This endpoint needs Authorization: Bearer <ADMIN_TOKEN>', {
          headers: { 'WWW-Authenticate': 'Bearer' },
        }),
      );
      return;
    }
    setAdminActor(res, ADMIN_TOKEN_ACTOR);
    next();
  };
}
