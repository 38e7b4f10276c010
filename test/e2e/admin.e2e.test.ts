/**
 * The admin page (/admin) end to end in Chromium against a real server (real Redis): the admin
 * token is asked for once and kept in session storage, never in a URL; the embed builder mints
 * a read token with the chosen scopes and expiry, and its snippets work pasted into a fresh page
 * of an intranet origin; the moderation queue approves and rejects held free text.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, response, startTestApp, type TestApp } from '../support/harness.js';
import { collectProblems, ensureBuilt, type HostServer, launchChromium, readPart, screenshot, startHostServer } from './pages-helpers.js';

let t: TestApp;
let intranet: HostServer;
let browser: Browser;
const surveyId = `admin-${Date.now().toString(36)}`;
const SEEDED = 14;

beforeAll(async () => {
  await ensureBuilt();
  intranet = await startHostServer();
  t = await startTestApp({
    store: 'redis',
    env: { ALLOWED_ORIGINS: intranet.origin, FRAME_ANCESTORS: intranet.origin, TEXT_MODERATION: 'hold', STATS_INTERVAL_MS: '100' },
  });
  await t.putSurvey({
    id: surveyId,
    name: 'Hyresgästenkät 2026',
    target: 0.65,
    areas: [
      { id: 'centrum', name: 'Centrum', distributed: 40 },
      { id: 'norrby', name: 'Norrby', distributed: 30 },
    ],
    textQuestions: ['comment'],
  });
  for (let i = 0; i < SEEDED; i++) expect((await t.sendResponse(response(surveyId, { areaId: i % 2 ? 'centrum' : 'norrby' }))).status).toBe(200);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await intranet?.close();
});

/** A tab of its own (session storage is per tab), with every URL it requested. */
async function openAdmin(context?: BrowserContext): Promise<{ page: Page; urls: string[]; problems: string[] }> {
  const page = await (context ?? browser).newPage({ viewport: { width: 1440, height: 1500 }, reducedMotion: 'reduce' });
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  const problems = collectProblems(page);
  await page.goto(`${t.url}/admin`);
  return { page, urls, problems };
}

async function signIn(page: Page, token = ADMIN_TOKEN): Promise<void> {
  await page.fill('input[name="admin-token"]', token);
  await page.click('button[type="submit"]');
}

describe('the admin page', () => {
  it('asks for the admin token once and keeps it in session storage for the tab, never in a URL', async () => {
    const context = await browser.newContext();
    const { page, urls } = await openAdmin(context);
    await signIn(page, 'not-the-admin-token-at-all');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toBe('That admin token is wrong.');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await signIn(page);
    await page.waitForSelector('.admin-surveys');
    expect(await page.locator('.admin-surveys .name').allTextContents()).toContain('Hyresgästenkät 2026');
    expect(await page.evaluate(() => [sessionStorage.getItem('survey-live:admin-token'), localStorage.length])).toEqual([ADMIN_TOKEN, 0]);

    // Once per tab: a reload keeps it; a sign-out forgets it.
    await page.reload();
    await page.waitForSelector('.admin-surveys');
    await page.click('button.link');
    await page.waitForSelector('input[name="admin-token"]');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    expect(urls.length).toBeGreaterThan(3);
    expect(urls.filter((url) => url.includes(ADMIN_TOKEN) || url.includes('not-the-admin-token'))).toEqual([]);
    expect(page.url()).toBe(`${t.url}/admin`);
    await context.close();
  });

  it('offers every steering element; each snippet names its element and attributes and its iframe page renders it', async () => {
    const { page, problems } = await openAdmin();
    await signIn(page);
    await page.waitForSelector('.builder');
    const offered = await page.locator('select[name="element"] option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['pace', 'call-list', 'channels']));
    await page.click('.builder button[type="submit"]');
    await page.waitForSelector('.snippets');
    const expected: [string, RegExp, string][] = [
      ['pace', /<survey-live-pace survey="[^"]+" token="[^"]+" lang="sv" theme="light"><\/survey-live-pace>/, 'survey-live-pace'],
      ['call-list', /<survey-live-call-list survey=/, 'survey-live-call-list'],
      ['channels', /<survey-live-chart survey="[^"]+" kind="channels" /, 'survey-live-chart'],
    ];
    for (const [value, snippet, tag] of expected) {
      await page.selectOption('select[name="element"]', value);
      await expect.poll(() => page.inputValue('[data-snippet="script"] textarea')).toMatch(snippet);
      await expect
        .poll(
          () =>
            page
              .frameLocator('iframe.preview')
              .locator(tag)
              .evaluate((el) => Boolean(el.shadowRoot?.querySelector('[part~="base"]'))),
          { timeout: 10_000 },
        )
        .toBe(true);
    }
    expect(problems).toEqual([]);
  });

  it('mints a read token with the chosen scopes and expiry; its script and iframe snippets work pasted into a fresh intranet page', async () => {
    const { page, problems } = await openAdmin();
    await signIn(page);
    await page.waitForSelector('.builder');
    await page.selectOption('select[name="element"]', 'counter');
    await page.selectOption('select[name="lang"]', 'en');
    await page.selectOption('select[name="expiresIn"]', '7d');
    await page.click('.builder button[type="submit"]');
    await page.waitForSelector('.snippets');
    const script = await page.inputValue('[data-snippet="script"] textarea');
    const iframe = await page.inputValue('[data-snippet="iframe"] textarea');
    const board = await page.inputValue('[data-snippet="board"] input');

    const token = /token="([^"]+)"/.exec(script)![1]!;
    expect(script).toBe(
      `<script type="module" src="${t.url}/widget/survey-live.js"></script>\n<survey-live-counter survey="${surveyId}" token="${token}" lang="en" theme="light"></survey-live-counter>`,
    );
    expect(iframe).toContain(`src="${t.url}/embed/counter?survey=${surveyId}&amp;token=${token}&amp;lang=en&amp;theme=light"`);
    expect(board).toBe(`${t.url}/board/${surveyId}?token=${token}&lang=en`);
    // What the form asked for: counts only, for seven days.
    const stats = await t.app.tokens.check(token, surveyId, 'stats');
    expect(stats.ok).toBe(true);
    if (stats.ok) expect(Math.abs(stats.grant.expiresAt.getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(120_000);
    expect(await t.app.tokens.check(token, surveyId, 'text')).toMatchObject({ ok: false, status: 403 });

    // The live previews show the survey too.
    await page.waitForFunction(() => document.querySelector('.preview survey-live-counter')?.shadowRoot?.querySelector('[part~="value"]'), undefined, {
      timeout: 10_000,
    });
    await expect
      .poll(
        () =>
          page
            .frameLocator('iframe.preview')
            .locator('survey-live-counter')
            .evaluate((el) => el.shadowRoot?.querySelector('[part~="value"]')?.textContent ?? ''),
        { timeout: 10_000 },
      )
      .toMatch(/^14\s/);
    expect(problems).toEqual([]);
    await screenshot(page, 'admin.png', { docs: true });

    // Pasted as they are into a page of the intranet, on another origin.
    intranet.pages.set(
      '/fresh',
      `<!doctype html><html><head><meta charset="utf-8"><title>Fresh</title><link rel="icon" href="data:,"></head><body>\n${script}\n${iframe}\n</body></html>`,
    );
    const fresh = await browser.newPage();
    const freshProblems = collectProblems(fresh);
    await fresh.goto(`${intranet.origin}/fresh`);
    const inFrame = () => readPart(fresh.frames()[1]!, 'survey-live-counter', 'value').catch(() => '');
    await expect.poll(() => readPart(fresh, 'survey-live-counter', 'value'), { timeout: 10_000 }).toBe(`${SEEDED} responses`);
    await expect.poll(inFrame, { timeout: 10_000 }).toBe(`${SEEDED} responses`);
    expect((await t.sendResponse(response(surveyId, { areaId: 'centrum' }))).status).toBe(200);
    await expect.poll(() => readPart(fresh, 'survey-live-counter', 'value'), { timeout: 15_000 }).toBe(`${SEEDED + 1} responses`);
    await expect.poll(inFrame, { timeout: 15_000 }).toBe(`${SEEDED + 1} responses`);
    expect(freshProblems).toEqual([]);
    await fresh.close();
    await page.close();
  }, 40_000);

  it('shows free text held for review, and approving or rejecting it decides what feeds get', async () => {
    const kept = 'Snabb och trevlig hjälp med elementet, tack!';
    const dropped = 'Grannen i trapphus B är en idiot.';
    for (const text of [kept, dropped]) {
      expect((await t.sendResponse(response(surveyId, { areaId: 'centrum', answers: [{ questionId: 'comment', text }] }))).status).toBe(200);
    }
    const { page, problems } = await openAdmin();
    await signIn(page);
    await page.waitForSelector('.moderation');
    expect(await page.locator('#moderation-title .count').textContent()).toBe('2');
    await page.locator('.pending-text', { hasText: kept }).locator('button.approve').click();
    // TEXT_FILTER=mask (the default) masks the insult before an admin sees it.
    await page.locator('.pending-text', { hasText: 'Grannen i trapphus B är en i***.' }).locator('button.reject').click();
    await page.waitForSelector('.moderation', { state: 'detached' });

    const pending = await (await t.admin('GET', `/api/v1/surveys/${surveyId}/texts/pending`)).json();
    expect(pending).toEqual({ texts: [] });
    const { token } = await t.app.tokens.mint(surveyId, ['stats', 'text'], 600);
    const visible = await (await fetch(`${t.url}/api/v1/surveys/${surveyId}/texts`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(visible.texts.map((text: { text: string }) => text.text)).toEqual([kept]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
