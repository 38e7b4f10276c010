/**
 * Parts of the fault tests: survey-live's own server as a child process (as deployed, so it
 * can be SIGKILLed), and a sender that retries like the survey platforms do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { RedisStore } from '../../../server/store/redis-store.js';
import type { ServerStatus } from '../../../shared/events.js';
import { ADMIN_TOKEN, signedHeaders, TEST_SECRET } from '../../support/harness.js';
import { freePort } from '../../support/redis-server.js';
import type { LiveClient } from '../live/live-helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
export const TOKEN_SECRET = 'fault-test-token-secret-0123456789abcdef';

export interface ServerProcess {
  url: string;
  port: number;
  /** Starts `tsx server/main.ts` and waits for /readyz. */
  start(): Promise<void>;
  /** Sends `signal` and waits for the exit; returns the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Whether the process is running (it has not exited). */
  running(): boolean;
  /** What it wrote to stderr and stdout (for a failing test's message). */
  output(): string;
}

/** survey-live's server as a child process on a fixed free port, so a restart answers at the same URL. */
export async function serverProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';
  const stopping = new WeakSet<ChildProcess>();
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  return {
    url,
    port,
    running,
    output: () => output.slice(-4000),
    async start() {
      output = '';
      child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: String(port),
          HOST: '127.0.0.1',
          ADMIN_TOKEN,
          WEBHOOK_SECRETS: TEST_SECRET,
          TOKEN_SECRET,
          DEMO: 'false',
          LOG_LEVEL: 'warn',
          TEXT_DELAY_S: '0',
          MIN_GROUP_SIZE: '1',
          STATS_INTERVAL_MS: '100',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const started = child;
      // A server that dies on its own fails the test; its last words say why.
      started.once('exit', (code, signal) => {
        if (!stopping.has(started)) console.error(`the server on port ${port} exited by itself (${code ?? signal}):\n${output.slice(-4000)}`);
      });
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (!running()) throw new Error(`the server exited at start:\n${output}`);
        const ready = await fetch(`${url}/readyz`).then(
          (res) => res.ok,
          () => false,
        );
        if (ready) return;
        if (Date.now() > deadline) throw new Error(`the server did not get ready within 120 s:\n${output}`);
        await sleep(100);
      }
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const current = child;
      if (!current || !running()) return current?.exitCode ?? null;
      const exited = new Promise<number | null>((done) => current.once('exit', (code) => done(code)));
      stopping.add(current);
      current.kill(signal);
      return exited;
    },
  };
}

/** What one delivery went through before a 2xx. */
export interface Delivery {
  responseId: string;
  attempts: number;
  /** Each non-2xx answer (status) or 'network' for a refused or broken connection. */
  failures: (number | 'network')[];
  /** Retry-After of each 503. */
  retryAfter: string[];
  /** Content-Type and problem `type` of each 503's body. */
  problems: { contentType: string; type: string }[];
  status: string;
}

/**
 * Delivers one webhook until it gets a 2xx, as Standard Webhooks senders do: the same
 * `webhook-id`, timestamp, signature and body on every attempt, exponential backoff (capped
 * low here; platforms wait minutes to hours). `target()` picks the URL per attempt, so a sender
 * may go round a load balancer's instances.
 */
export async function deliver(target: () => string, data: { responseId: string } & Record<string, unknown>, deadlineMs = 120_000): Promise<Delivery> {
  const body = JSON.stringify({ type: 'response.created', timestamp: new Date().toISOString(), data });
  const headers = signedHeaders(body, TEST_SECRET, { id: `msg_${randomUUID()}` });
  const delivery: Delivery = { responseId: data.responseId, attempts: 0, failures: [], retryAfter: [], problems: [], status: '' };
  const deadline = Date.now() + deadlineMs;
  for (let backoff = 50; ; backoff = Math.min(backoff * 2, 1000)) {
    delivery.attempts++;
    try {
      const res = await fetch(`${target()}/api/v1/webhooks/responses`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      if (res.ok) {
        delivery.status = ((await res.json()) as { status: string }).status;
        return delivery;
      }
      const text = await res.text();
      delivery.failures.push(res.status);
      if (res.status === 503) {
        delivery.retryAfter.push(res.headers.get('retry-after') ?? '');
        let type = '';
        try {
          type = String((JSON.parse(text) as { type?: unknown }).type ?? '');
        } catch {
          // Not JSON: the test's assertion on `problems` says so.
        }
        delivery.problems.push({ contentType: res.headers.get('content-type') ?? '', type });
      }
    } catch {
      delivery.failures.push('network');
    }
    if (Date.now() > deadline)
      throw new Error(`response ${data.responseId} not delivered after ${delivery.attempts} attempts: ${delivery.failures.join(', ')}`);
    await sleep(backoff);
  }
}

/**
 * Sends `count` distinct responses through `concurrency` senders; `onAccepted(n)` hears each
 * first success, so a test can strike mid-stream.
 */
export async function stream(
  count: number,
  concurrency: number,
  target: () => string,
  make: (i: number) => { responseId: string } & Record<string, unknown>,
  onDelivered: (delivered: number) => Promise<void> | void = () => {},
): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      deliveries.push(await deliver(target, make(i)));
      await onDelivered(deliveries.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return deliveries;
}

export async function adminCall(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** What a subscribed widget has been told: each store status in turn, and the last count it showed. */
export function watchWidget(widget: LiveClient, surveyId: string): { statuses: ServerStatus['store'][]; shown(): number } {
  const statuses: ServerStatus['store'][] = [];
  widget.on('server:status', ({ store }) => statuses.push(store));
  let shown = 0;
  widget.on('survey:stats', (snapshot) => {
    if (snapshot.surveyId === surveyId) shown = snapshot.responses;
  });
  return { statuses, shown: () => shown };
}

/** Reads the survey's counts back through a connection of its own: every response once, half in "norr", half in "soder". */
export async function expectStoredCounts(url: string, prefix: string, surveyId: string, responses: number): Promise<void> {
  const reader = await RedisStore.connect({ url, prefix });
  try {
    const counts = await reader.getCounts(surveyId);
    expect(counts.responses).toBe(responses);
    expect(Object.fromEntries(counts.byArea)).toEqual({ norr: responses / 2, soder: responses / 2 });
  } finally {
    await reader.close();
  }
}
