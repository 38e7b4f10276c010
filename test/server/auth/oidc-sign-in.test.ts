/**
 * Sign-in to the admin page against a real OpenID provider started here (`oidc-provider`):
 * authorization code with PKCE; an admin by e-mail or by group gets a session, anyone else is
 * refused; requests with the session that change something need its CSRF token; sign-out and
 * an expired session end it; ADMIN_TOKEN still works; the audit log names the person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../server/store/admin-records.js';
import { sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';
import { expectProblem } from '../http/http-assertions.js';
import { Browserish, startProvider, type TestProvider } from './oidc-provider.js';

const ADMIN_GROUP = '5c2e1f7a-3b9d-4f5e-8a6c-0d1e2f3a4b5c';
let provider: TestProvider;
let t: TestApp;
let short: TestApp;

beforeAll(async () => {
  provider = await startProvider({
    anna: { email: 'Anna.Lind@bostad.example' },
    omar: { email: 'omar@bostad.example', groups: ['other-group', ADMIN_GROUP] },
    eve: { email: 'eve@bostad.example', groups: ['other-group'] },
  });
  const env = {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_ADMINS: `anna.lind@bostad.example, ${ADMIN_GROUP}`,
  };
  t = await startTestApp({ store: 'redis', env });
  short = await startTestApp({ store: 'redis', env: { ...env, OIDC_SESSION_TTL: '1s' } });
  provider.start([t.url, short.url]);
}, 30_000);
afterAll(async () => {
  await Promise.allSettled([t?.close(), short?.close()]);
  await provider?.close();
});

async function signedIn(app: TestApp, login: string): Promise<{ browser: Browserish; csrf: string }> {
  const browser = new Browserish();
  const { last, visited } = await browser.signIn(app.url, login);
  expect(last.status, visited.join(' → ')).toBe(303);
  expect(last.headers.get('location')).toBe('/admin');
  const cookie = last.headers.getSetCookie().find((line) => line.startsWith('survey_live_session='));
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).not.toMatch(/Secure/i); // plain http here; behind https it is Secure
  const session = await browser.fetch(`${app.url}/api/v1/session`);
  expect(session.status).toBe(200);
  return { browser, csrf: ((await session.json()) as { csrf: string }).csrf };
}

describe('OpenID Connect sign-in', () => {
  it('signs an admin in through the provider (code + PKCE) and lets the session do admin work, with CSRF tokens on changes', async () => {
    const browser = new Browserish();
    const { last, visited } = await browser.signIn(t.url, 'anna');
    const authorize = new URL(visited.find((url) => url.startsWith(`${provider.issuer}/auth?`)) ?? 'http://x');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.url}/auth/callback`);
    expect(last.status).toBe(303);

    const session = await browser.fetch(`${t.url}/api/v1/session`);
    const me = (await session.json()) as { email: string; csrf: string };
    expect(me.email).toBe('Anna.Lind@bostad.example');
    expect((await browser.fetch(`${t.url}/api/v1/surveys`)).status).toBe(200);

    const survey = sampleSurvey();
    const put = (headers: Record<string, string>) =>
      browser.fetch(`${t.url}/api/v1/surveys/${survey.id}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(survey),
      });
    await expectProblem(await put({}), 403, 'forbidden', /X-CSRF-Token/);
    await expectProblem(await put({ 'X-CSRF-Token': 'x'.repeat(43) }), 403, 'forbidden', /X-CSRF-Token/);
    expect((await t.admin('GET', `/api/v1/surveys/${survey.id}`)).status).toBe(404);
    expect((await put({ 'X-CSRF-Token': me.csrf })).status).toBe(201);

    const audit = (await (await t.admin('GET', `/api/v1/audit?surveyId=${survey.id}`)).json()) as { entries: AuditEntry[] };
    expect(audit.entries.map((entry) => [entry.actor, entry.action])).toEqual([['Anna.Lind@bostad.example', 'survey.put']]);
    // ADMIN_TOKEN stays for the API and the CLI.
    expect((await t.admin('DELETE', `/api/v1/surveys/${survey.id}`)).status).toBe(204);
    const after = (await (await t.admin('GET', `/api/v1/audit?surveyId=${survey.id}`)).json()) as { entries: AuditEntry[] };
    expect(after.entries[0]).toMatchObject({ actor: 'admin-token', action: 'survey.delete' });
  });

  it('lets in a member of an admin group, and refuses someone in neither list (no session)', async () => {
    await signedIn(t, 'omar');
    const browser = new Browserish();
    const { last } = await browser.signIn(t.url, 'eve');
    await expectProblem(last, 403, 'forbidden', /eve@bostad\.example is not allowed/);
    expect(browser.cookies(t.url).has('survey_live_session')).toBe(false);
    await expectProblem(await browser.fetch(`${t.url}/api/v1/surveys`), 401, 'unauthorized');
    await expectProblem(await browser.fetch(`${t.url}/api/v1/session`), 401, 'unauthorized');
  });

  it('signs out (with the CSRF token): the cookie no longer opens anything', async () => {
    const { browser, csrf } = await signedIn(t, 'anna');
    const cookie = browser.cookies(t.url).get('survey_live_session');
    await expectProblem(await browser.fetch(`${t.url}/auth/logout`, { method: 'POST' }), 403, 'forbidden');
    expect((await browser.fetch(`${t.url}/auth/logout`, { method: 'POST', headers: { 'X-CSRF-Token': csrf } })).status).toBe(204);
    expect(browser.cookies(t.url).has('survey_live_session')).toBe(false);
    // Even a copy of the old cookie is dead: the session is gone from the store.
    const replay = await fetch(`${t.url}/api/v1/surveys`, { headers: { Cookie: `survey_live_session=${cookie}` } });
    await expectProblem(replay, 401, 'unauthorized');
  });

  it('ends a session at its time (OIDC_SESSION_TTL)', async () => {
    const { browser } = await signedIn(short, 'anna');
    expect((await browser.fetch(`${short.url}/api/v1/surveys`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await expectProblem(await browser.fetch(`${short.url}/api/v1/surveys`), 401, 'unauthorized');
    await expectProblem(await browser.fetch(`${short.url}/api/v1/session`), 401, 'unauthorized');
  });

  it('refuses a callback without its sign-in (forged or replayed state)', async () => {
    const browser = new Browserish();
    await expectProblem(await browser.fetch(`${t.url}/auth/callback?code=abc&state=def`), 400, 'invalid-body', /sign-in/);
  });
});
