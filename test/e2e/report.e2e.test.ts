/**
 * The campaign report (/report/:surveyId) end to end: a campaign twelve days in, last year's
 * imported through the history endpoint, two reminder rounds; the report opened in Chromium,
 * printed to an A4 PDF with page.pdf() and its text read back in reading order with `pdftotext -raw` (Debian's
 * poppler-utils), in Swedish and in English (from Accept-Language). Also the daily timeline
 * embed, whose screenshot the docs show.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveySnapshot } from '../../shared/schemas.js';
import { ADMIN_TOKEN, response, startTestApp, type TestApp } from '../support/harness.js';
import { collectProblems, ensureBuilt, expectAccessible, launchChromium, readPart, screenshot } from './pages-helpers.js';

const run = promisify(execFile);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PREVIOUS_ID = 'report-2025';
const SURVEY_ID = 'report-2026';

const AREAS = [
  { id: 'centrum', name: 'Centrum', distributed: 420 },
  { id: 'norrby', name: 'Norrby', distributed: 310 },
  { id: 'sodermalm', name: 'Södermalm', distributed: 280 },
  { id: 'ekbacken', name: 'Ekbäcken', distributed: 200 },
];

let app: TestApp;
let browser: Browser;
let token: string;
let dir: string;

/** Whitespace (Intl's no-break and narrow spaces too) as single spaces. */
const plain = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** Last year's campaign by day, as a CSV export of the old survey tool would give it. */
function historyCsv(): string {
  const lines = ['date;areaId;responses'];
  const start = Date.parse('2025-11-17T00:00:00Z');
  for (let day = 0; day < 35; day++) {
    const date = new Date(start + day * DAY).toISOString().slice(0, 10);
    // A wave after the hand-out, then a trickle, and a bump after the reminder letter on day 14.
    const base = day < 5 ? 14 - day * 2 : day >= 14 && day < 17 ? 9 : 3;
    for (const [i, area] of AREAS.entries()) lines.push(`${date};${area.id};${Math.max(0, base - i)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function admin(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  const res = await fetch(`${app.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

beforeAll(async () => {
  await ensureBuilt();
  app = await startTestApp({ store: 'memory', env: { STATS_INTERVAL_MS: '100' } });
  dir = await mkdtemp(join(tmpdir(), 'survey-live-report-'));
  await app.putSurvey({
    id: PREVIOUS_ID,
    name: 'Hyresgästenkät 2025',
    target: 0.6,
    areas: AREAS,
    opensAt: '2025-11-17T07:00:00Z',
    closesAt: '2025-12-22T17:00:00Z',
    sources: [],
  });
  await admin('POST', `/surveys/${PREVIOUS_ID}/history`, historyCsv(), 'text/csv');
  const opensAt = Date.now() - 12 * DAY;
  await app.putSurvey({
    id: SURVEY_ID,
    name: 'Hyresgästenkät 2026',
    target: 0.65,
    areas: AREAS,
    opensAt: new Date(opensAt).toISOString(),
    closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    compareTo: PREVIOUS_ID,
    sources: [],
  });
  // Twelve days of answers: a wave after the hand-out, then a bump after each reminder round.
  const sends: (() => Promise<Response>)[] = [];
  for (let day = 0; day <= 12; day++) {
    const perDay = day < 3 ? 30 - day * 6 : day === 4 || day === 5 || day === 8 || day === 9 ? 22 : 8;
    for (let i = 0; i < perDay; i++) {
      const at = Math.min(Date.now() - 60_000, opensAt + day * DAY + ((i * 37) % 600) * 60_000);
      sends.push(() => app.sendResponse(response(SURVEY_ID, { areaId: AREAS[i % AREAS.length]!.id, submittedAt: new Date(at).toISOString() })));
    }
  }
  for (let i = 0; i < sends.length; i += 10) await Promise.all(sends.slice(i, i + 10).map((send) => send()));
  await admin('POST', `/surveys/${SURVEY_ID}/events`, {
    at: new Date(opensAt + 4 * DAY).toISOString(),
    kind: 'door',
    label: 'Dörrknackning Norrby',
    areaIds: ['norrby'],
  });
  await admin('POST', `/surveys/${SURVEY_ID}/events`, { at: new Date(opensAt + 8 * DAY).toISOString(), kind: 'letter', label: 'Påminnelsebrev till alla' });
  token = (await app.app.tokens.mint(SURVEY_ID, ['stats'], 3600)).token;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens the report and waits until the script says everything is drawn. */
async function openReport(query: Record<string, string>, locale?: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1400 }, reducedMotion: 'reduce', ...(locale ? { locale } : {}) });
  const problems = collectProblems(page);
  await page.goto(`${app.url}/report/${SURVEY_ID}?${new URLSearchParams({ token, ...query })}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: 30_000 });
  return { page, problems };
}

/** Prints the page to an A4 PDF as Chromium does, and reads back its text and page count. */
async function printed(page: Page, name: string): Promise<{ text: string; pages: number; size: string }> {
  const path = join(dir, name);
  await writeFile(path, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
  const { stdout: text } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-']);
  const { stdout: info } = await run('pdfinfo', [path]);
  return { text, pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), size: /^Page size:\s+(.*)$/m.exec(info)?.[1] ?? '' };
}

describe('the campaign report', () => {
  it('prints to an A4 PDF that reads well, in Swedish: headline figures, areas, the curve against last year, the rounds with their effect', async () => {
    const { page, problems } = await openReport({ lang: 'sv' });
    const snapshot = (await (
      await fetch(`${app.url}/api/v1/surveys/${SURVEY_ID}/stats`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as SurveySnapshot;
    expect(snapshot.comparison?.name).toBe('Hyresgästenkät 2025');
    await expectAccessible(page, 'the report in Swedish');
    await screenshot(page, 'report.png', { docs: true });

    const { text, pages, size } = await printed(page, 'report-sv.pdf');
    const words = plain(text);
    expect(size).toMatch(/\(A4\)/);
    expect(pages).toBeLessThanOrEqual(2);
    expect(words).toContain('RAPPORT FRÅN ENKÄTEN');
    expect(words).toContain('Hyresgästenkät 2026');
    expect(words).toContain('Pågår');
    for (const heading of ['Nyckeltal', 'Svar dag för dag', 'Områden', 'Påminnelseomgångar']) expect(words).toContain(heading);
    // Headline figures as the snapshot has them, formatted the Swedish way.
    const number = new Intl.NumberFormat('sv');
    const percent = new Intl.NumberFormat('sv', { style: 'percent', maximumFractionDigits: 1 });
    // The area table writes every rate with one decimal, so its columns line up.
    const tableRate = new Intl.NumberFormat('sv', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    expect(words).toContain(plain(`Svar ${number.format(snapshot.responses)} av ${number.format(snapshot.distributed)} utdelade`));
    expect(words).toContain(plain(`Svarsfrekvens ${percent.format(snapshot.responseRate!)}`));
    expect(words).toContain(plain(`Mål ${percent.format(0.65)}`));
    expect(words).toContain('Prognos vid stängning');
    const points = Math.round((snapshot.responseRate! - snapshot.comparison!.sameDay.responseRate!) * 1000) / 10;
    const signed = new Intl.NumberFormat('sv', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(points);
    expect(words).toContain(plain(`Mot förra kampanjen ${signed} p.e. mot samma dag 2025`));
    // The area table, with last year's same-day and final rates.
    expect(words).toContain('Samma dag 2025');
    expect(words).toContain('Slut 2025');
    for (const area of snapshot.areas.filter((candidate) => candidate.distributed > 0)) {
      expect(words).toContain(
        plain(`${area.name} ${number.format(area.distributed)} ${number.format(area.responses)} ${tableRate.format(area.responseRate!)}`),
      );
    }
    // The caption says what the curve shows; the rounds with the responses before and after.
    expect(words).toContain('Streckad linje: Hyresgästenkät 2025 samma dag');
    expect(words).toMatch(/Dörrknackning Dörrknackning Norrby Norrby \d+ \d+ [+−-]?\d+/);
    expect(words).toMatch(/Påminnelsebrev Påminnelsebrev till alla Alla \d+ \d+ [+−-]?\d+/);
    expect(words).toContain('Svar 48 h före');
    // Nothing for the screen only (the print button) on paper.
    expect(words).not.toContain('Skriv ut eller spara som PDF');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('speaks English when the browser prefers it, and says in words when the token is wrong', async () => {
    const { page, problems } = await openReport({}, 'en-GB');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectAccessible(page, 'the report in English');
    await screenshot(page, 'report-en.png', { docs: true });
    // Every table fits the sheet's text width (a heading rule spans it): long English headings wrap.
    const overhang = await page.evaluate(() => {
      const right = document.querySelector('.report-page h2')!.getBoundingClientRect().right;
      return [...document.querySelectorAll('.report-page table')].map((table) => Math.round(table.getBoundingClientRect().right - right));
    });
    expect(overhang.length).toBeGreaterThan(1);
    for (const px of overhang) expect(px).toBeLessThanOrEqual(0);
    const { text } = await printed(page, 'report-en.pdf');
    const words = plain(text);
    for (const heading of ['SURVEY REPORT', 'Key figures', 'Responses day by day', 'Areas', 'Reminder rounds', 'Same day 2025'])
      expect(words).toContain(heading);
    expect(words).toMatch(/Against the last campaign [+−-]?\d+\.\d pp vs same day 2025/);
    expect(words).toContain('Door-knocking Dörrknackning Norrby');
    expect(problems).toEqual([]);
    await page.close();

    const refused = await browser.newPage();
    await refused.goto(`${app.url}/report/${SURVEY_ID}?lang=sv&token=${token.slice(0, -4)}AAAA`);
    await refused.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: 30_000 });
    expect(await refused.textContent('[data-report="problem"]')).toMatch(/^Nyckeln \(token\) i adressen saknas, är ogiltig eller har gått ut/);
    await expectAccessible(refused, 'the report refusing a wrong token');
    await refused.close();
  });

  it('the daily timeline embed: the whole survey by day, last year on the same day and the reminder rounds', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 520 }, reducedMotion: 'reduce' });
    const problems = collectProblems(page);
    await page.goto(`${app.url}/embed/chart?${new URLSearchParams({ survey: SURVEY_ID, token, kind: 'timeline', range: 'day', lang: 'sv' })}`);
    await page.waitForFunction(() => document.querySelector('survey-live-chart')?.shadowRoot?.querySelector('[part~="legend"]'), undefined, {
      timeout: 30_000,
    });
    expect(await readPart(page, 'survey-live-chart', 'legend')).toBe(
      'Svar per dagSvarsfrekvens (totalt)Hyresgästenkät 2025, samma dagPåminnelseomgångmål 65 %',
    );
    // The canvas paints on the next frame.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await screenshot(page, 'timeline-day.png', { docs: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
