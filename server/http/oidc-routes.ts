/**
 * Sign-in to the admin page with the organisation's accounts (OpenID Connect: Entra ID, Google
 * Workspace, Keycloak, Authentik): authorization code with PKCE, through `openid-client`.
 *
 *   GET  /auth/login     → the provider's sign-in (state, nonce and PKCE verifier kept in the store)
 *   GET  /auth/callback  → checks the answer; an admin (OIDC_ADMINS) gets a session cookie
 *   POST /auth/logout    → ends the session (needs X-CSRF-Token)
 *   GET  /api/v1/session → who is signed in, and the CSRF token the page sends back
 */
import { type Request, type Response, Router } from 'express';
import * as client from 'openid-client';
import { type AdminSessions, cookieOptions, cookieValue, LOGIN_COOKIE, randomId, SESSION_COOKIE, sessionKey, sessionOf } from '../auth/admin-session.js';
import type { OidcConfig } from '../config.js';
import type { ResponseStore } from '../store/response-store.js';
import { HttpProblem } from './problem.js';

const LOGIN_TTL_MS = 10 * 60_000;
const CALLBACK_PATH = '/auth/callback';

export interface OidcRouteDeps {
  oidc: OidcConfig;
  sessions: AdminSessions;
  store: Pick<ResponseStore, 'putSession' | 'getSession' | 'deleteSession'>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Whether the signed-in user is allowed in: an e-mail or a group of theirs in OIDC_ADMINS. */
export function isAllowed(admins: readonly string[], email: string | undefined, groups: readonly string[]): boolean {
  const allowed = new Set(admins);
  return (email !== undefined && allowed.has(email.toLowerCase())) || groups.some((group) => allowed.has(group.toLowerCase()));
}

const redirectUri = (req: Request) => `${req.protocol}://${req.get('host')}${CALLBACK_PATH}`;
const backToAdmin = (res: Response) => res.redirect(303, '/admin');

export function oidcRoutes({ oidc, sessions, store, log }: OidcRouteDeps): Router {
  const router = Router();
  let discovered: Promise<client.Configuration> | undefined;
  // Discovered on first use, and again after a failure (the provider may have been down).
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
        // Only a test's provider on 127.0.0.1 speaks plain http; a real one is https.
        ...(new URL(oidc.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  router.get('/auth/login', async (req, res) => {
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      log.warn({ err: error }, 'the OpenID provider could not be reached');
      throw new HttpProblem(503, 'store-unavailable', 'The sign-in provider cannot be reached; try again', { headers: { 'Retry-After': '5' } });
    }
    const verifier = client.randomPKCECodeVerifier();
    const login = { state: client.randomState(), nonce: client.randomNonce(), verifier };
    const id = randomId();
    await store.putSession(sessionKey(id), login, LOGIN_TTL_MS);
    res.cookie(LOGIN_COOKIE, id, cookieOptions(req, LOGIN_TTL_MS, '/auth'));
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(req),
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: login.state,
      nonce: login.nonce,
    });
    res.redirect(303, url.href);
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    const id = cookieValue(req, LOGIN_COOKIE);
    const login = id ? await store.getSession(sessionKey(id)) : undefined;
    if (id) await store.deleteSession(sessionKey(id));
    res.clearCookie(LOGIN_COOKIE, { path: '/auth' });
    if (!login) throw new HttpProblem(400, 'invalid-body', 'This sign-in is unknown or took longer than 10 minutes; start again from the admin page');
    let claims: Record<string, unknown>;
    try {
      const config = await configuration();
      const current = new URL(req.originalUrl, redirectUri(req));
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: String(login.verifier),
        expectedState: String(login.state),
        expectedNonce: String(login.nonce),
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
      // Some providers put e-mail and groups in the ID token (Entra ID), others only in userinfo.
      if (claims.email === undefined || claims.groups === undefined) {
        claims = { ...(await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
      }
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'sign-in failed');
      throw new HttpProblem(401, 'unauthorized', 'The sign-in could not be completed; start again from the admin page');
    }
    const email = [claims.email, claims.preferred_username, claims.upn].find((value): value is string => typeof value === 'string' && value.includes('@'));
    const groups = Array.isArray(claims.groups) ? claims.groups.filter((group): group is string => typeof group === 'string') : [];
    if (!isAllowed(oidc.admins, email, groups)) {
      log.info({ email }, 'sign-in refused: not in OIDC_ADMINS');
      throw new HttpProblem(403, 'forbidden', `${email ?? 'This account'} is not allowed into survey-live's admin page; ask for it to be added to OIDC_ADMINS`);
    }
    const started = await sessions.start(email ?? String(claims.sub));
    log.info({ email: started.session.email }, 'admin signed in');
    res.cookie(SESSION_COOKIE, started.cookie, cookieOptions(req, sessions.ttlMs));
    backToAdmin(res);
  });

  router.post('/auth/logout', async (req, res) => {
    // The session middleware has checked the CSRF token of a request with the cookie.
    const cookie = cookieValue(req, SESSION_COOKIE);
    if (!cookie || !sessionOf(res)) throw new HttpProblem(401, 'unauthorized', 'Not signed in');
    await sessions.end(cookie);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/api/v1/session', (_req, res) => {
    const session = sessionOf(res);
    if (!session) throw new HttpProblem(401, 'unauthorized', 'Not signed in');
    res.set('Cache-Control', 'no-store').json({ email: session.email, csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() });
  });

  return router;
}
