/**
 * The iframe embeds (/embed/*) end to end: framed by an intranet page on an origin listed in
 * FRAME_ANCESTORS they render and follow signed webhooks live; framed by any other origin the
 * browser refuses them (CSP frame-ancestors). Also: their headers, the query whitelist against
 * hostile input, and each element fitting a 200 px wide frame without scrollbars.
 */
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { response, startTestApp, type TestApp } from '../support/harness.js';
import { collectProblems, ensureBuilt, expectAccessible, type HostServer, launchChromium, readPart, screenshot, startHostServer } from './pages-helpers.js';

const AREAS = [
  { id: 'centrum', name: 'Centrum', distributed: 120 },
  { id: 'norrby', name: 'Norrby', distributed: 90 },
  { id: 'hagalund', name: 'Hagalund', distributed: 60 },
];

let t: TestApp;
let intranet: HostServer;
let stranger: HostServer;
let browser: Browser;
let surveyId: string;
let token: string;

beforeAll(async () => {
  await ensureBuilt();
  [intranet, stranger] = await Promise.all([startHostServer(), startHostServer()]);
  t = await startTestApp({ store: 'redis', env: { FRAME_ANCESTORS: intranet.origin, STATS_INTERVAL_MS: '100' } });
  surveyId = `embed-${Date.now().toString(36)}`;
  await t.putSurvey({ id: surveyId, name: 'Hyresgästenkät 2026', target: 0.6, areas: AREAS, textQuestions: ['comment'] });
  token = (await t.app.tokens.mint(surveyId, ['stats', 'text'], 3600)).token;
  const seeds = AREAS.flatMap((area, i) => Array.from({ length: 12 + i * 7 }, () => response(surveyId, { areaId: area.id })));
  seeds.push(response(surveyId, { areaId: 'centrum', answers: [{ questionId: 'comment', text: 'Fint att det blev nya cykelställ vid entrén.' }] }));
  for (const data of seeds) expect((await t.sendResponse(data)).status).toBe(200);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await Promise.all([intranet?.close(), stranger?.close()]);
});

const embedUrl = (element: string, query: Record<string, string>) => `${t.url}/embed/${element}?${new URLSearchParams({ survey: surveyId, token, ...query })}`;

/** An intranet page as an editor builds it with the Embed web part: a few iframes in a column layout. */
function hostPage(frames: { src: string; title: string; height: number }[]): string {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Intranätet</title><link rel="icon" href="data:,"><style>
  body { margin: 0; background: #f5f6f8; color: #1f2328; font-family: system-ui, sans-serif; }
  header { padding: 14px 32px; background: #0b3d6e; color: #fff; font-weight: 600; }
  main { max-width: 1240px; margin: 0 auto; padding: 24px 32px; }
  h1 { margin: 0 0 18px; font-size: 26px; }
  .columns { display: grid; grid-template-columns: 1fr 1.3fr 1fr; gap: 20px; align-items: start; }
  iframe { display: block; width: 100%; border: 0; }
</style></head><body><header>Bostadsbolaget · Intranätet</header><main><h1>Hyresgästenkäten: så går det just nu</h1><div class="columns">
${frames.map((frame) => `<iframe src="${frame.src.replace(/&/g, '&amp;')}" title="${frame.title}" height="${frame.height}" loading="lazy"></iframe>`).join('\n')}
</div></main></body></html>`;
}

const counterIn = (frame: Frame) => readPart(frame, 'survey-live-counter', 'value');

describe('an iframe embed', () => {
  it('renders inside an intranet page of an origin in FRAME_ANCESTORS, and follows signed webhooks live', async () => {
    intranet.pages.set(
      '/news',
      hostPage([
        { src: embedUrl('counter', {}), title: 'Svarsfrekvens', height: 300 },
        { src: embedUrl('chart', { kind: 'areas' }), title: 'Svarsfrekvens per område', height: 360 },
        { src: embedUrl('feed', { 'max-items': '3' }), title: 'Fritextsvar', height: 360 },
      ]),
    );
    const page = await browser.newPage({ viewport: { width: 1400, height: 520 }, reducedMotion: 'reduce' });
    const problems = collectProblems(page);
    await page.goto(`${intranet.origin}/news`);
    const counter = page.frameLocator('iframe[title="Svarsfrekvens"]');
    const before = 12 + 19 + 26 + 1;
    await expect
      .poll(() => counter.locator('survey-live-counter').evaluate((el) => el.shadowRoot?.querySelector('[part~="value"]')?.textContent ?? ''), {
        timeout: 10_000,
      })
      .toMatch(new RegExp(`^${before}\\s`));
    const frames = page.frames().filter((frame) => frame !== page.mainFrame());
    expect(frames).toHaveLength(3);
    await expect
      .poll(
        () => frames[1]!.evaluate(() => document.querySelector('survey-live-chart')?.shadowRoot?.querySelector('canvas')?.getAttribute('aria-label') ?? ''),
        { timeout: 10_000 },
      )
      .toContain('Hagalund');
    await expect.poll(() => readPart(frames[2]!, 'survey-live-feed', 'text'), { timeout: 10_000 }).toBe('Fint att det blev nya cykelställ vid entrén.');

    for (let i = 0; i < 3; i++) expect((await t.sendResponse(response(surveyId, { areaId: 'hagalund' }))).status).toBe(200);
    await expect.poll(() => counterIn(frames[0]!), { timeout: 15_000, interval: 50 }).toMatch(new RegExp(`^${before + 3}\\s`));
    expect(problems).toEqual([]);
    await screenshot(page, 'embed-intranet.png', { docs: true });
    await page.close();
  });

  it('is refused by the browser (CSP frame-ancestors) inside a page of an origin not in FRAME_ANCESTORS', async () => {
    const src = embedUrl('counter', {});
    stranger.pages.set('/copy', hostPage([{ src, title: 'Svarsfrekvens', height: 300 }]));
    const page = await browser.newPage();
    const refusals: string[] = [];
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    page.on('requestfailed', (request) => blocked.push(`${request.url()} ${request.failure()?.errorText}`));
    await page.goto(`${stranger.origin}/copy`);
    await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(refusals[0]).toMatch(/Content Security Policy directive: "frame-ancestors 'self' http:\/\/127\.0\.0\.1:\d+"/);
    expect(blocked).toEqual([`${src} net::ERR_BLOCKED_BY_RESPONSE`]);
    // The frame holds the browser's error page, not the embed.
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame())!;
    await expect.poll(() => frame.url(), { timeout: 15_000 }).toBe('chrome-error://chromewebdata/');
    expect(await frame.evaluate(() => document.querySelector('survey-live-counter') !== null)).toBe(false);
    await page.close();
  });

  it('fits a 200 px wide frame without scrollbars, for every element', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['counter', { lang: 'en', theme: 'dark' }, 'survey-live-counter'],
      ['chart', { kind: 'areas' }, 'survey-live-chart'],
      ['chart', { kind: 'timeline', transparent: '1' }, 'survey-live-chart'],
      ['feed', { 'max-items': '2' }, 'survey-live-feed'],
    ];
    const page = await browser.newPage({ viewport: { width: 200, height: 320 } });
    const problems = collectProblems(page);
    for (const [element, query, tag] of cases) {
      await page.goto(embedUrl(element, query));
      await page.waitForFunction(
        (tag) => {
          const root = document.querySelector(tag)?.shadowRoot;
          return (
            root?.querySelector('[part~="value"], canvas[aria-label*="%"], canvas[aria-label*="svar"], [part~="item"]') &&
            !root.querySelector('[part~="error"]')
          );
        },
        tag,
        { timeout: 10_000 },
      );
      const fit = await page.evaluate((tag) => {
        const element = document.querySelector(tag)!;
        const base = element.shadowRoot!.querySelector('[part~="base"]')!.getBoundingClientRect();
        const scroller = document.scrollingElement!;
        return {
          scrollbars: scroller.scrollWidth > innerWidth || scroller.scrollHeight > innerHeight || innerWidth !== document.documentElement.clientWidth,
          base: { left: base.left, right: base.right, top: base.top, bottom: base.bottom },
          lang: document.documentElement.lang,
          theme: element.getAttribute('theme'),
        };
      }, tag);
      expect(fit.scrollbars, `${element} ${JSON.stringify(query)}`).toBe(false);
      expect(fit.base).toEqual({ left: 0, right: 200, top: 0, bottom: 320 });
      expect(fit.lang).toBe(query.lang ?? 'sv');
      expect(fit.theme).toBe(query.theme ?? 'light');
      await expectAccessible(page, `the ${element} embed ${JSON.stringify(query)}`);
    }
    expect(problems).toEqual([]);

    // What a wrongly set up embed shows: the page refusing its settings, the element refused by the API.
    await page.goto(`${t.url}/embed/counter?${new URLSearchParams({ survey: surveyId, theme: 'neon' })}`);
    await page.waitForSelector('.page-error');
    await expectAccessible(page, 'the embed page refusing wrong settings');
    await page.goto(embedUrl('counter', { token: `${token.slice(0, -4)}AAAA` }));
    await page.waitForFunction(() => document.querySelector('survey-live-counter')?.shadowRoot?.querySelector('[part~="error"]'), undefined, {
      timeout: 10_000,
    });
    await expectAccessible(page, 'the counter embed refused by the API');
    await page.close();
  });
});

describe('GET /embed/*', () => {
  const get = (path: string) => fetch(`${t.url}${path}`);

  it('lets FRAME_ANCESTORS and the server itself frame it, with a strict CSP and no contradicting X-Frame-Options', async () => {
    const res = await get(`/embed/counter?survey=${surveyId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBeNull();
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(`frame-ancestors 'self' ${intranet.origin}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await res.text();

    // The admin page is never framed by others.
    const admin = await get('/admin');
    expect(admin.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(admin.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'$/);
    await admin.text();
  });

  it("keeps frame-ancestors 'self' (and X-Frame-Options) when FRAME_ANCESTORS is not set", async () => {
    const plain = await startTestApp();
    try {
      const res = await fetch(`${plain.url}/embed/feed?survey=any`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'(;|$)/);
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      await res.text();
      // Without the demo, the root leads to the admin page and /demo does not exist.
      const root = await fetch(`${plain.url}/`, { redirect: 'manual' });
      expect([root.status, root.headers.get('location')]).toEqual([302, 'admin']);
      expect((await fetch(`${plain.url}/demo`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('renders only whitelisted, escaped values: hostile or wrong settings get a 400 page that reflects nothing', async () => {
    const hostile = '"><script>alert(1)</script>';
    const queries: Record<string, string>[] = [
      { survey: hostile },
      { survey: surveyId, area: hostile },
      { survey: surveyId, token: hostile },
      { survey: surveyId, theme: 'neon' },
      { survey: surveyId, lang: 'de"' },
    ];
    for (const query of queries) {
      const res = await get(`/embed/counter?${new URLSearchParams(query)}`);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const body = await res.text();
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('alert(1)');
      expect(body).toContain('These settings are wrong');
    }
    const repeated = await get(`/embed/counter?survey=${surveyId}&survey=other`);
    expect(repeated.status).toBe(400);
    await repeated.text();

    // Unknown parameters (a CMS's tracking) are dropped, known ones become attributes.
    const res = await get(`/embed/chart?survey=${surveyId}&kind=areas&area=norrby&theme=dark&lang=en&utm_source=%3Cb%3E`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain(`<survey-live-chart survey="${surveyId}" area="norrby" theme="dark" kind="areas"></survey-live-chart>`);
    expect(body).toContain('<html lang="en" class="embed embed-chart">');
    expect(body).not.toContain('utm_source');

    const unknown = await get(`/embed/table?survey=${surveyId}`);
    expect(unknown.status).toBe(404);
    await unknown.text();
  });
});

describe('FRAME_ANCESTORS', () => {
  it('takes origins separated by spaces or commas, and names itself when one is not an origin', () => {
    expect(loadConfig({ FRAME_ANCESTORS: 'https://intranet.example.com, https://contoso.sharepoint.com  http://tv.local:8080' }).frameAncestors).toEqual([
      'https://intranet.example.com',
      'https://contoso.sharepoint.com',
      'http://tv.local:8080',
    ]);
    expect(loadConfig({}).frameAncestors).toEqual([]);
    expect(() => loadConfig({ FRAME_ANCESTORS: 'https://intranet.example.com/news' })).toThrow(ConfigError);
    expect(() => loadConfig({ FRAME_ANCESTORS: "'self' https://intranet.example.com" })).toThrow(/FRAME_ANCESTORS \(item 1\)/);
  });
});
