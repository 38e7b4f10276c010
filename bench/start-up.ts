/**
 * `npx tsx bench/start-up.ts`: start-up time (spawn to "listening" in the log) and idle RSS
 * (5 s after listening, every process of the server summed) of the built server
 * (`node dist/server/main.js`) against the same server from source through tsx, in one run,
 * runs interleaved (the machine is shared and noisy: compare the two, not absolutes).
 * Needs `npm run build` first. Env: STARTUP_RUNS (default 5).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.STARTUP_RUNS) || 5;
const IDLE_MS = 5000;

const variants: { name: string; command: string[] }[] = [
  { name: 'node dist/server/main.js', command: ['node', 'dist/server/main.js'] },
  { name: 'tsx server/main.ts', command: ['node_modules/.bin/tsx', 'server/main.ts'] },
];

/** RSS in KiB of a process and all its descendants (tsx runs the server in a child process). */
function treeRssKiB(pid: number): number {
  let total = 0;
  try {
    total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const child of children) total += treeRssKiB(Number(child));
  } catch {
    // the process ended between reads
  }
  return total;
}

async function once(command: string[]): Promise<{ startMs: number; rssMiB: number }> {
  const started = performance.now();
  const child: ChildProcess = spawn(command[0] as string, command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DEMO: 'false', ADMIN_TOKEN: 'bench-admin-token-0123456789', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const startMs = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('survey-live listening on')) resolve(performance.now() - started);
    });
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code} before listening:\n${output}`)));
  });
  await sleep(IDLE_MS);
  const rssMiB = treeRssKiB(child.pid as number) / 1024;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-(child.pid as number), 'SIGTERM');
  await exited;
  return { startMs, rssMiB };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

if (!existsSync(`${ROOT}/dist/server/main.js`)) throw new Error('Run `npm run build` first: dist/server/main.js is missing');
const results = new Map(variants.map((variant) => [variant.name, { start: [] as number[], rss: [] as number[] }]));
for (let run = 0; run < RUNS; run++) {
  for (const variant of variants) {
    const { startMs, rssMiB } = await once(variant.command);
    const result = results.get(variant.name)!;
    result.start.push(startMs);
    result.rss.push(rssMiB);
  }
}
console.log(`median of ${RUNS} runs, in-memory store, no demo`);
console.log('| server | start-up to listening | idle RSS |\n|---|---|---|');
for (const [name, { start, rss }] of results) console.log(`| \`${name}\` | ${Math.round(median(start))} ms | ${median(rss).toFixed(0)} MiB |`);
