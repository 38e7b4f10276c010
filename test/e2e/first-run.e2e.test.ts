/**
 * The first run, as the README tells a newcomer: `npm start` in a fresh checkout with no
 * configuration at all (only PORT, so tests never collide). It must build what browsers run,
 * start the demo and print the URLs; the demo page's counter must then rise on its own.
 * A second test renders the demo page fully filled (free text without the demo's privacy
 * delay) for the docs' screenshot.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build.js';
import { createApp } from '../../server/app.js';
import { seedDemo } from '../../server/demo/demo-history.js';
import { startDemoSender } from '../../server/demo/demo-sender.js';
import { DEMO_SURVEY_ID } from '../../server/demo/demo-survey.js';
import { WEBHOOK_PATH } from '../../server/ingest/webhook-handler.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import { eventually, TEST_SECRET, testConfig } from '../support/harness.js';
import { collectProblems, ensureBuilt, expectAccessible, launchChromium, ROOT, readPart, screenshot } from './pages-helpers.js';

let browser: Browser;

beforeAll(async () => {
  // What `npm start` would build, built first so a parallel test file never sees dist/ rewritten.
  await Promise.all([ensureBuilt(), buildServer({ ifStale: true, quiet: true })]);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

/** Stops `npm start` and the server under it (their own process group) and waits for the exit. */
async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

const counted = (text: string) => Number(text.replace(/\D/g, ''));

/** Until the demo page's elements are filled: the counter's figure, every chart's legend, four free-text answers. */
async function waitForDemo(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = (selector: string) => document.querySelector(selector)?.shadowRoot;
      return (
        root('survey-live-counter')?.querySelector('[part~="value"]') &&
        [...document.querySelectorAll('survey-live-chart')].every((chart) => chart.shadowRoot?.querySelector('[part~="legend"]')) &&
        root('survey-live-feed')?.querySelectorAll('[part~="item"]').length === 4
      );
    },
    undefined,
    { timeout: 15_000 },
  );
}

/** Starts `command` as a newcomer would, with no configuration; it must print the demo URLs, and the demo page's counter must rise. */
async function expectFirstRun(command: string, args: string[]): Promise<void> {
  const startedAt = Date.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    // No survey-live configuration from the test's environment: only what npm needs, and a free port.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  try {
    const urls = await eventually(
      () => {
        const match = /demo page\s+(\S+)\n\s+board \(TV\)\s+(\S+)\n\s+admin page\s+(\S+)\n\s+admin token\s+(\S+)/.exec(output);
        return match && { demo: match[1]!, board: match[2]!, admin: match[3]!, adminToken: match[4]! };
      },
      'the demo URLs on stdout',
      // npm start builds when stale before it starts: a minute and more on a busy 2-core machine.
      120_000,
    ).catch((error) => {
      throw new Error(`${error.message}\n--- ${command} ${args.join(' ')} said:\n${output}`);
    });
    console.log(`${command} ${args.join(' ')}: demo URLs printed after ${Date.now() - startedAt} ms`);
    expect(urls.demo).toMatch(/^http:\/\/localhost:\d+\/demo$/);
    expect(urls.adminToken.length).toBeGreaterThanOrEqual(16);
    for (const url of [urls.board, urls.admin]) expect((await fetch(url)).status, url).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const problems = collectProblems(page);
    await page.goto(urls.demo);
    await page.waitForFunction(() => document.querySelector('survey-live-counter')?.shadowRoot?.querySelector('[part~="value"]'), undefined, {
      timeout: 60_000,
    });
    const first = counted(await readPart(page, 'survey-live-counter', 'value'));
    await expect.poll(async () => counted(await readPart(page, 'survey-live-counter', 'value')), { timeout: 60_000, interval: 250 }).toBeGreaterThan(first);
    expect(
      await page.evaluate(() => [...document.querySelectorAll('survey-live-counter, survey-live-chart, survey-live-feed')].map((el) => el.localName)),
    ).toEqual(['survey-live-counter', 'survey-live-chart', 'survey-live-chart', 'survey-live-feed']);
    expect(problems).toEqual([]);
    await page.close();
  } finally {
    await stop(child);
  }
}

describe('the first run', () => {
  it('`npm start` with no configuration prints the demo URLs, and the demo page counter rises by itself', async () => {
    await expectFirstRun('npm', ['start']);
  }, 240_000);

  it('the built server, `node dist/server/main.js`, does the same with no TypeScript tooling loaded', async () => {
    // Built before all tests: Node 20 cannot load a .ts file, so any source left unbuilt fails here.
    await expectFirstRun('node', ['dist/server/main.js']);
  }, 240_000);

  it('the demo page, filled in: counter, leaderboard, timeline and feed at 1920x1080, in Swedish and in English', async () => {
    const config = testConfig({ DEMO: 'true', MIN_GROUP_SIZE: '5' });
    const store = new MemoryStore({ textLimit: config.textLimit });
    // As server/main.ts starts the demo: last year's campaign, the survey, its reminder rounds.
    await seedDemo(store, config.timeZone);
    const app = createApp({ config, store, logger: pino({ level: 'silent' }) });
    const { port } = await app.listen(0, '127.0.0.1');
    const sender = startDemoSender({ url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, secret: TEST_SECRET });
    try {
      await eventually(async () => ((await app.live.snapshots.get(DEMO_SURVEY_ID))?.responses ?? 0) >= 420, 'the demo history', 120_000);
      // Swedish by default for a Swedish browser; the elements speak the page's language.
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce', locale: 'sv-SE' });
      const problems = collectProblems(page);
      await page.goto(`http://127.0.0.1:${port}/demo`);
      await waitForDemo(page);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');
      expect(await page.locator('a', { hasText: 'kontorsskärmen' }).getAttribute('href')).toMatch(/^board\/demo\?token=[\w-]+\.[\w-]+\.[\w-]+&lang=sv$/);
      expect(await page.locator('a', { hasText: 'Kampanjrapporten' }).getAttribute('href')).toMatch(/^report\/demo\?token=[\w-]+\.[\w-]+\.[\w-]+&lang=sv$/);
      expect(await page.locator('a', { hasText: 'English' }).getAttribute('href')).toBe('demo?lang=en');
      // The counter against last year, the daily timeline with last year's line and the two rounds.
      expect(await readPart(page, 'survey-live-counter', 'comparison')).toMatch(/^[+−]?\d+,\d p\.e\. mot samma dag 2025$/);
      expect(await readPart(page, 'survey-live-chart[range="day"]', 'legend')).toBe(
        'Svar per dagSvarsfrekvens (totalt)Hyresgästenkät 2025, samma dagPåminnelseomgångmål 65 %',
      );
      expect(problems).toEqual([]);
      await expectAccessible(page, 'the demo page in Swedish');
      await screenshot(page, 'demo.png', { docs: true });

      // The link to English: the page, its elements and its links in English.
      await page.click('a:has-text("English")');
      await waitForDemo(page);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await page.locator('h1').textContent()).toBe('Live response rates for a tenant survey');
      expect(await page.locator('a', { hasText: 'office board' }).getAttribute('href')).toMatch(/&lang=en$/);
      expect(await page.locator('a', { hasText: 'Admin' }).getAttribute('href')).toBe('admin?lang=en');
      expect(await readPart(page, 'survey-live-counter', 'comparison')).toMatch(/^[+−-]?\d+\.\d pp vs same day 2025$/);
      expect(problems).toEqual([]);
      await expectAccessible(page, 'the demo page in English');
      await screenshot(page, 'demo-en.png', { docs: true });
      await page.close();
    } finally {
      sender.stop();
      await app.close();
      await store.close();
    }
  }, 240_000);
});
