/** What the page end-to-end tests share: the build, Chromium, host pages on other origins, screenshots. */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults, ElementContext, RunOptions } from 'axe-core';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildClient } from '../../scripts/build.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS_IMAGES = join(ROOT, 'docs', 'images');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The server serves dist/: build it as `npm start` would, only when a source changed (other test files may be serving it). */
export const ensureBuilt = () => buildClient({ ifStale: true, quiet: true });

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

/** Console errors and uncaught exceptions of a page, for tests to assert there were none. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  return problems;
}

/**
 * Saves a screenshot to test-artifacts/; the ones the docs show also go to docs/images/ when
 * UPDATE_DOCS_IMAGES=1 (so an ordinary test run leaves the committed images alone).
 */
export async function screenshot(page: Page, name: string, { docs = false } = {}): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path });
  if (docs && process.env.UPDATE_DOCS_IMAGES === '1') {
    await mkdir(DOCS_IMAGES, { recursive: true });
    await copyFile(path, join(DOCS_IMAGES, name));
  }
}

export interface HostServer {
  origin: string;
  /** What the server answers at a path (HTML); set by tests before they open it. */
  pages: Map<string, string>;
  close(): Promise<void>;
}

/** A plain web server on another local origin: the intranet that embeds survey-live. */
export async function startHostServer(): Promise<HostServer> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const page = pages.get(req.url ?? '/');
    res.writeHead(page === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pages,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Text of a part inside an element's shadow root (in a page or a frame), whitespace collapsed. */
export const readPart = (target: Page | Frame, selector: string, part: string): Promise<string> =>
  target.evaluate(
    ([selector, part]) =>
      (document.querySelector(selector)?.shadowRoot?.querySelector(`[part~="${part}"]`)?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim(),
    [selector, part] as const,
  );

/** The rules of WCAG 2.0 and 2.1, levels A and AA: what "accessible (WCAG AA)" promises. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let axeSource: Promise<string> | undefined;

export interface AccessibleOptions {
  /**
   * Selectors of markup the project cannot change (third-party), each with a reason in the
   * caller's comment; a selector inside a shadow root is a list, from the host inwards.
   */
  exclude?: (string | string[])[];
}

/**
 * Runs axe-core on what `target` (a page or a frame) shows now, with the WCAG 2.0/2.1 A and AA
 * rules, descending into open shadow roots (the Lit elements); fails listing every violation
 * (rule, impact, the elements as selectors, what to fix). Axe is evaluated over CDP rather than
 * added as a <script>: the pages' CSP (script-src 'self') would refuse that, not an evaluation.
 * Frames are checked on their own (each embed page has its test), so axe does not enter them.
 */
export async function expectAccessible(target: Page | Frame, what: string, { exclude = [] }: AccessibleOptions = {}): Promise<void> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(source);
  const violations = await target.evaluate(
    async ({ exclude, tags }) => {
      const { axe } = window as unknown as { axe: { run(context: ElementContext, options: RunOptions): Promise<AxeResults> } };
      const context: ElementContext = exclude.length
        ? { exclude: exclude.map((selector) => (typeof selector === 'string' ? selector : { fromShadowDom: selector as [string, string, ...string[]] })) }
        : document;
      const results = await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], iframes: false });
      return results.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({
          target: node.target.map((selector) => (Array.isArray(selector) ? selector.join(' >>> ') : String(selector))).join(' | '),
          // The first reason axe gives (for colour contrast: the ratio, the colours and the size).
          summary:
            (node.failureSummary ?? '')
              .split('\n')
              .map((line) => line.trim())
              .filter((line) => line && !/^Fix (any|all) of the following:$/.test(line))[0] ?? '',
        })),
      }));
    },
    { exclude, tags: WCAG_AA_TAGS },
  );
  const report = violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.rule} (${violation.impact}): ${node.target} — ${violation.help}. ${node.summary}`),
  );
  expect(report.length, `WCAG 2.1 AA violations on ${what}:\n${report.join('\n')}\n`).toBe(0);
}
