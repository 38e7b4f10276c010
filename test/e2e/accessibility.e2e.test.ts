/**
 * The accessibility check the page tests share (expectAccessible): it must fail, naming the rule
 * and the element, for what it is there to catch, inside a Lit element's shadow root too, and
 * leave out only what a caller excludes. Without this, a check that passes on every page could
 * be one that never looks.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium } from './pages-helpers.js';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

/** A page with a grey-on-white paragraph and, in an open shadow root, a button without a name. */
async function flawedPage(): Promise<void> {
  await page.setContent(
    '<!doctype html><html lang="en"><head><title>Flawed</title></head><body><main><h1>Flawed</h1><p style="color:#999;background:#fff">faint</p><div id="host"></div></main></body></html>',
  );
  await page.evaluate(() => {
    document.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = '<button part="refresh"></button>';
  });
}

describe('expectAccessible', () => {
  it('fails naming each violation: the rule, its impact, the element (through a shadow root) and the contrast found', async () => {
    await flawedPage();
    const failure = await expectAccessible(page, 'a flawed page').then(
      () => '',
      (error: Error) => error.message,
    );
    expect(failure).toContain('WCAG 2.1 AA violations on a flawed page:');
    expect(failure).toMatch(/^button-name \(critical\): #host >>> button — Buttons must have discernible text\./m);
    expect(failure).toMatch(/^color-contrast \(serious\): p — .*contrast of 2\.84 \(foreground color: #999999, background color: #ffffff/m);
  });

  it('passes once the flaws are fixed, or excluded where a caller cannot change them', async () => {
    await flawedPage();
    await expectAccessible(page, 'a flawed page with its flaws excluded', { exclude: ['p', ['#host', 'button']] });
    await page.evaluate(() => {
      document.querySelector('p')!.style.color = '#595959';
      document.getElementById('host')!.shadowRoot!.querySelector('button')!.textContent = 'Refresh';
    });
    await expectAccessible(page, 'the page fixed');
  });
});
