/**
 * Builds what browsers run: the widget (vite.config.ts into dist/widget) and the pages' scripts
 * and styles (vite.pages.config.ts into dist/pages), and what the server runs: server, shared and
 * CLI compiled to dist/server, dist/shared and dist/cli. `npm run build` always builds;
 * `npm start` passes --if-stale, which builds only when a source changed since the last build,
 * so a restart costs no build and never rewrites files another running server is serving.
 * Concurrent callers (parallel test files) take turns through a lock directory.
 */
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIGS = ['vite.config.ts', 'vite.pages.config.ts'];
/** What the builds read: a change in any of these makes the build stale. */
const SOURCES = ['widget', 'pages', 'shared', 'package.json', 'package-lock.json', ...CONFIGS];
/** What the server serves; a build missing any of them is stale too. */
const OUTPUTS = ['dist/widget/survey-live.js', 'dist/pages/board.js', 'dist/pages/admin.js', 'dist/pages/report.js', 'dist/pages/pages.css'];
const STAMP = join(ROOT, 'dist', '.build-stamp');
const LOCK = join(ROOT, 'dist', '.build-lock');
const LOCK_STALE_MS = 120_000;

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

export async function isStale(): Promise<boolean> {
  const built = await stat(STAMP).catch(() => undefined);
  if (!built) return true;
  for (const output of OUTPUTS) if (!(await stat(join(ROOT, output)).catch(() => undefined))) return true;
  const sources = await Promise.all(SOURCES.map((source) => newestMtime(join(ROOT, source))));
  return Math.max(...sources) > built.mtimeMs;
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      const held = await stat(LOCK).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) await rm(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** Builds the widget and the pages; with ifStale, only when a source changed. Resolves to whether it built. */
export function buildClient({ ifStale = false, quiet = false } = {}): Promise<boolean> {
  return withLock(async () => {
    if (ifStale && !(await isStale())) return false;
    // Imported only to build: `npm start` on an up-to-date dist/ skips loading vite.
    const { build } = await import('vite');
    for (const configFile of CONFIGS) await build({ root: ROOT, configFile: join(ROOT, configFile), logLevel: quiet ? 'warn' : 'info' });
    await writeFile(STAMP, `${new Date().toISOString()}\n`);
    return true;
  });
}

/** What the server build reads, and where it writes (scripts/build.ts builds server and CLI with esbuild). */
const SERVER_SOURCES = ['server', 'shared', 'cli', 'package.json', 'tsconfig.json'];
const SERVER_OUTPUTS = ['dist/server/main.js', 'dist/cli/bin.js'];
const SERVER_STAMP = join(ROOT, 'dist', '.server-build-stamp');

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return tsFiles(path);
      return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
    }),
  );
  return nested.flat();
}

async function serverIsStale(): Promise<boolean> {
  const built = await stat(SERVER_STAMP).catch(() => undefined);
  if (!built) return true;
  for (const output of SERVER_OUTPUTS) if (!(await stat(join(ROOT, output)).catch(() => undefined))) return true;
  const sources = await Promise.all(SERVER_SOURCES.map((source) => newestMtime(join(ROOT, source))));
  return Math.max(...sources) > built.mtimeMs;
}

/**
 * Compiles the server and the CLI to JavaScript in dist/ (dist/server/main.js, dist/cli/bin.js,
 * dist/shared/…), file by file with source maps, so production runs `node dist/server/main.js`
 * with no TypeScript tooling loaded. The Lua scripts and word lists the server reads go beside it.
 */
export function buildServer({ ifStale = false, quiet = false } = {}): Promise<boolean> {
  return withLock(async () => {
    if (ifStale && !(await serverIsStale())) return false;
    const { build: esbuild } = await import('esbuild');
    const entryPoints = (await Promise.all(['server', 'shared', 'cli'].map(tsFiles))).flat();
    await rm(join(ROOT, 'dist', 'server'), { recursive: true, force: true });
    await esbuild({
      absWorkingDir: ROOT,
      entryPoints,
      outdir: 'dist',
      outbase: '.',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      tsconfig: 'tsconfig.json',
      logLevel: quiet ? 'warning' : 'info',
    });
    // Files the server reads at run time beside its code: the store's Lua, the redactor's and the
    // text filter's word lists (a built server without them dies at start).
    for (const dir of ['server/store', 'server/privacy/data']) {
      await mkdir(join(ROOT, 'dist', dir), { recursive: true });
      for (const name of (await readdir(join(ROOT, dir))).filter((file) => file.endsWith('.lua') || file.endsWith('.json'))) {
        await copyFile(join(ROOT, dir, name), join(ROOT, 'dist', dir, name));
      }
    }
    await writeFile(SERVER_STAMP, `${new Date().toISOString()}\n`);
    if (!quiet) console.log(`survey-live: server and CLI compiled to dist/ (${entryPoints.length} files)`);
    return true;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  const built = await buildClient({ ifStale, quiet: ifStale });
  if (!built) console.log('survey-live: widget and pages are up to date (dist/)');
  const builtServer = await buildServer({ ifStale, quiet: ifStale });
  if (!builtServer) console.log('survey-live: server and CLI are up to date (dist/server, dist/cli)');
}
