/**
 * The admin page (/admin) end to end in Chromium against a real server (real Redis), doing each
 * task of a survey lead through the page, in Swedish and English: sign-in with the admin token
 * (kept in the tab's session storage, never in a URL); a survey created and edited with errors
 * shown next to their fields; a hand-out CSV previewed, then applied; unmatched responses
 * replayed; free text moderated, taken down live and erased by response id; read tokens minted
 * (area-scoped too) with working snippets, listed and revoked; the audit log filtered; the
 * campaign tab's reminder rounds (added with their effect, deleted), an earlier campaign's
 * history CSV (a bad line named, nothing changed; then imported), the CSV export and the report's links.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextAnswer } from '../../shared/schemas.js';
import { ADMIN_TOKEN, response, startTestApp, type TestApp } from '../support/harness.js';
import { collectProblems, ensureBuilt, expectAccessible, type HostServer, launchChromium, screenshot, startHostServer } from './pages-helpers.js';

let t: TestApp;
let intranet: HostServer;
let browser: Browser;
const run = Date.now().toString(36);
const surveyId = `admin-${run}`;
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

/** A tab of its own (session storage is per tab), signed in unless told otherwise, with every URL it requested. */
async function openAdmin(lang: 'sv' | 'en', { signIn = true } = {}): Promise<{ page: Page; urls: string[]; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1500 }, reducedMotion: 'reduce' });
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('dialog', (dialog) => void dialog.accept());
  const problems = collectProblems(page);
  await page.goto(`${t.url}/admin${lang === 'en' ? '?lang=en' : ''}`);
  if (signIn) {
    await page.fill('input[name="admin-token"]', ADMIN_TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForSelector('.admin-surveys');
  }
  return { page, urls, problems };
}

async function openSurvey(page: Page, name: string, tab: string): Promise<void> {
  await page.locator('.admin-surveys button', { hasText: name }).click();
  await page.click(`.admin-tabs [data-tab="${tab}"]`);
}

/** Console problems besides the failed loads of refusals the page shows in its own words (a wrong token, a field error). */
const unexpected = (problems: string[]) => problems.filter((problem) => !/status of 4\d\d/.test(problem));

/** A datetime-local value, in the browser's (this machine's) time zone, as the page reads it. */
const localInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

const readApi = async <T>(surveyIdToRead: string, path: string): Promise<T> => {
  const { token } = await t.app.tokens.mint(surveyIdToRead, ['stats'], 600);
  const res = await fetch(`${t.url}/api/v1/surveys/${surveyIdToRead}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

const texts = async (surveyIdToRead: string) => {
  const { token } = await t.app.tokens.mint(surveyIdToRead, ['stats', 'text'], 600);
  const res = await fetch(`${t.url}/api/v1/surveys/${surveyIdToRead}/texts`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await res.json()) as { texts: TextAnswer[] }).texts;
};

describe('the admin page', { timeout: 90_000 }, () => {
  it('asks for the admin token once and keeps it in session storage for the tab, never in a URL (Swedish)', async () => {
    const { page, urls, problems } = await openAdmin('sv', { signIn: false });
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    await page.fill('input[name="admin-token"]', 'not-the-admin-token-at-all');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toBe('Admintoken är fel.');
    await expectAccessible(page, 'the admin sign-in, a wrong token told (Swedish)');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.fill('input[name="admin-token"]', ADMIN_TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForSelector('.admin-surveys');
    expect(await page.locator('.admin-surveys .name').allTextContents()).toContain('Hyresgästenkät 2026');
    await expectAccessible(page, 'the admin survey list (Swedish)');
    expect(await page.evaluate(() => [sessionStorage.getItem('survey-live:admin-token'), localStorage.length])).toEqual([ADMIN_TOKEN, 0]);
    await page.reload();
    await page.waitForSelector('.admin-surveys');
    await page.click('button.sign-out');
    await page.waitForSelector('input[name="admin-token"]');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(urls.filter((url) => url.includes(ADMIN_TOKEN) || url.includes('not-the-admin-token'))).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('creates a survey with errors shown next to their fields, then edits its areas; a response kept as unmatched is replayed (Swedish)', async () => {
    const newId = `ny-${run}`;
    // A response for the survey before it exists is kept as unmatched.
    expect((await t.sendResponse(response(newId, { areaId: 'hagby' }))).status).toBe(202);
    const { page, problems } = await openAdmin('sv');
    await page.click('button.new-survey');
    await page.fill('#f-id', newId);
    await page.fill('#f-name', 'Enkät Hagby');
    await page.fill('#f-target', '150');
    await page.click('button.add-area');
    await page.fill('input[name="areas.0.id"]', 'hag by');
    await page.fill('input[name="areas.0.name"]', 'Hagby');
    await page.fill('input[name="areas.0.distributed"]', '25');
    await page.click('.survey-form button[type="submit"]');
    await page.waitForSelector('[data-field="target"] .field-error');
    expect(await page.getAttribute('#f-target', 'aria-invalid')).toBe('true');
    expect(await page.locator('[data-field="target"] .field-error').textContent()).toMatch(/1/);
    expect(await page.locator('input[name="areas.0.id"] + .field-error, td:has(input[name="areas.0.id"]) .field-error').textContent()).toMatch(/letters/);
    expect(await page.locator('[role="alert"]').textContent()).toBe('Rätta fälten som är markerade.');
    await expectAccessible(page, 'the new-survey form with field errors (Swedish)');

    await page.fill('#f-target', '60');
    await page.fill('input[name="areas.0.id"]', 'hagby');
    await page.click('.survey-form button[type="submit"]');
    await expect.poll(() => page.locator('.admin-surveys .name').allTextContents()).toContain('Enkät Hagby');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toBe('Sparat.');

    // Edit: one more area.
    await page.click('button.add-area');
    await page.fill('input[name="areas.1.id"]', 'ekbacken');
    await page.fill('input[name="areas.1.name"]', 'Ekbacken');
    await page.fill('input[name="areas.1.distributed"]', '12');
    await page.fill('input[name="areas.1.target"]', '72.5');
    await page.click('.survey-form button[type="submit"]');
    await expect.poll(() => page.locator('.admin-survey > .muted').textContent()).toMatch(/2 områden · 37 utdelade/);
    // An area's own target is saved, and a later edit of another field keeps it.
    const areaTargets = async () =>
      ((await (await t.admin('GET', `/api/v1/surveys/${newId}`)).json()) as { areas: { id: string; target?: number }[] }).areas.map((area) => [
        area.id,
        area.target,
      ]);
    await expect.poll(areaTargets).toEqual([
      ['hagby', undefined],
      ['ekbacken', 0.725],
    ]);
    await page.fill('input[name="areas.0.distributed"]', '26');
    await page.click('.survey-form button[type="submit"]');
    await expect.poll(() => page.locator('.admin-survey > .muted').textContent()).toMatch(/2 områden · 38 utdelade/);
    expect(await areaTargets()).toEqual([
      ['hagby', undefined],
      ['ekbacken', 0.725],
    ]);
    await page.fill('input[name="areas.0.distributed"]', '25');
    await page.click('.survey-form button[type="submit"]');
    await expect.poll(() => page.locator('.admin-survey > .muted').textContent()).toMatch(/2 områden · 37 utdelade/);

    // Compared with an earlier campaign, chosen among the other surveys; kept through a later edit.
    const compareTo = async () => ((await (await t.admin('GET', `/api/v1/surveys/${newId}`)).json()) as { compareTo?: string }).compareTo;
    expect(await page.locator('label[for="f-compareTo"]').textContent()).toBe('Jämför med tidigare kampanj');
    await page.selectOption('#f-compareTo', surveyId);
    await page.click('.survey-form button[type="submit"]');
    await expect.poll(compareTo).toBe(surveyId);
    // The page has read the saved survey back into the form (the button is enabled again): typing now is kept.
    await page.waitForSelector('.survey-form button[type="submit"]:not([disabled])');
    await page.fill('#f-name', 'Enkät Hagby 2026');
    await page.click('.survey-form button[type="submit"]');
    await expect.poll(() => page.locator('.admin-surveys .name').allTextContents()).toContain('Enkät Hagby 2026');
    expect(await compareTo()).toBe(surveyId);

    await page.click('button.open-unmatched');
    await page.waitForSelector('table.unmatched');
    expect(await page.locator('table.unmatched').textContent()).toContain(newId);
    await expectAccessible(page, 'the unmatched responses (Swedish)');
    await page.click('button.replay');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toMatch(/^Räknade: 1,/);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('previews a hand-out CSV before applying it, shows line errors, and deletes a survey (English)', async () => {
    const { page, problems } = await openAdmin('en');
    await openSurvey(page, 'Enkät Hagby', 'handout');
    await page.setInputFiles('input[name="csv"]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('area,distributed\nhagby,many\n') });
    await page.click('button.preview-handout');
    await page.waitForSelector('.line-errors');
    expect(await page.locator('.line-errors').textContent()).toMatch(/2/);

    await page.setInputFiles('input[name="csv"]', { name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from('area,distributed\nhagby,40\nekbacken,12\n') });
    await page.click('button.preview-handout');
    await page.waitForSelector('.handout-preview');
    expect((await page.locator('.handout-preview tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim())).toEqual(['2 Hagby 25 40']);
    // Nothing applied yet.
    expect(await page.locator('.admin-survey > .muted').textContent()).toMatch(/37 handed out/);
    await expectAccessible(page, 'the hand-out tab with a preview (English)');
    await page.click('button.apply-handout');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toBe('The changes now apply.');
    await expect.poll(() => page.locator('.admin-survey > .muted').textContent()).toMatch(/52 handed out/);

    await page.click('.admin-tabs [data-tab="settings"]');
    await page.waitForSelector('button.delete-survey');
    await expectAccessible(page, 'the settings tab of a survey (English)');
    await page.click('button.delete-survey');
    await expect.poll(() => page.locator('.admin-surveys .name').allTextContents()).not.toContain('Enkät Hagby');
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('offers every steering element; each snippet names its element and its iframe page renders it (English)', async () => {
    const { page, problems } = await openAdmin('en');
    await openSurvey(page, 'Hyresgästenkät 2026', 'embed');
    await page.waitForSelector('.builder');
    const offered = await page.locator('select[name="element"] option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['pace', 'call-list', 'channels']));
    await page.click('.builder button[type="submit"]');
    await page.waitForSelector('.snippets');
    const expected: [string, RegExp, string][] = [
      ['pace', /<survey-live-pace survey="[^"]+" token="[^"]+"/, 'survey-live-pace'],
      ['call-list', /<survey-live-call-list survey=/, 'survey-live-call-list'],
      ['channels', /<survey-live-chart survey="[^"]+" kind="channels" /, 'survey-live-chart'],
      ['timeline-day', /<survey-live-chart survey="[^"]+" kind="timeline" range="day" /, 'survey-live-chart'],
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
    // The report to print, for the same token and language.
    expect(await page.inputValue('[data-snippet="report"] input')).toMatch(/\/report\/[^?]+\?token=[\w-]+\.[\w-]+\.[\w-]+&lang=en$/);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('mints an area-scoped token with a label; its snippets work pasted into an intranet page; the list shows it and revokes it (English)', async () => {
    const { page, problems } = await openAdmin('en');
    await openSurvey(page, 'Hyresgästenkät 2026', 'embed');
    await page.waitForSelector('.builder');
    await page.selectOption('select[name="element"]', 'areas');
    await page.selectOption('select[name="lang"]', 'en');
    await page.selectOption('select[name="expiresIn"]', '7d');
    await page.fill('input[name="label"]', 'TV reception Norrby');
    await page.check('input[name="areaIds"][value="norrby"]');
    await page.click('.builder button[type="submit"]');
    await page.waitForSelector('.snippets');
    const script = await page.inputValue('[data-snippet="script"] textarea');
    const token = /token="([^"]+)"/.exec(script)![1]!;
    const check = await t.app.tokens.check(token, surveyId, 'stats');
    expect(check.ok && check.grant.areaIds).toEqual(['norrby']);
    await expect.poll(() => page.locator('.token-row').first().textContent()).toMatch(/TV reception Norrby.*norrby/s);
    await expectAccessible(page, 'the embed tab: snippets and the list of tokens (English)');
    await screenshot(page, 'admin.png', { docs: true });

    // Pasted into the intranet: the leaderboard shows Norrby only.
    intranet.pages.set(
      '/norrby',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Norrby</title><link rel="icon" href="data:,"></head><body>\n${script}\n</body></html>`,
    );
    const fresh = await browser.newPage();
    const freshProblems = collectProblems(fresh);
    // Every snapshot the chart shows, as its survey-live-update events tell.
    await fresh.addInitScript(() => {
      const seen: string[][] = [];
      (window as unknown as { seen: string[][] }).seen = seen;
      document.addEventListener(
        'survey-live-update',
        (event) => seen.push((event as CustomEvent).detail.snapshot.areas.map((area: { id: string }) => area.id)),
        true,
      );
    });
    await fresh.goto(`${intranet.origin}/norrby`);
    await expect.poll(() => fresh.evaluate(() => (window as unknown as { seen: string[][] }).seen.length), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await fresh.evaluate(() => (window as unknown as { seen: string[][] }).seen)).toEqual([['norrby']]);
    expect(freshProblems).toEqual([]);
    await fresh.close();

    await page.locator('.token-row', { hasText: 'TV reception Norrby' }).locator('button.revoke').click();
    await expect.poll(() => page.locator('.token-row', { hasText: 'TV reception Norrby' }).locator('.revoked').count()).toBe(1);
    expect(await t.app.tokens.check(token, surveyId, 'stats')).toMatchObject({ ok: false, status: 401, reason: 'The read token was revoked' });

    await page.click('.admin-tabs [data-tab="audit"]');
    await page.selectOption('select[name="action"]', 'token.revoke');
    await expect.poll(() => page.locator('.audit-row').allTextContents()).toEqual([expect.stringMatching(/admin-token\s*token\.revoke/)]);
    await expectAccessible(page, 'the audit tab (English)');
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('moderates held free text, takes a shown answer down from a live feed, and erases a response by its id (Swedish)', async () => {
    const kept = 'Snabb och trevlig hjälp med elementet, tack!';
    const dropped = 'Grannen i trapphus B är en idiot.';
    const erased = 'Min hiss har varit trasig i tre veckor';
    for (const [text, responseId] of [
      [kept, `r-kept-${run}`],
      [dropped, `r-dropped-${run}`],
      [erased, `r-erase-${run}`],
    ] as const) {
      expect((await t.sendResponse(response(surveyId, { responseId, areaId: 'centrum', answers: [{ questionId: 'comment', text }] }))).status).toBe(200);
    }
    const { page, problems } = await openAdmin('sv');
    await openSurvey(page, 'Hyresgästenkät 2026', 'texts');
    await page.waitForSelector('.moderation');
    expect(await page.locator('#moderation-title .count').textContent()).toBe('3');
    await expectAccessible(page, 'the texts tab with answers to moderate (Swedish)');
    await page.locator('.pending-text', { hasText: kept }).locator('button.approve').click();
    // TEXT_FILTER=mask (the default) masks the insult before an admin sees it.
    await page.locator('.pending-text', { hasText: 'Grannen i trapphus B är en i***.' }).locator('button.reject').click();
    await expect.poll(() => page.locator('.pending-text').count()).toBe(1);
    expect((await texts(surveyId)).map((text) => text.text)).toEqual([kept]);

    // A feed on an intranet page shows the approved answer; taking it down removes it live.
    const { token } = await t.app.tokens.mint(surveyId, ['stats', 'text'], 600);
    intranet.pages.set(
      '/feed',
      `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Flöde</title><link rel="icon" href="data:,"></head><body><script type="module" src="${t.url}/widget/survey-live.js"></script><survey-live-feed survey="${surveyId}" token="${token}"></survey-live-feed></body></html>`,
    );
    const feed = await browser.newPage();
    await feed.goto(`${intranet.origin}/feed`);
    const feedText = () => feed.evaluate(() => document.querySelector('survey-live-feed')?.shadowRoot?.textContent ?? '');
    await expect.poll(feedText, { timeout: 10_000 }).toContain(kept);
    await page.locator('.kept-text', { hasText: kept }).locator('button.take-down').click();
    await expect.poll(feedText, { timeout: 5_000 }).not.toContain(kept);
    await feed.close();

    await page.fill('input[name="responseId"]', `r-erase-${run}`);
    await page.click('form.erase button[type="submit"]');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toBe('Raderat: 1 fritextsvar.');
    await expect.poll(() => page.locator('.pending-text', { hasText: erased }).count()).toBe(0);
    expect(await page.locator('.kept-text', { hasText: erased }).count()).toBe(0);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('adds a reminder round with its effect, after naming the missing label next to its field, and deletes it (Swedish)', async () => {
    const { page, problems } = await openAdmin('sv');
    await openSurvey(page, 'Hyresgästenkät 2026', 'campaign');
    await page.waitForSelector('form.round-form');
    expect(await page.locator('.admin-tabs [data-tab="campaign"]').textContent()).toMatch(/Kampanj/);
    expect(await page.locator('#round-kind option').allTextContents()).toEqual(['Dörrknackning', 'Telefon', 'Brev', 'Sms', 'E-post', 'Annat']);
    // Three hours ago, in Norrby: the seeded Norrby responses came in after it.
    await page.fill('#round-at', localInput(Date.now() - 3 * 3_600_000));
    await page.selectOption('#round-kind', 'phone');
    await page.check('input[name="areaIds"][value="norrby"]');
    await page.click('form.round-form button[type="submit"]');
    await page.waitForSelector('[data-field="label"] .field-error');
    expect(await page.getAttribute('#round-label', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#round-label', 'aria-describedby')).toBe('e-round-label');
    expect(await page.locator('.round-row').count()).toBe(0);
    await expectAccessible(page, 'the campaign tab with a field error (Swedish)');

    await page.fill('#round-label', 'Ringrunda Norrby');
    await page.click('form.round-form button[type="submit"]');
    await expect.poll(() => page.locator('[data-status="rounds"]').textContent()).toBe('Omgången "Ringrunda Norrby" är tillagd.');
    const cells = async () => (await page.locator('.round-row td').allTextContents()).map((cell) => cell.trim());
    await expect.poll(cells).toEqual([expect.any(String), 'Telefon', 'Ringrunda Norrby', 'Norrby', '0 → 7', 'Ta bort']);
    expect(await page.getAttribute('[data-field="label"] #round-label', 'aria-invalid')).toBe('false');
    const listed = (
      (await (await t.admin('GET', `/api/v1/surveys/${surveyId}/events`)).json()) as { events: { id: string; kind: string; areaIds?: string[] }[] }
    ).events;
    expect(listed).toEqual([expect.objectContaining({ kind: 'phone', label: 'Ringrunda Norrby', areaIds: ['norrby'], effect: { before: 0, after: 7 } })]);

    await page.click('.round-row button.delete-round');
    await expect.poll(() => page.locator('[data-status="rounds"]').textContent()).toBe('Omgången "Ringrunda Norrby" är borttagen.');
    expect(await page.locator('.round-row').count()).toBe(0);
    // Focus goes back to the section, not to the top of the page.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rounds-title');
    expect(((await (await t.admin('GET', `/api/v1/surveys/${surveyId}/events`)).json()) as { events: unknown[] }).events).toEqual([]);
    // Every control of the tab has a name: a label, its text or an aria-label.
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('.campaign-rounds, .campaign-history, .campaign-downloads')]
        .flatMap((section) => [...section.querySelectorAll<HTMLInputElement>('input, select, button, a')])
        .filter((control) => !control.labels?.length && !control.getAttribute('aria-label') && !control.textContent?.trim())
        .map((control) => control.outerHTML),
    );
    expect(unnamed).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await page.close();

    const english = await openAdmin('en');
    await openSurvey(english.page, 'Hyresgästenkät 2026', 'campaign');
    await english.page.waitForSelector('form.round-form');
    expect(await english.page.locator('.admin-tabs [data-tab="campaign"]').textContent()).toMatch(/Campaign/);
    expect(await english.page.locator('#round-kind option').allTextContents()).toEqual([
      'Door-knocking',
      'Phone calls',
      'Letter',
      'Text message (SMS)',
      'E-mail',
      'Other',
    ]);
    expect(await english.page.locator('#rounds-title').textContent()).toBe('Reminder rounds');
    await expectAccessible(english.page, 'the campaign tab (English)');
    expect(unexpected(english.problems)).toEqual([]);
    await english.page.close();
  });

  it("imports an earlier campaign's history: a bad line is named and nothing changes, a good file is counted; downloads the CSV and makes the report's links (Swedish)", async () => {
    const earlierId = `tidigare-${run}`;
    const campaignId = `kampanj-${run}`;
    const areas = [
      { id: 'centrum', name: 'Centrum', distributed: 40 },
      { id: 'norrby', name: 'Norrby', distributed: 30 },
    ];
    await t.putSurvey({ id: earlierId, name: 'Kampanj 2025', target: 0.6, areas, opensAt: '2025-11-01T08:00:00Z', closesAt: '2025-11-30T22:00:00Z' });
    await t.putSurvey({ id: campaignId, name: 'Kampanj 2026', target: 0.65, areas, compareTo: earlierId });
    expect((await t.sendResponse(response(campaignId, { areaId: 'centrum' }))).status).toBe(200);
    expect(
      (
        await t.admin('POST', `/api/v1/surveys/${campaignId}/events`, {
          at: new Date().toISOString(),
          kind: 'door',
          label: 'Dörrknackning Centrum',
          areaIds: ['centrum'],
        })
      ).status,
    ).toBe(201);
    const responses = async () => (await readApi<{ responses: number }>(earlierId, 'stats')).responses;

    const { page, problems } = await openAdmin('sv');
    await openSurvey(page, 'Kampanj 2026', 'campaign');
    await page.waitForSelector('.campaign-history');
    expect(await page.locator('.compares-with').textContent()).toMatch(/jämförs med Kampanj 2025 \(tidigare-/);
    // The file goes into the compared survey unless another is chosen.
    expect(await page.inputValue('select[name="history-survey"]')).toBe(earlierId);

    await page.setInputFiles('input[name="history-csv"]', {
      name: 'forra-aret.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('datum;område;svar\n2025-11-03;Centrum;12\n2025-11-04;Ekbacken;5\n'),
    });
    await page.click('button.import-history');
    await page.waitForSelector('.campaign-history .line-errors');
    expect(await page.locator('.campaign-history .line-errors').textContent()).toMatch(/Rad 3, kolumn 2: .*Ekbacken/);
    expect(await page.locator('[role="alert"].error').textContent()).toMatch(/Nothing was changed/);
    expect(await responses()).toBe(0);

    await page.setInputFiles('input[name="history-csv"]', {
      name: 'forra-aret.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('datum;område;svar\n2025-11-03;Centrum;12\n2025-11-04;norrby;5\n'),
    });
    await page.click('button.import-history');
    await expect
      .poll(() => page.locator('[data-status="history"]').textContent())
      .toBe('Importerat till Kampanj 2025: 2 rader, 2 dagar (2025-11-03 – 2025-11-04), 17 svar.');
    expect(await page.locator('.campaign-history .line-errors').count()).toBe(0);
    expect(await responses()).toBe(17);
    await expect.poll(() => page.locator('.round-row').count()).toBe(1);
    await expectAccessible(page, 'the campaign tab with a round and an imported history (Swedish)');
    await screenshot(page, 'admin-campaign.png', { docs: true });

    // The daily figures as a Swedish spreadsheet.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="day-sv"]')]);
    expect(download.suggestedFilename()).toBe(`${campaignId}-daily.csv`);
    expect((await readFile((await download.path())!, 'utf8')).split('\r\n')[0]).toMatch(/^\uFEFFdatum;svar;kumulativt;kumulativ svarsfrekvens;centrum svar/);
    await expect.poll(() => page.locator('[data-status="downloads"]').textContent()).toBe(`Hämtat: ${campaignId}-daily.csv`);

    // The report's links carry a stats token the page minted.
    await page.click('button.make-report-links');
    await page.waitForSelector('.report-link');
    const href = (await page.getAttribute('.report-link[data-lang="en"]', 'href'))!;
    expect(href).toMatch(new RegExp(`/report/${campaignId}\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+&lang=en$`));
    const check = await t.app.tokens.check(new URL(href).searchParams.get('token') ?? undefined, campaignId, 'stats');
    expect(check.ok).toBe(true);

    // "Choose in Settings" leads to the compare-with select.
    await page.click('button.choose-compare');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-compareTo');
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });
});
