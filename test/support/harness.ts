/** Starts real survey-live apps on port 0 for tests, with their own store and key prefix. */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import { inject } from 'vitest';
import { type App, createApp } from '../../server/app.js';
import { type Config, loadConfig } from '../../server/config.js';
import { signWebhook } from '../../server/ingest/signature.js';
import { createRedisAdapter } from '../../server/live/redis-adapter.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import { RedisStore } from '../../server/store/redis-store.js';
import type { ResponseStore } from '../../server/store/response-store.js';
import { type ClientToServerEvents, LIVE_NAMESPACE, type ServerToClientEvents } from '../../shared/events.js';
import type { ResponseData, SurveyInput } from '../../shared/schemas.js';

export const TEST_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The Redis URL found by the global setup. */
export const redisUrl = () => inject('redisUrl');

/** A key prefix of this test's own, so tests on the shared Redis never touch others' keys. */
export const testPrefix = () => `survey-live-test:${randomUUID()}:`;

/** Deletes every key under a prefix (and only those). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  if (keys.length > 0) await client.del(keys);
  await client.quit();
}

export function testConfig(env: Record<string, string> = {}): Config {
  // Privacy delay and small-group hiding are off unless a test turns them on: the privacy
  // tests do, explicitly; the others test counting and pushing, which those would hide.
  return loadConfig({
    ADMIN_TOKEN,
    WEBHOOK_SECRETS: TEST_SECRET,
    TOKEN_SECRET: 'x'.repeat(40),
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    TEXT_DELAY_S: '0',
    MIN_GROUP_SIZE: '1',
    ...env,
  });
}

export interface TestApp {
  app: App;
  store: ResponseStore;
  url: string;
  config: Config;
  /** POSTs a signed native webhook with this response data. */
  sendResponse(data: ResponseData, options?: { secret?: string }): Promise<Response>;
  /** Calls the admin API. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  putSurvey(survey: SurveyInput): Promise<void>;
  /** A socket.io client on /live; closed by close(). */
  connectLive(auth?: { token?: string }): Socket<ServerToClientEvents, ClientToServerEvents>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  store?: 'memory' | 'redis' | ResponseStore;
  /** Collects the app's log lines (JSON, level debug and up) instead of silencing them. */
  logLines?: string[];
  env?: Record<string, string>;
  /** Redis key prefix; a fresh one by default. Two apps with the same prefix share data. */
  prefix?: string;
  /** Redis URL; the global one by default. */
  redis?: string;
  /** Use the Socket.IO Redis adapter (for several instances). */
  adapter?: boolean;
}

const unmatchedBounds = (config: Config) => ({ unmatchedLimit: config.unmatchedLimit, unmatchedTtlMs: config.unmatchedTtlDays * 86_400_000 });

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(options.env);
  const url = options.redis ?? redisUrl();
  const prefix = options.prefix ?? testPrefix();
  const ownsStore = typeof options.store !== 'object';
  const store: ResponseStore =
    typeof options.store === 'object'
      ? options.store
      : options.store === 'redis'
        ? await RedisStore.connect({
            url,
            prefix,
            textLimit: config.textLimit,
            textRetentionMs: config.textRetentionDays * 86_400_000,
            ...unmatchedBounds(config),
          })
        : new MemoryStore({ textLimit: config.textLimit, ...unmatchedBounds(config) });
  const adapter = options.adapter ? await createRedisAdapter(url, prefix) : undefined;
  const logger = options.logLines ? pino({ level: 'debug' }, { write: (line: string) => void options.logLines?.push(line) }) : pino({ level: 'silent' });
  const app = createApp({ config, store, logger, adapter: adapter?.adapter });
  const address = await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${address.port}`;
  const sockets: Socket[] = [];

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    app,
    store,
    url: base,
    config,
    sendResponse: (data, { secret = TEST_SECRET } = {}) => postSigned(base, { type: 'response.created', timestamp: new Date().toISOString(), data }, secret),
    admin,
    async putSurvey(survey) {
      const res = await admin('PUT', `/api/v1/surveys/${survey.id}`, survey);
      if (!res.ok) throw new Error(`PUT survey failed: ${res.status} ${await res.text()}`);
    },
    connectLive(auth) {
      const socket = connect(`${base}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: auth ?? {}, forceNew: true });
      sockets.push(socket);
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.close();
      await app.close();
      await adapter?.close();
      if (ownsStore) await store.close();
      if (options.store === 'redis' && !options.prefix) await deleteKeys(url, prefix);
    },
  };
}

/** Signs a body the Standard Webhooks way, as a sender does (signWebhook is checked against the package's own signer). */
export function signedHeaders(body: string, secret = TEST_SECRET, options: { id?: string; timestamp?: Date } = {}): Record<string, string> {
  return { 'Content-Type': 'application/json', ...signWebhook(secret, body, options) };
}

export function postSigned(base: string, payload: unknown, secret = TEST_SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${base}/api/v1/webhooks/responses`, { method: 'POST', headers: signedHeaders(body, secret), body });
}

/** A survey for tests: two areas, a safety index on a 1–5 scale, one free-text question. */
export function sampleSurvey(id = `survey-${randomUUID().slice(0, 8)}`): SurveyInput & { id: string } {
  return {
    id,
    name: 'Kundenkät 2026',
    target: 0.6,
    areas: [
      { id: 'norr', name: 'Norra området', distributed: 100 },
      { id: 'soder', name: 'Södra området', distributed: 50 },
    ],
    textQuestions: ['comment'],
    indexes: [{ id: 'safety', name: 'Trygghet', questions: ['q1', 'q2'], scale: [1, 5] }],
    sources: [],
  };
}

export function response(surveyId: string, overrides: Partial<ResponseData> = {}): ResponseData {
  return { responseId: randomUUID(), surveyId, areaId: 'norr', channel: 'door', answers: [{ questionId: 'q1', value: 4 }], ...overrides };
}

/** Waits until `check` returns truthy, polling; fails with `what` after timeoutMs. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
