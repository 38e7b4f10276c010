/**
 * The widget's size budget, measured on a real production build (vite.config.ts, into a
 * temporary directory so it cannot race the end-to-end test serving dist/widget): what every
 * page pays (the entry) and what only pages with a chart pay (the Chart.js chunk), gzipped.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';

// "25 KB" read strictly: 1 KB = 1,000 bytes, so the budget holds whichever way it is read.
const KB = 1000;
const ENTRY_BUDGET = 25 * KB;
const CHART_BUDGET = 75 * KB;
const root = fileURLToPath(new URL('..', import.meta.url));

let outDir: string;
let entry: string;
let chunks: { name: string; code: string }[];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'survey-live-widget-'));
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  entry = await readFile(join(outDir, 'survey-live.js'), 'utf8');
  const names = await readdir(join(outDir, 'chunks'));
  chunks = await Promise.all(names.map(async (name) => ({ name, code: await readFile(join(outDir, 'chunks', name), 'utf8') })));
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const gzipped = (code: string) => gzipSync(code).length;
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

const STEERING_BUDGET = 4 * KB;

it('builds one entry module, a content-hashed chart chunk and a steering chunk, and nothing else', async () => {
  expect((await readdir(outDir)).sort()).toEqual(['chunks', 'survey-live.js']);
  expect(chunks.map((chunk) => chunk.name).sort()).toEqual([
    expect.stringMatching(/^chart-view-[\w-]{8}\.js$/),
    expect.stringMatching(/^steering-view-[\w-]{8}\.js$/),
  ]);
  // Loaded on demand: the entry imports the chunks dynamically and never statically; a chunk
  // imports only from the entry (the module the page already has), never from a chunk of its own.
  for (const chunk of chunks) {
    expect(entry).toContain(`import(\`./chunks/${chunk.name}\`)`);
    for (const [, from] of chunk.code.matchAll(/\bimport\s*\{[^}]*\}\s*from\s*["']([^"']+)["']/g)) expect(from).toBe('../survey-live.js');
  }
  expect(entry).not.toMatch(/^import\b/m);
});

it(`keeps the steering chunk (pace, call list and index words and markup) within ${kb(STEERING_BUDGET)} gzip`, () => {
  const steering = chunks.find((chunk) => chunk.name.startsWith('steering-view'))!;
  const size = gzipped(steering.code);
  console.log(`${steering.name}: ${steering.code.length} bytes minified, ${size} bytes (${kb(size)}) gzip`);
  expect(size).toBeLessThanOrEqual(STEERING_BUDGET);
});

it(`keeps the entry (counter, feed, chart shell, connection, Lit, socket.io-client) within ${kb(ENTRY_BUDGET)} gzip`, () => {
  const size = gzipped(entry);
  console.log(`survey-live.js: ${entry.length} bytes minified, ${size} bytes (${kb(size)}) gzip`);
  expect(size).toBeLessThanOrEqual(ENTRY_BUDGET);
  // Chart.js stays out of the entry, and so does zod (the widget imports only types from shared/schemas.ts).
  expect(entry).not.toContain('Canvas is already in use');
  expect(entry).not.toMatch(/ZodError|\$ZodType/);
  // Minified: no formatting whitespace left in Lit's CSS and HTML templates.
  expect(entry).not.toMatch(/\n {2,}/);
});

it(`keeps the Chart.js chunk within ${kb(CHART_BUDGET)} gzip`, () => {
  const chart = chunks.find((chunk) => chunk.name.startsWith('chart-view'))!;
  const size = gzipped(chart.code);
  console.log(`${chart.name}: ${chart.code.length} bytes minified, ${size} bytes (${kb(size)}) gzip`);
  expect(chart.code).toContain('Canvas is already in use');
  expect(size).toBeLessThanOrEqual(CHART_BUDGET);
});
