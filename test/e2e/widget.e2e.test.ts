/**
 * End to end: a plain intranet page on another origin embeds the built widget with one script
 * tag, the real server (real Redis) serves the script and the live data, and real Chromium
 * shows it. Signed webhooks must change the counter, the areas chart and the feed on screen
 * within one second. Screenshots go to test-artifacts/ (light intranet page and dark TV).
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build.js';
import { errorHandler } from '../../server/app.js';
import { WIDGET_DIR, widgetAssets } from '../../server/http/widget-assets.js';
import { response, startTestApp, type TestApp } from '../support/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(root, 'test-artifacts');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const AREAS = [
  { id: 'centrum', name: 'Centrum', distributed: 120, responses: 80 },
  { id: 'norr', name: 'Norra området', distributed: 90, responses: 45 },
  { id: 'soder', name: 'Södra området', distributed: 70, responses: 30 },
  { id: 'vaster', name: 'Västra området', distributed: 60, responses: 18 },
  { id: 'oster', name: 'Östra området', distributed: 40, responses: 10 },
];
const SEEDED = AREAS.reduce((sum, area) => sum + area.responses, 0);
const TEXTS = [
  ['norr', 'Tvättstugan behöver renoveras, maskinerna går sönder ofta.'],
  ['centrum', 'Bra att ni frågar! Vi trivs mycket bra i området.'],
  ['soder', 'Belysningen i garaget är för svag på kvällarna.'],
  ['centrum', 'Trappstädningen har blivit mycket bättre i år.'],
  ['vaster', 'Snabb och trevlig hjälp när vi gjorde en felanmälan.'],
];

let t: TestApp;
let pages: Server;
let pageOrigin: string;
let browser: Browser;
let surveyId: string;
let token: string;

/** The intranet page (light) and the office TV (dark), as their editors would write them. */
function pageHtml(kind: 'intranet' | 'tv'): string {
  const attrs = `survey="${surveyId}" token="${token}"`;
  const script = `<script type="module" src="${t.url}/widget/survey-live.js"></script>`;
  if (kind === 'tv') {
    return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Kontorets TV</title>${script}
<style>
  body { margin: 0; padding: 32px; background: #000; font-family: system-ui, sans-serif; }
  .wall { display: grid; grid-template-columns: 1fr 1.3fr; gap: 24px; }
  .wide { grid-column: 1 / -1; }
</style></head><body><main class="wall">
  <survey-live-counter ${attrs} theme="dark"></survey-live-counter>
  <survey-live-chart ${attrs} kind="areas" theme="dark"></survey-live-chart>
  <survey-live-chart ${attrs} kind="timeline" theme="dark"></survey-live-chart>
  <survey-live-feed ${attrs} theme="dark" max-items="3"></survey-live-feed>
</main></body></html>`;
  }
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Intranätet</title>${script}
<style>
  body { margin: 0; background: #fff; color: #1f2328; font-family: system-ui, sans-serif; }
  header { padding: 14px 32px; background: #0b3d6e; color: #fff; font-weight: 600; }
  main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 40px; }
  h1 { margin: 0 0 4px; font-size: 28px; }
  p.lead { margin: 0 0 24px; color: #4a5561; }
  .grid { display: grid; grid-template-columns: 1fr 1.4fr; gap: 24px; align-items: start; }
  .wide { grid-column: 1 / -1; }
</style></head><body>
<header>Bostadsbolaget · Intranätet</header>
<main>
  <h1>Hyresgästenkäten 2026</h1>
  <p class="lead">Så går enkäten just nu. Siffrorna uppdateras av sig själva.</p>
  <div class="grid">
    <survey-live-counter ${attrs}></survey-live-counter>
    <survey-live-chart ${attrs} kind="areas"></survey-live-chart>
    <survey-live-feed ${attrs} max-items="4"></survey-live-feed>
    <survey-live-chart ${attrs} kind="timeline"></survey-live-chart>
  </div>
</main></body></html>`;
}

/** Seeds a survey with a day's worth of responses: more of them in recent hours, as a campaign goes. */
async function seed(): Promise<void> {
  const now = Date.now();
  const jobs: (() => Promise<Response>)[] = [];
  let n = 0;
  for (const area of AREAS) {
    for (let i = 0; i < area.responses; i++, n++) {
      const hoursAgo = Math.floor((((n * 7919) % 100) ** 1.6 / 100 ** 1.6) * 9);
      const submittedAt = new Date(now - hoursAgo * 3_600_000 - ((n * 131) % 50) * 60_000).toISOString();
      jobs.push(() => t.sendResponse(response(surveyId, { areaId: area.id, submittedAt })));
    }
  }
  for (const [areaId, text] of TEXTS) jobs.push(() => t.sendResponse(response(surveyId, { areaId, answers: [{ questionId: 'comment', text }] })));
  for (let i = 0; i < jobs.length; i += 20) {
    const statuses = await Promise.all(jobs.slice(i, i + 20).map(async (job) => (await job()).status));
    expect(statuses.every((status) => status === 200)).toBe(true);
  }
}

beforeAll(async () => {
  // The server serves dist/widget: build it as `npm start` would (only when stale, so other
  // test files serving dist/ in parallel never see it emptied).
  await buildClient({ ifStale: true, quiet: true });

  pages = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(pageHtml(req.url === '/tv' ? 'tv' : 'intranet'));
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

  t = await startTestApp({ store: 'redis', env: { ALLOWED_ORIGINS: pageOrigin, STATS_INTERVAL_MS: '100' } });
  surveyId = `e2e-${Date.now().toString(36)}`;
  await t.putSurvey({
    id: surveyId,
    name: 'Hyresgästenkät 2026',
    target: 0.6,
    areas: AREAS.map(({ id, name, distributed }) => ({ id, name, distributed })),
    textQuestions: ['comment'],
  });
  token = (await t.app.tokens.mint(surveyId, ['stats', 'text'], 3600)).token;
  await seed();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

/** Reads what the page shows, piercing the elements' shadow roots. */
const onScreen = (page: Page) =>
  page.evaluate(() => {
    const shadow = (selector: string, index = 0) => document.querySelectorAll(selector)[index]!.shadowRoot!;
    const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
    const areas = shadow('survey-live-chart[kind="areas"]');
    return {
      counter: text(shadow('survey-live-counter').querySelector('[part~="value"]')),
      rate: text(shadow('survey-live-counter').querySelector('[part~="rate"]')),
      areasLabel: areas
        .querySelector('canvas')!
        .getAttribute('aria-label')!
        .replace(/\u00a0/g, ' '),
      areasPixels: areas.querySelector('canvas')!.toDataURL(),
      feedTop: text(shadow('survey-live-feed').querySelector('[part~="text"]')),
      errors: [...document.querySelectorAll('survey-live-counter, survey-live-chart, survey-live-feed')].map((el) =>
        text(el.shadowRoot!.querySelector('[part~="error"]')),
      ),
    };
  });

async function openPage(path: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport, reducedMotion: 'reduce' });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${pageOrigin}${path}`);
  await page.waitForFunction(
    (seeded) => {
      const shadow = (selector: string) => document.querySelector(selector)?.shadowRoot;
      const value = shadow('survey-live-counter')?.querySelector('[part~="value"]')?.textContent?.replace(/\D/g, '');
      return (
        Number(value) >= seeded &&
        shadow('survey-live-chart[kind="areas"]')?.querySelector('[part~="legend"]') &&
        shadow('survey-live-feed')?.querySelector('[part~="item"]')
      );
    },
    SEEDED + TEXTS.length,
    { timeout: 15_000 },
  );
  expect(problems).toEqual([]);
  return page;
}

describe('the widget on an intranet page of another origin', () => {
  it('shows the survey, and shows each signed webhook on screen', async () => {
    const page = await openPage('/', { width: 1280, height: 1000 });
    const before = await onScreen(page);
    expect(before.counter).toBe(`${SEEDED + TEXTS.length} svar`);
    expect(before.errors.every((error) => error === '')).toBe(true);
    expect(before.areasLabel).toBe(
      'Svarsfrekvens per område: Centrum 68,3 %, Norra området 51,1 %, Södra området 44,3 %, Västra området 31,7 %, Östra området 25 %. Mål 60 %.',
    );
    expect(before.feedTop).toBe(TEXTS.at(-1)![1]);

    // Östra området goes from 10 + 0 to 25 of 40: from last place to third on the leaderboard.
    for (let round = 1; round <= 3; round++) {
      const text = `Nytt svar nummer ${['ett', 'två', 'tre'][round - 1]} från Östra området`;
      const previous = await onScreen(page);
      const batch = Array.from({ length: 5 }, (_, i) => response(surveyId, { areaId: 'oster', answers: i === 4 ? [{ questionId: 'comment', text }] : [] }));
      for (const data of batch) expect((await t.sendResponse(data)).status).toBe(200);
      await page.waitForFunction(
        ({ count, text, label, pixels }) => {
          const shadow = (selector: string) => document.querySelector(selector)!.shadowRoot!;
          const canvas = shadow('survey-live-chart[kind="areas"]').querySelector('canvas')!;
          return (
            shadow('survey-live-counter').querySelector('[part~="value"]')!.textContent!.replace(/\D/g, '') === String(count) &&
            shadow('survey-live-feed').querySelector('[part~="text"]')!.textContent === text &&
            canvas.getAttribute('aria-label') !== label &&
            canvas.toDataURL() !== pixels
          );
        },
        { count: SEEDED + TEXTS.length + round * 5, text, label: previous.areasLabel, pixels: previous.areasPixels },
        // A deadline for a hung page, not a speed goal (that is npm run bench's).
        { timeout: 15_000, polling: 20 },
      );
    }
    const after = await onScreen(page);
    expect(after.areasLabel).toContain('Östra området 62,5 %');
    expect(after.areasLabel.indexOf('Östra')).toBeLessThan(after.areasLabel.indexOf('Norra'));

    await page.screenshot({ path: join(ARTIFACTS, 'widget-e2e.png'), fullPage: true });
    await page.close();
  });

  it('looks right on a dark office TV', async () => {
    const page = await openPage('/tv', { width: 1920, height: 1080 });
    const background = await page.evaluate(
      () => getComputedStyle(document.querySelector('survey-live-counter')!.shadowRoot!.querySelector('[part~="base"]')!).backgroundColor,
    );
    expect(background).toBe('rgb(17, 20, 24)');
    await page.screenshot({ path: join(ARTIFACTS, 'widget-e2e-tv.png') });
    await page.close();
  });
});

describe('GET /widget/*', () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}/widget/${path}`, { headers });

  it('revalidates the entry (no-cache + ETag, 304 when unchanged) and lets ALLOWED_ORIGINS load it', async () => {
    const res = await get('survey-live.js', { Origin: pageOrigin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('access-control-allow-origin')).toBe(pageOrigin);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    await res.arrayBuffer();
    // As a browser revalidates (fetch() would add Cache-Control: no-cache to a conditional request).
    const again = await get('survey-live.js', { Origin: pageOrigin, 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' });
    expect(again.status).toBe(304);

    const stranger = await get('survey-live.js', { Origin: 'https://elsewhere.example' });
    expect(stranger.status).toBe(200);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    await stranger.arrayBuffer();
  });

  it('sends the entry compressed: under the 25 KB budget on the wire', async () => {
    // node:http, not fetch: fetch would decompress and hide what crossed the wire.
    const { request } = await import('node:http');
    const wire = await new Promise<{ encoding: string | undefined; bytes: number }>((resolve, reject) => {
      request(`${t.url}/widget/survey-live.js`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes }));
      })
        .on('error', reject)
        .end();
    });
    expect(wire.encoding).toBe('gzip');
    expect(wire.bytes).toBeLessThanOrEqual(25_000);
  });

  it('caches content-hashed chunks for a year', async () => {
    const entry = await (await get('survey-live.js')).text();
    const chunk = /import\(`\.\/(chunks\/[^`]+)`\)/.exec(entry)?.[1];
    expect(chunk).toBeTruthy();
    const res = await get(chunk!, { Origin: pageOrigin });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe(pageOrigin);
    await res.arrayBuffer();
  });

  it('answers 404 problem+json for unknown files, and says to build when the widget was never built', async () => {
    const missing = await get('nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    await missing.arrayBuffer();

    const app = express();
    app.use(widgetAssets({ isOriginAllowed: () => false, dir: join(WIDGET_DIR, 'never-built') }));
    app.use(errorHandler(t.app.logger));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/widget/survey-live.js`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await res.json()).detail).toContain('npm run build');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
