/**
 * Bench (a): the signed webhook path of the real app against real Redis, beside a bare node:http
 * server reading the same bodies, and the same app on the in-memory store (what Redis costs).
 * autocannon runs here; each server under test runs in its own child process. The targets are
 * measured in alternating rounds, so a burst of someone else's load on this shared machine
 * lands on all of them alike instead of on whichever happened to be running.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import { type Child, forkChild } from './lib/children.js';
import { type CpuPerRequest, ownCpuMicros, redisCpuMicros } from './lib/cpu.js';
import { LatencyHistogram } from './lib/latency.js';
import type { TargetCommand, TargetReply } from './lib/protocol.js';
import { benchPrefix, benchRedisUrl } from './lib/redis-keys.js';
import { meanBodyBytes, newRunId, responseBody, WEBHOOK_PATH, type WebhookSigner } from './lib/webhooks.js';

export interface IngestSettings {
  connections: number;
  warmupSeconds: number;
  /** Measured time per target, split into `rounds` alternating rounds. */
  measureSeconds: number;
  rounds: number;
}

export interface IngestTargetResult {
  /** Requests answered per second over the measured rounds. */
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  requests: number;
  /** Requests answered in the warm-up (for reading CPU profiles, which cover both). */
  warmupRequests: number;
  seconds: number;
  /** Requests per second in each round, to see the noise. */
  roundRequestsPerSecond: number[];
  /** Answers that were 200 {"status":"accepted"}. */
  accepted: number;
  /** Anything else (other statuses, transport errors, timeouts). */
  failed: number;
  firstFailure: string | undefined;
  /** Responses the store counted for the measured survey (apps only). */
  counted: number | undefined;
  /** CPU time per answered request: the server, Redis (shared: includes others' load), autocannon. */
  cpuMicrosPerRequest: CpuPerRequest;
}

export interface IngestResult {
  settings: IngestSettings;
  bodyBytes: number;
  bare: IngestTargetResult;
  app: IngestTargetResult;
  /** The same app on the in-memory store: what the app costs without Redis. */
  appInMemory: IngestTargetResult;
  /** app / bare requests per second. */
  ratio: number;
  /** The stores counted exactly the accepted responses of the measured rounds. */
  countsMatch: boolean;
}

type Target = Child<TargetCommand, TargetReply>;

const SURVEYS = { warmup: 'bench-ingest-warmup', measured: 'bench-ingest' };
/** autocannon notices that a run is over only at a sampling tick (1 s by default). */
const SAMPLE_MS = 100;

/** What one target accumulates over its rounds. */
class TargetRun {
  readonly latency = new LatencyHistogram(20_000);
  readonly rounds: number[] = [];
  requests = 0;
  warmupRequests = 0;
  seconds = 0;
  accepted = 0;
  failed = 0;
  firstFailure: string | undefined;
  serverMicros = 0;
  redisMicros = 0;
  generatorMicros = 0;
  /** Requests per second in the warm-up, to size the rounds. */
  warmRate = 0;

  constructor(
    readonly name: string,
    readonly target: Target,
    readonly port: number,
    readonly storeCounts: boolean,
  ) {}

  /** One autocannon request whose every send is a new response, freshly signed. */
  requestsFor(signer: WebhookSigner, surveyId: string, counting: boolean): AutocannonRequest[] {
    const runId = newRunId();
    let n = 0;
    return [
      {
        method: 'POST',
        path: WEBHOOK_PATH,
        setupRequest: (request) => {
          n += 1;
          const body = responseBody(surveyId, runId, n);
          return { ...request, headers: signer.headers(`msg_${runId}_${n}`, body), body };
        },
        onResponse: (status, body) => {
          if (!counting) return;
          if (status === 200 && body.includes('"accepted"')) this.accepted += 1;
          else {
            this.failed += 1;
            this.firstFailure ??= `${status} ${body.slice(0, 200)}`;
          }
        },
      },
    ];
  }

  async serverCpu(): Promise<number> {
    return (await this.target.request({ type: 'count', surveyId: SURVEYS.measured }, 'count', 10_000)).cpuMicros;
  }

  result(counted: number | undefined): IngestTargetResult {
    const latency = this.latency.summary();
    return {
      requestsPerSecond: this.requests / this.seconds,
      latencyP50Ms: latency.p50,
      latencyP99Ms: latency.p99,
      latencyMaxMs: latency.max,
      requests: this.requests,
      warmupRequests: this.warmupRequests,
      seconds: this.seconds,
      roundRequestsPerSecond: this.rounds,
      accepted: this.accepted,
      failed: this.failed,
      firstFailure: this.firstFailure,
      counted,
      cpuMicrosPerRequest: {
        serverMicros: this.serverMicros / this.requests,
        redisMicros: this.redisMicros / this.requests,
        loadGeneratorMicros: this.generatorMicros / this.requests,
      },
    };
  }
}

async function warmUp(run: TargetRun, signer: WebhookSigner, settings: IngestSettings): Promise<void> {
  const started = performance.now();
  let lastAnswer = started;
  const tracker = autocannon({
    url: `http://127.0.0.1:${run.port}`,
    connections: settings.connections,
    duration: settings.warmupSeconds,
    sampleInt: SAMPLE_MS,
    timeout: 10,
    requests: run.requestsFor(signer, SURVEYS.warmup, false),
  });
  tracker.on('response', () => {
    lastAnswer = performance.now();
  });
  const result = await tracker;
  if (result['2xx'] === 0) throw new Error(`${run.name}: the warm-up got no 2xx answer (${JSON.stringify(result.statusCodeStats)})`);
  run.warmupRequests = result.requests.total;
  run.warmRate = result.requests.total / ((lastAnswer - started) / 1000);
}

async function measureRound(run: TargetRun, signer: WebhookSigner, settings: IngestSettings, redisUrl: string): Promise<void> {
  // A fixed amount (not a duration): every request sent is also answered, so the store's count can be checked exactly.
  const amount = Math.max(settings.connections * 20, Math.round((run.warmRate * settings.measureSeconds) / settings.rounds));
  const before = { server: await run.serverCpu(), redis: await redisCpuMicros(redisUrl), own: ownCpuMicros() };
  const started = performance.now();
  let lastAnswer = started;
  const tracker = autocannon({
    url: `http://127.0.0.1:${run.port}`,
    connections: settings.connections,
    amount,
    sampleInt: SAMPLE_MS,
    timeout: 10,
    requests: run.requestsFor(signer, SURVEYS.measured, true),
  });
  tracker.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    lastAnswer = performance.now();
    run.latency.record(responseTime);
  });
  const result = await tracker;
  // autocannon's own duration ends at its next sampling tick, not at the last answer.
  const seconds = (lastAnswer - started) / 1000;
  run.generatorMicros += ownCpuMicros() - before.own;
  run.redisMicros += (await redisCpuMicros(redisUrl)) - before.redis;
  run.serverMicros += (await run.serverCpu()) - before.server;
  run.requests += result.requests.total;
  run.seconds += seconds;
  run.failed += result.errors + result.timeouts;
  run.rounds.push(result.requests.total / seconds);
}

export async function benchIngest(settings: IngestSettings, signer: WebhookSigner, log: (line: string) => void): Promise<IngestResult> {
  const redisUrl = benchRedisUrl();
  const surveys = { BENCH_SURVEYS: `${SURVEYS.warmup},${SURVEYS.measured}` };
  const specs = [
    { name: 'bare-http', script: './targets/bare-http.ts', env: {}, storeCounts: false },
    { name: 'app-ingest', script: './targets/app.ts', env: { ...surveys, BENCH_PREFIX: benchPrefix() }, storeCounts: true },
    { name: 'app-ingest-memory', script: './targets/app.ts', env: { ...surveys, BENCH_STORE: 'memory' }, storeCounts: true },
  ];
  const targets = specs.map((spec) => ({ spec, child: forkChild<TargetCommand, TargetReply>(spec.name, new URL(spec.script, import.meta.url), spec.env) }));
  try {
    const runs: TargetRun[] = [];
    for (const { spec, child } of targets) runs.push(new TargetRun(spec.name, child, (await child.next('ready', 30_000)).port, spec.storeCounts));
    log(
      `(a) ingest: bare node:http, app on Redis, app on the in-memory store; ${settings.connections} connections, ${settings.warmupSeconds} s warm-up each, then ${settings.rounds} alternating rounds (~${settings.measureSeconds} s each in all)`,
    );
    for (const run of runs) await warmUp(run, signer, settings);
    for (let round = 0; round < settings.rounds; round++) {
      for (const run of runs) await measureRound(run, signer, settings, redisUrl);
      log(`    round ${round + 1}: ${runs.map((run) => `${run.name} ${Math.round(run.rounds[round] ?? 0)} req/s`).join(', ')}`);
    }
    const counted = async (run: TargetRun) =>
      run.storeCounts ? (await run.target.request({ type: 'count', surveyId: SURVEYS.measured }, 'count', 10_000)).responses : undefined;
    const [bare, app, appInMemory] = (await Promise.all(runs.map(async (run) => run.result(await counted(run))))) as [
      IngestTargetResult,
      IngestTargetResult,
      IngestTargetResult,
    ];
    return {
      settings,
      bodyBytes: meanBodyBytes(),
      bare,
      app,
      appInMemory,
      ratio: app.requestsPerSecond / bare.requestsPerSecond,
      countsMatch: [app, appInMemory].every((t) => t.counted === t.accepted && t.failed === 0),
    };
  } finally {
    for (const { spec, child } of targets) {
      await child.request({ type: 'stop' }, 'stopped', 30_000).catch((error) => console.error(`  ${spec.name}: ${error.message}`));
      await child.exit();
    }
  }
}
