/**
 * `npm run bench`: measures the server core in one run, each figure beside a baseline measured in
 * the same run (this machine is shared and noisy: compare ratios, not absolutes).
 *   (a) ingest: signed webhooks into the real app on real Redis vs bare node:http (autocannon)
 *   (b) live: 2,000 socket.io clients while webhooks arrive at 500/s, app vs bare Socket.IO, in
 *       alternating rounds (bare, app, bare, app), with server memory per idle widget
 *   (c) scale: server CPU per delivered message and per webhook, and memory per widget, at 1k, 2k
 *       and 4k clients, and the capacity per core they imply; a table and bench/results/scale.svg
 * Prints tables and writes bench/results/latest.json.
 *
 * `npm run bench -- --quick`: shorter runs, one round, no one-process app run (about 2.5 min
 * instead of about 6).
 *
 * Env: REDIS_URL (default redis://127.0.0.1:6379), BENCH_ONLY=ingest|live, BENCH_CLIENTS,
 * BENCH_RATE, BENCH_LIVE_SECONDS, BENCH_LIVE_ROUNDS, BENCH_LIVE_TARGETS (e.g. bare,app-all), BENCH_SCALE_CLIENTS (comma-separated, empty
 * for none), BENCH_INGEST_SECONDS, BENCH_CONNECTIONS, STATS_INTERVAL_MS,
 * BENCH_CPU_PROF=1 (V8 CPU profiles of the forked processes in bench/results/profiles/).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { loadConfig } from '../server/config.js';
import { benchIngest, type IngestResult } from './ingest.js';
import { scaleChart } from './lib/chart.js';
import { stopAllChildren } from './lib/children.js';
import { benchRedisUrl } from './lib/redis-keys.js';
import { WebhookSigner } from './lib/webhooks.js';
import { benchLive, type LiveResult, type LiveTargetName } from './live.js';
import { checks, ingestTable, liveTable, scalePoints, scaleTable } from './report.js';

const RESULTS = new URL('./results/', import.meta.url);
const envNumber = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const log = (line: string) => console.log(line);

async function assertRedis(url: string): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    await client.quit();
  } catch (error) {
    throw new Error(`No Redis answers at ${url} (set REDIS_URL): ${(error as Error).message}`);
  }
}

/** BENCH_LIVE_TARGETS (e.g. "bare,app-all"), else bare and the split, and in a full run the one process too. */
function liveTargets(): LiveTargetName[] {
  const known: LiveTargetName[] = ['bare', 'app-split', 'app-all'];
  const asked = (process.env.BENCH_LIVE_TARGETS ?? '').split(',').filter((name): name is LiveTargetName => known.includes(name as LiveTargetName));
  return asked.length > 0 ? asked : quick ? ['bare', 'app-split'] : known;
}

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = args.quick === true;
/** The whole bench must stay bounded: past this, it stops its processes and fails. */
const DEADLINE_MS = quick ? 300_000 : 600_000;

/** 2,000 clients and their 2,000 server sockets need file descriptors; say so before starting. */
function assertFileLimit(clients: number): void {
  let limits: string;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return; // not Linux: nothing to read, let the run tell
  }
  const soft = Number(limits.match(/^Max open files\s+(\d+)/m)?.[1]);
  const needed = clients * 2 + 1000;
  if (Number.isFinite(soft) && soft < needed) {
    throw new Error(`The open-file limit is ${soft}; ${clients} clients need about ${needed}. Raise it first, e.g. \`ulimit -n ${needed}\`.`);
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY;
  const clients = envNumber('BENCH_CLIENTS', 2000);
  const scaleClients = (process.env.BENCH_SCALE_CLIENTS ?? '1000,4000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  if (only !== 'ingest') assertFileLimit(Math.max(clients, ...scaleClients));
  const statsIntervalMs = loadConfig({ STATS_INTERVAL_MS: process.env.STATS_INTERVAL_MS }).statsIntervalMs;
  const redisUrl = benchRedisUrl();
  await assertRedis(redisUrl);
  const signer = new WebhookSigner();
  const started = new Date();
  const loadBefore = loadavg()[0] ?? 0;
  log(`survey-live bench: Node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore.toFixed(2)}, Redis ${redisUrl}`);

  let ingest: IngestResult | undefined;
  let live: LiveResult | undefined;
  if (only !== 'live') {
    ingest = await benchIngest(
      { connections: envNumber('BENCH_CONNECTIONS', 50), warmupSeconds: 2, measureSeconds: envNumber('BENCH_INGEST_SECONDS', quick ? 4 : 9), rounds: 3 },
      signer,
      log,
    );
  }
  if (only !== 'ingest') {
    live = await benchLive(
      {
        clients,
        ratePerSecond: envNumber('BENCH_RATE', 500),
        seconds: envNumber('BENCH_LIVE_SECONDS', quick ? 8 : 15),
        warmupSeconds: 2,
        statsIntervalMs,
        rounds: envNumber('BENCH_LIVE_ROUNDS', quick ? 1 : 2),
        targets: liveTargets(),
        scaleClients,
        scaleSeconds: quick ? 5 : 8,
      },
      signer,
      log,
    );
  }

  const loadAfter = loadavg()[0] ?? 0;
  const results = checks(ingest, live);
  log('');
  if (ingest) log(`${ingestTable(ingest)}\n`);
  const scale = live ? scalePoints(live) : [];
  if (live) log(`${liveTable(live)}\n`);
  if (live) log(`${scaleTable(scale, live.settings)}\n`);
  const missed = results.filter((c) => !c.met).map((c) => c.name);
  log(`Targets: ${results.length - missed.length} of ${results.length} met${missed.length > 0 ? ` (missed: ${missed.join('; ')})` : ''}.`);
  log(
    `Load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cpus().length} shared cores: figures are noisy; the ratios are what to compare.`,
  );

  mkdirSync(RESULTS, { recursive: true });
  if (scale.length > 0) {
    const chart = new URL('scale.svg', RESULTS);
    const caption = `survey-live scale: ${live?.settings.ratePerSecond} webhooks/s, ${cpus().length} shared cores, load ${loadBefore.toFixed(1)}, ${started.toISOString().slice(0, 10)}`;
    writeFileSync(chart, scaleChart(scale, caption));
    log(`Chart: ${fileURLToPath(chart)}`);
  }
  const file = new URL('latest.json', RESULTS);
  const json = {
    startedAt: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
    checks: results,
    ingest,
    live,
    scale,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`Results: ${fileURLToPath(file)}`);
}

const fail = (message: string, code: number) => {
  console.error(message);
  void stopAllChildren().then(() => process.exit(code));
};
setTimeout(() => fail(`The bench ran past ${DEADLINE_MS / 1000} s; stopping it.`, 2), DEADLINE_MS).unref();
process.once('SIGINT', () => fail('Interrupted: stopping the servers and clients (the app removes its Redis keys).', 130));

main().then(
  () => process.exit(0),
  (error) => fail(String(error?.stack ?? error), 1),
);
