/**
 * The report page's route (/report/:surveyId): its language (the query, else Accept-Language,
 * else Swedish), its whitelist of query parameters, and what the shell carries: the report
 * script, the daily timeline element with the token, a strict CSP and no caching.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/harness.js';

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ store: 'memory' });
  token = (await t.app.tokens.mint('kundenkat-2026', ['stats'], 600)).token;
});

afterAll(async () => {
  await t?.close();
});

const open = (query: string, headers: Record<string, string> = {}) => fetch(`${t.url}/report/kundenkat-2026${query}`, { headers });
const langOf = async (res: Response) => /<html lang="(\w+)"/.exec(await res.text())?.[1];

describe('/report/:surveyId', () => {
  it('speaks the query language, else the browser’s preferred one, else Swedish', async () => {
    expect(await langOf(await open(`?token=${token}`))).toBe('sv');
    expect(await langOf(await open(`?token=${token}`, { 'Accept-Language': 'en-GB,en;q=0.9' }))).toBe('en');
    expect(await langOf(await open(`?token=${token}`, { 'Accept-Language': 'sv-SE,sv;q=0.9,en;q=0.8' }))).toBe('sv');
    expect(await langOf(await open(`?token=${token}`, { 'Accept-Language': 'de-DE' }))).toBe('sv');
    expect(await langOf(await open(`?token=${token}&lang=en`, { 'Accept-Language': 'sv' }))).toBe('en');
  });

  it('is a shell with the report script and the daily timeline of the survey, never cached, under a strict CSP', async () => {
    const res = await open(`?token=${token}&lang=sv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    const page = await res.text();
    expect(page).toContain('<script type="module" src="../pages/report.js"></script>');
    expect(page).toContain(`<survey-live-chart kind="timeline" range="day" survey="kundenkat-2026" token="${token}" lang="sv" theme="light">`);
    expect(page).toContain('data-survey="kundenkat-2026"');
  });

  it('refuses settings it does not know with a page that says which', async () => {
    const wrongLang = await open(`?token=${token}&lang=de`);
    expect(wrongLang.status).toBe(400);
    expect(await wrongLang.text()).toContain('lang: must be sv or en');
    const wrongToken = await open('?token=<script>');
    expect(wrongToken.status).toBe(400);
    expect(await wrongToken.text()).not.toContain('<script>');
    expect((await fetch(`${t.url}/report/not%20an%20id`)).status).toBe(400);
  });
});
