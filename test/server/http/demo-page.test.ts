/**
 * The demo page's route (/demo, only while DEMO runs): its language (the query, else
 * Accept-Language, else Swedish), the elements and links that keep it, and its whitelist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'memory', env: { DEMO: 'true' } });
});
afterAll(async () => {
  await t?.close();
});

const open = (query = '', headers: Record<string, string> = {}) => fetch(`${t.url}/demo${query}`, { headers });
const langOf = (page: string) => /<html lang="(\w+)"/.exec(page)?.[1];

describe('/demo', () => {
  it('speaks the query language, else the browser’s preferred one, else Swedish', async () => {
    expect(langOf(await (await open()).text())).toBe('sv');
    expect(langOf(await (await open('', { 'Accept-Language': 'en-GB,en;q=0.9' })).text())).toBe('en');
    expect(langOf(await (await open('', { 'Accept-Language': 'de-DE' })).text())).toBe('sv');
    expect(langOf(await (await open('?lang=en', { 'Accept-Language': 'sv' })).text())).toBe('en');
  });

  it('gives its elements, the board, the report and the admin page its language, and links to the other one', async () => {
    const sv = await (await open('?lang=sv')).text();
    expect(sv).toContain('<h1>Svarsfrekvens live för en hyresgästenkät</h1>');
    expect(sv).toMatch(/<survey-live-counter survey="demo" token="[\w.-]+" lang="sv">/);
    expect(sv).toMatch(/href="board\/demo\?token=[\w.-]+&amp;lang=sv"/);
    expect(sv).toMatch(/href="report\/demo\?token=[\w.-]+&amp;lang=sv"/);
    expect(sv).toContain('href="admin"');
    expect(sv).toContain('<a class="demo-lang" href="demo?lang=en" lang="en" hreflang="en">English</a>');

    const en = await (await open('?lang=en')).text();
    expect(en).toContain('<h1>Live response rates for a tenant survey</h1>');
    expect(en).toMatch(/<survey-live-counter survey="demo" token="[\w.-]+" lang="en">/);
    expect(en).toMatch(/href="board\/demo\?token=[\w.-]+&amp;lang=en"/);
    expect(en).toContain('href="admin?lang=en"');
    expect(en).toContain('<a class="demo-lang" href="demo?lang=sv" lang="sv" hreflang="sv">Svenska</a>');
  });

  it('refuses a language it does not speak with a page that says so', async () => {
    const res = await open('?lang=de');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('lang: must be sv or en');
  });
});
