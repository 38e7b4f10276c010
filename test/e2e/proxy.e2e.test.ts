/**
 * Production as an IT department runs it: deploy/nginx/survey-live.conf, filled in for free
 * ports, in Debian's nginx over https with a certificate made here with openssl, in front of two
 * built instances (`node dist/server/main.js`, the Dockerfile's and the systemd unit's command)
 * on one Redis. Chromium shows a widget over https that follows webhooks live, and keeps
 * following them while each instance in turn is stopped and started again; the rate limiter
 * sees each client's own address (X-Forwarded-For from the proxy, TRUST_PROXY naming it).
 * scripts/test.sh installs nginx when it is missing, as it does Chromium.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build.js';
import { signWebhook } from '../../server/ingest/signature.js';
import { ADMIN_TOKEN, deleteKeys, eventually, redisUrl, response, sampleSurvey, TEST_SECRET, testPrefix } from '../support/harness.js';
import { collectProblems, ensureBuilt, launchChromium, ROOT, readPart } from './pages-helpers.js';

const NGINX = '/usr/sbin/nginx';
const TOKEN_SECRET = 'p'.repeat(40);

let dir: string;
let cert: string;
let base: string;
let nginx: ChildProcess | undefined;
let browser: Browser;
const prefix = testPrefix();
const instances: { port: number; child?: ChildProcess; log: string }[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An https request through the proxy, trusting the test's certificate, from a chosen loopback address. */
function httpsRequest(
  method: string,
  path: string,
  { body, headers = {}, from = '127.0.0.1' }: { body?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, ca: cert, localAddress: from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const admin = (method: string, path: string, body?: unknown) =>
  httpsRequest(method, path, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A webhook through the proxy, retried like a platform retries (same id and body) until it is counted. */
async function sendWebhook(surveyId: string): Promise<void> {
  const body = JSON.stringify({ type: 'response.created', timestamp: new Date().toISOString(), data: response(surveyId) });
  const id = `msg_${randomUUID()}`;
  await eventually(
    async () => {
      const res = await httpsRequest('POST', '/api/v1/webhooks/responses', {
        body,
        headers: { 'Content-Type': 'application/json', ...signWebhook(TEST_SECRET, body, { id }) },
      }).catch(() => undefined);
      return res && res.status === 200;
    },
    'the webhook accepted through the proxy',
    20_000,
  );
}

function startInstance(index: number): Promise<void> {
  const instance = instances[index]!;
  instance.log = '';
  const child = spawn('node', ['dist/server/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(instance.port),
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: prefix,
      TOKEN_SECRET,
      ADMIN_TOKEN,
      WEBHOOK_SECRETS: TEST_SECRET,
      DEMO: 'false',
      TEXT_DELAY_S: '0',
      LOG_LEVEL: 'warn',
      // nginx connects from 127.0.0.1: its X-Forwarded-For is believed, nobody else's.
      TRUST_PROXY: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    instance.log += chunk;
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  instance.child = child;
  return eventually(
    async () => (await fetch(`http://127.0.0.1:${instance.port}/readyz`).catch(() => undefined))?.ok,
    `instance ${index + 1} ready\n${instance.log}`,
    30_000,
  ).then(() => undefined);
}

async function stopInstance(index: number): Promise<void> {
  const child = instances[index]!.child;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The deploy template with its placeholders filled in, inside a minimal nginx.conf of the test's own. */
function writeNginxConfig(httpsPort: number, httpPort: number): string {
  const site = readFileSync(join(ROOT, 'deploy/nginx/survey-live.conf'), 'utf8');
  const values: Record<string, string> = {
    SERVER_NAME: 'localhost',
    HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
    HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    TLS_CERT: join(dir, 'cert.pem'),
    TLS_KEY: join(dir, 'key.pem'),
    INSTANCE_1: `127.0.0.1:${instances[0]!.port}`,
    INSTANCE_2: `127.0.0.1:${instances[1]!.port}`,
  };
  const filled = site.replace(/\$\{([A-Z0-9_]+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
  expect(filled, 'every placeholder filled').not.toMatch(/\$\{[A-Z]/);
  writeFileSync(join(dir, 'survey-live.conf'), filled);
  // Workers run as nobody when nginx starts as root: their temp directories must be theirs to write.
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, temp));
    chmodSync(join(dir, temp), 0o777);
  }
  const main = join(dir, 'nginx.conf');
  writeFileSync(
    main,
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'survey-live.conf')};
}
`,
  );
  return main;
}

beforeAll(async () => {
  await Promise.all([ensureBuilt(), buildServer({ ifStale: true, quiet: true })]);
  dir = mkdtempSync(join(tmpdir(), 'survey-live-proxy-'));
  chmodSync(dir, 0o755);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');

  const [httpsPort, httpPort, port1, port2] = [await freePort(), await freePort(), await freePort(), await freePort()];
  instances.push({ port: port1, log: '' }, { port: port2, log: '' });
  await Promise.all([startInstance(0), startInstance(1)]);

  const config = writeNginxConfig(httpsPort, httpPort);
  execFileSync(NGINX, ['-t', '-c', config, '-p', dir], { stdio: 'pipe' });
  nginx = spawn(NGINX, ['-c', config, '-p', dir], { stdio: 'ignore' });
  base = `https://localhost:${httpsPort}`;
  await eventually(async () => (await httpsRequest('GET', '/healthz').catch(() => undefined))?.status === 200, 'nginx answering /healthz over https', 15_000);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await exited;
  }
  await Promise.all(instances.map((_, index) => stopInstance(index)));
  await deleteKeys(redisUrl(), prefix);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('behind nginx over https', () => {
  it('forwards each client address: the rate limiter counts per client, not per proxy', async () => {
    const survey = sampleSurvey();
    expect((await admin('PUT', `/api/v1/surveys/${survey.id}`, survey)).status).toBe(201);
    // Draft-8 RateLimit header: `"1200-in-1min"; r=<remaining>; t=<seconds>`.
    const remaining = (res: { headers: Record<string, string | string[] | undefined> }) => Number(/r=(\d+)/.exec(String(res.headers.ratelimit))?.[1]);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await httpsRequest('GET', '/api/v1/surveys', { from: '127.0.0.2', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      seen.push(remaining(res));
    }
    // Five requests over two instances: one of them counted at least three from 127.0.0.2.
    expect(Math.min(...seen)).toBeLessThanOrEqual(1197);
    const other = await httpsRequest('GET', '/api/v1/surveys', { from: '127.0.0.3', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(other.status).toBe(200);
    // 127.0.0.3's first request: its own full budget, whatever 127.0.0.2 spent.
    expect(remaining(other)).toBe(1199);
  });

  it('shows a widget over https that follows webhooks live, while each instance in turn restarts', async () => {
    const survey = sampleSurvey();
    expect((await admin('PUT', `/api/v1/surveys/${survey.id}`, survey)).status).toBe(201);
    const minted = await admin('POST', '/api/v1/tokens', { surveyId: survey.id, scopes: ['stats'], expiresIn: '1h' });
    expect(minted.status).toBe(201);
    const { token } = JSON.parse(minted.body) as { token: string };

    // The test's certificate is not in Chromium's store: the context accepts it, as a browser that trusted it would.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page: Page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${base}/embed/counter?${new URLSearchParams({ survey: survey.id, token })}`);
    const count = async () => Number((await readPart(page, 'survey-live-counter', 'value')).replace(/\D/g, '') || Number.NaN);
    await expect.poll(count, { timeout: 15_000 }).toBe(0);

    await sendWebhook(survey.id);
    await expect.poll(count, { timeout: 15_000 }).toBe(1);
    expect(await page.evaluate(() => location.protocol)).toBe('https:');

    // Each instance is stopped, a webhook arrives, and the instance comes back: whichever one the
    // widget's socket was on, it rides out that restart on the other.
    let expected = 1;
    for (const index of [0, 1]) {
      await stopInstance(index);
      await sendWebhook(survey.id);
      expected += 1;
      await expect.poll(count, { timeout: 30_000, message: `after instance ${index + 1} stopped` }).toBe(expected);
      await startInstance(index);
    }
    await sendWebhook(survey.id);
    await expect.poll(count, { timeout: 30_000 }).toBe(expected + 1);
    // Reconnecting may log a failed socket request while an instance is down; nothing else.
    expect(problems.filter((problem) => !/socket\.io|WebSocket|ERR_|502|503/.test(problem))).toEqual([]);
    await context.close();
  }, 150_000);
});
