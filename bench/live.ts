/**
 * Bench (b): the live path. N socket.io clients in their own process subscribe to one survey
 * while webhooks arrive open-loop at a fixed rate; measures ack latency (webhook -> 200) and
 * webhook -> client latency, for the real app and for a bare Socket.IO server (baseline).
 */
import { forkChild } from './lib/children.js';
import { sleep } from './lib/clock.js';
import { ownCpuMicros } from './lib/cpu.js';
import { type LatencySummary, summarize } from './lib/latency.js';
import { sendOpenLoop } from './lib/open-loop.js';
import type { ClientsCommand, ClientsReply, DeliveryAnalysis, TargetCommand, TargetReply } from './lib/protocol.js';
import { benchPrefix } from './lib/redis-keys.js';
import { newRunId, responseBody, type WebhookSigner } from './lib/webhooks.js';

export interface LiveSettings {
  clients: number;
  ratePerSecond: number;
  seconds: number;
  warmupSeconds: number;
  statsIntervalMs: number;
}

export interface LiveTargetResult {
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
}

export interface LiveResult {
  settings: LiveSettings;
  bare: LiveTargetResult;
  app: LiveTargetResult;
}

const SURVEYS = { warmup: 'bench-live-warmup', measured: 'bench-live' };

/** The largest of each second's worth of values (requests are sent at a fixed rate, in order). */
function maxPerSecond(values: Float64Array, perSecond: number): number[] {
  const maxima: number[] = [];
  for (let i = 0; i < values.length; i += perSecond) maxima.push(Math.round(Math.max(...values.subarray(i, i + perSecond).filter(Number.isFinite))));
  return maxima;
}

async function runTarget(
  name: string,
  script: string,
  env: Record<string, string>,
  settings: LiveSettings,
  signer: WebhookSigner,
  log: (line: string) => void,
) {
  const target = forkChild<TargetCommand, TargetReply>(name, new URL(script, import.meta.url), {
    BENCH_SURVEYS: `${SURVEYS.warmup},${SURVEYS.measured}`,
    BENCH_TOKEN_SURVEY: SURVEYS.measured,
    STATS_INTERVAL_MS: String(settings.statsIntervalMs),
    ...env,
  });
  const clients = forkChild<ClientsCommand, ClientsReply>(`${name}-clients`, new URL('./clients/live-clients.ts', import.meta.url));
  try {
    const { port, token } = await target.next('ready', 30_000);
    const connected = await clients.request(
      { type: 'connect', url: `http://127.0.0.1:${port}`, surveyId: SURVEYS.measured, clients: settings.clients, ...(token ? { token } : {}) },
      'connected',
      180_000,
    );
    log(
      `    ${connected.clients} clients subscribed in ${(connected.ms / 1000).toFixed(1)} s${connected.failed ? ` (${connected.failed} failed: ${connected.firstError})` : ''}`,
    );
    const build = (surveyId: string, run: string) => (i: number) => {
      const body = responseBody(surveyId, run, i);
      return { body, headers: signer.headers(`msg_${run}_${i}`, body) };
    };
    // Warm-up on a survey nobody watches: JIT and connection pools, not fan-out.
    await sendOpenLoop({
      port,
      ratePerSecond: settings.ratePerSecond,
      durationMs: settings.warmupSeconds * 1000,
      build: build(SURVEYS.warmup, newRunId()),
    });
    const cpu = async () => ({
      at: performance.now(),
      server: (await target.request({ type: 'count', surveyId: SURVEYS.measured }, 'count', 10_000)).cpuMicros,
      clients: (await clients.request({ type: 'cpu' }, 'cpu', 10_000)).cpuMicros,
      sender: ownCpuMicros(),
    });
    const cpuBefore = await cpu();
    const sent = await sendOpenLoop({
      port,
      ratePerSecond: settings.ratePerSecond,
      durationMs: settings.seconds * 1000,
      build: build(SURVEYS.measured, newRunId()),
    });
    const cpuAfter = await cpu();
    const percentOfCore = (key: 'server' | 'clients' | 'sender') => ((cpuAfter[key] - cpuBefore[key]) / 1000 / (cpuAfter.at - cpuBefore.at)) * 100;
    // Let the last coalesced update go out.
    await sleep(settings.statsIntervalMs * 2 + 500);
    const { analysis } = await clients.request({ type: 'analyse', sendTimes: sent.scheduled }, 'analysis', 60_000);
    const { responses } = await target.request({ type: 'count', surveyId: SURVEYS.measured }, 'count', 10_000);
    return {
      clients: connected.clients,
      connectFailed: connected.failed,
      connectSeconds: connected.ms / 1000,
      webhooks: sent.scheduled.length,
      accepted: sent.accepted,
      sentLate: sent.sentLate,
      firstFailure: sent.firstFailure,
      ack: summarize(sent.latency.filter(Number.isFinite)),
      ackMaxPerSecond: maxPerSecond(sent.latency, settings.ratePerSecond),
      delivery: analysis,
      counted: responses,
      cpuPercent: { server: percentOfCore('server'), clients: percentOfCore('clients'), sender: percentOfCore('sender') },
    };
  } finally {
    await clients.request({ type: 'stop' }, 'stopped', 30_000).catch((error) => console.error(`  ${name}: ${error.message}`));
    await clients.exit();
    await target.request({ type: 'stop' }, 'stopped', 30_000).catch((error) => console.error(`  ${name}: ${error.message}`));
    await target.exit();
  }
}

export async function benchLive(settings: LiveSettings, signer: WebhookSigner, log: (line: string) => void): Promise<LiveResult> {
  const what = `${settings.clients} clients, ${settings.ratePerSecond} webhooks/s for ${settings.seconds} s`;
  log(`(b) live: bare Socket.IO server, ${what}`);
  const bare = await runTarget('bare-live', './targets/bare-live.ts', {}, settings, signer, log);
  log(`(b) live: app (createApp + RedisStore + Redis adapter), ${what}`);
  const app = await runTarget('app-live', './targets/app.ts', { BENCH_PREFIX: benchPrefix() }, settings, signer, log);
  return { settings, bare, app };
}
