/** What the page end-to-end tests share: the build, Chromium, host pages on other origins, screenshots. */
import { copyFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
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
