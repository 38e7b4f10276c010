/**
 * Bench (b): the live path. N socket.io clients in their own process subscribe to one survey
 * while webhooks arrive open-loop at a fixed rate; measures ack latency (webhook -> 200),
 * webhook -> client latency, server CPU per delivered message and per webhook, and server
 * memory per idle widget (RSS with 0 and with N widgets connected), for the real app and for a
 * bare Socket.IO server (baseline). Targets run one after another in alternating rounds (bare,
 * app, bare, app): a burst of someone else's load on this shared machine lands on both alike.
 *
 * The app runs as deployed for many screens (docs/operations.md): `app-split` is two processes
 * on one Redis, ROLE=ingest taking the webhooks and ROLE=live holding the sockets; `app-all` is
 * one process doing both (the default ROLE), kept to show what the split buys.
 */
import { type Child, forkChild } from './lib/children.js';
import { sleep } from './lib/clock.js';
import { ownCpuMicros } from './lib/cpu.js';
import { type LatencySummary, summarize } from './lib/latency.js';
import { sendOpenLoop } from './lib/open-loop.js';
import type { ClientsCommand, ClientsReply, DeliveryAnalysis, TargetCommand, TargetReply } from './lib/protocol.js';
import { benchPrefix } from './lib/redis-keys.js';
import { newRunId, responseBody, type WebhookSigner } from './lib/webhooks.js';

export type LiveTargetName = 'bare' | 'app-split' | 'app-all';

export interface LiveSettings {
  clients: number;
  ratePerSecond: number;
  seconds: number;
  warmupSeconds: number;
  statsIntervalMs: number;
  /** Rounds of the main run at `clients`, each target once per round, alternating. */
  rounds: number;
  /** Targets of the main run, in the order each round runs them. */
  targets: LiveTargetName[];
  /** Further client counts measured once each (bare and app-split), for the scale table. */
  scaleClients: number[];
  /** Seconds of webhooks per scale run. */
  scaleSeconds: number;
}

export interface LiveTargetResult {
  target: LiveTargetName;
  clients: number;
  connectFailed: number;
  connectSeconds: number;
  webhooks: number;
  accepted: number;
  /** Webhooks the sender itself sent more than 5 ms late. */
  sentLate: number;
  firstFailure: string | undefined;
  ack: LatencySummary;
  /** The slowest ack of each second of the run: one bad second (a stall) or a steady tail? */
  ackMaxPerSecond: number[];
  delivery: DeliveryAnalysis;
  /** What the server counted for the measured survey. */
  counted: number;
  /** Share of one core each process used while webhooks were sent (the sender is the orchestrator). */
  cpuPercent: { server: number; clients: number; sender: number };
  /**
   * Server CPU while webhooks were sent, in microseconds: `fanout` in the process holding the
   * sockets, `ingest` in the process taking webhooks (the same process unless split).
   */
  serverCpuMicros: { ingest: number; fanout: number; total: number };
  seconds: number;
  /** RSS and heap (bytes) of the process holding the sockets, after full GCs, with `baseClients` and with `clients` idle widgets. */
  memory: { baseClients: number; rssBase: number; rssWithClients: number; heapBase: number; heapWithClients: number };
}

export interface LiveResult {
  settings: LiveSettings;
  /** The main run: every round of every target at `settings.clients`. */
  runs: LiveTargetResult[];
  /** Scale runs at other client counts (the main run's results are reused at its count). */
  scale: LiveTargetResult[];
}

const SURVEYS = { warmup: 'bench-live-warmup', measured: 'bench-live' };

/** The largest of each second's worth of values (requests are sent at a fixed rate, in order). */
function maxPerSecond(values: Float64Array, perSecond: number): number[] {
  const maxima: number[] = [];
  for (let i = 0; i < values.length; i += perSecond) maxima.push(Math.round(Math.max(...values.subarray(i, i + perSecond).filter(Number.isFinite))));
  return maxima;
}

type Target = Child<TargetCommand, TargetReply>;

/** One server under test: one process, or an ingest and a live process. */
interface Server {
  webhookPort: number;
  socketPort: number;
  token: string | undefined;
  /** [ingest, fan-out] processes; the same one twice when not split. */
  ingest: Target;
  fanout: Target;
  stop(): Promise<void>;
}

async function startServer(name: LiveTargetName, statsIntervalMs: number): Promise<Server> {
  const env = {
    BENCH_SURVEYS: `${SURVEYS.warmup},${SURVEYS.measured}`,
    BENCH_TOKEN_SURVEY: SURVEYS.measured,
    STATS_INTERVAL_MS: String(statsIntervalMs),
  };
  const fork = (child: string, script: string, extra: Record<string, string>) =>
    forkChild<TargetCommand, TargetReply>(child, new URL(script, import.meta.url), { ...env, ...extra });
  const stop = async (target: Target) => {
    await target.request({ type: 'stop' }, 'stopped', 30_000).catch((error) => console.error(`  ${target.name}: ${error.message}`));
    await target.exit();
  };
  if (name === 'app-split') {
    const prefix = benchPrefix();
    const ingest = fork('app-ingest-role', './targets/app.ts', { BENCH_PREFIX: prefix, BENCH_ROLE: 'ingest' });
    const fanout = fork('app-live-role', './targets/app.ts', { BENCH_PREFIX: prefix, BENCH_ROLE: 'live' });
    const [a, b] = await Promise.all([ingest.next('ready', 30_000), fanout.next('ready', 30_000)]);
    return {
      webhookPort: a.port,
      socketPort: b.port,
      token: b.token,
      ingest,
      fanout,
      async stop() {
        await stop(fanout);
        await stop(ingest);
      },
    };
  }
  const target = name === 'bare' ? fork('bare-live', './targets/bare-live.ts', {}) : fork('app-live', './targets/app.ts', { BENCH_PREFIX: benchPrefix() });
  const { port, token } = await target.next('ready', 30_000);
  return { webhookPort: port, socketPort: port, token, ingest: target, fanout: target, stop: () => stop(target) };
}

async function runTarget(
  name: LiveTargetName,
  clientCount: number,
  seconds: number,
  settings: LiveSettings,
  signer: WebhookSigner,
  log: (line: string) => void,
) {
  const server = await startServer(name, settings.statsIntervalMs);
  const clients = forkChild<ClientsCommand, ClientsReply>(`${name}-clients`, new URL('./clients/live-clients.ts', import.meta.url));
  const split = server.ingest !== server.fanout;
  try {
    const build = (surveyId: string, run: string) => (i: number) => {
      const body = responseBody(surveyId, run, i);
      return { body, headers: signer.headers(`msg_${run}_${i}`, body) };
    };
    // Warm-up on a survey nobody watches: JIT and connection pools, not fan-out.
    await sendOpenLoop({
      port: server.webhookPort,
      ratePerSecond: settings.ratePerSecond,
      durationMs: settings.warmupSeconds * 1000,
      build: build(SURVEYS.warmup, newRunId()),
    });
    // Memory per widget is the slope between a quarter of the widgets and all of them (RSS with
    // none still holds start-up's garbage pages, which makes a slope from 0 say little).
    const connect = (clientsToAdd: number) =>
      clients.request(
        {
          type: 'connect',
          url: `http://127.0.0.1:${server.socketPort}`,
          surveyId: SURVEYS.measured,
          clients: clientsToAdd,
          ...(server.token ? { token: server.token } : {}),
        },
        'connected',
        180_000,
      );
    const base = Math.round(clientCount / 4);
    const first = await connect(base);
    const memoryBase = await server.fanout.request({ type: 'memory' }, 'memory', 30_000);
    const rest = await connect(clientCount - base);
    const memoryWith = await server.fanout.request({ type: 'memory' }, 'memory', 30_000);
    const connected = { clients: rest.clients, failed: first.failed + rest.failed, ms: first.ms + rest.ms, firstError: first.firstError ?? rest.firstError };
    const serverCpu = async (target: Target) => (await target.request({ type: 'count', surveyId: SURVEYS.measured }, 'count', 10_000)).cpuMicros;
    const cpu = async () => ({
      at: performance.now(),
      ingest: await serverCpu(server.ingest),
      fanout: split ? await serverCpu(server.fanout) : 0,
      clients: (await clients.request({ type: 'cpu' }, 'cpu', 10_000)).cpuMicros,
      sender: ownCpuMicros(),
    });
    const cpuBefore = await cpu();
    const sent = await sendOpenLoop({
      port: server.webhookPort,
      ratePerSecond: settings.ratePerSecond,
      durationMs: seconds * 1000,
      build: build(SURVEYS.measured, newRunId()),
    });
    // Let the last coalesced update go out.
    await sleep(settings.statsIntervalMs * 2 + 500);
    const cpuAfter = await cpu();
    const elapsedMs = cpuAfter.at - cpuBefore.at;
    const used = (key: 'ingest' | 'fanout' | 'clients' | 'sender') => cpuAfter[key] - cpuBefore[key];
    const serverMicros = used('ingest') + used('fanout');
    const percentOfCore = (micros: number) => (micros / 1000 / elapsedMs) * 100;
    const { analysis } = await clients.request({ type: 'analyse', sendTimes: sent.scheduled }, 'analysis', 60_000);
    const { responses } = await server.ingest.request({ type: 'count', surveyId: SURVEYS.measured }, 'count', 10_000);
    const result: LiveTargetResult = {
      target: name,
      clients: connected.clients,
      connectFailed: connected.failed,
      connectSeconds: connected.ms / 1000,
      webhooks: sent.scheduled.length,
      accepted: sent.accepted,
      sentLate: sent.sentLate,
      firstFailure: sent.firstFailure ?? connected.firstError,
      ack: summarize(sent.latency.filter(Number.isFinite)),
      ackMaxPerSecond: maxPerSecond(sent.latency, settings.ratePerSecond),
      delivery: analysis,
      counted: responses,
      cpuPercent: { server: percentOfCore(serverMicros), clients: percentOfCore(used('clients')), sender: percentOfCore(used('sender')) },
      serverCpuMicros: split
        ? { ingest: used('ingest'), fanout: used('fanout'), total: serverMicros }
        : { ingest: serverMicros, fanout: serverMicros, total: serverMicros },
      seconds: elapsedMs / 1000,
      memory: {
        baseClients: first.clients,
        rssBase: memoryBase.rss,
        rssWithClients: memoryWith.rss,
        heapBase: memoryBase.heapUsed,
        heapWithClients: memoryWith.heapUsed,
      },
    };
    log(
      `    ${name.padEnd(9)} ${String(connected.clients).padStart(5)} clients (${(connected.ms / 1000).toFixed(1)} s${connected.failed ? `, ${connected.failed} failed` : ''}): ack p99 ${result.ack.p99.toFixed(1)} ms, webhook -> client p99 ${analysis.webhookToClient.p99.toFixed(1)} ms, server CPU ${result.cpuPercent.server.toFixed(0)} %, ${(perWidgetBytes(result) / 1024).toFixed(1)} KB/widget`,
    );
    return result;
  } finally {
    await clients.request({ type: 'stop' }, 'stopped', 30_000).catch((error) => console.error(`  ${name}: ${error.message}`));
    await clients.exit();
    await server.stop();
  }
}

/** V8 heap growth per idle widget (same slope): steadier than RSS, which start-up's freed pages blur. */
export const perWidgetHeapBytes = (r: LiveTargetResult) => (r.memory.heapWithClients - r.memory.heapBase) / Math.max(1, r.clients - r.memory.baseClients);

/** RSS growth per connected, subscribed, idle widget (slope from a quarter of the widgets to all). */
export const perWidgetBytes = (r: LiveTargetResult) => (r.memory.rssWithClients - r.memory.rssBase) / Math.max(1, r.clients - r.memory.baseClients);

export async function benchLive(settings: LiveSettings, signer: WebhookSigner, log: (line: string) => void): Promise<LiveResult> {
  const what = (clients: number, seconds: number) => `${clients} clients, ${settings.ratePerSecond} webhooks/s for ${seconds} s`;
  log(`(b) live: ${settings.targets.join(', ')} in ${settings.rounds} alternating round(s); ${what(settings.clients, settings.seconds)}`);
  const runs: LiveTargetResult[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    for (const target of settings.targets) runs.push(await runTarget(target, settings.clients, settings.seconds, settings, signer, log));
  }
  const scale: LiveTargetResult[] = [];
  if (settings.scaleClients.length > 0)
    log(`(c) scale: bare and app-split at ${settings.scaleClients.join(', ')} clients, ${settings.scaleSeconds} s of webhooks each`);
  for (const clients of settings.scaleClients) {
    for (const target of ['bare', 'app-split'] as const) scale.push(await runTarget(target, clients, settings.scaleSeconds, settings, signer, log));
  }
  return { settings, runs, scale };
}
