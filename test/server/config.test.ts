import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { parseClusterUrl } from '../../server/store/redis-connection.js';
import { loadSurveysFile } from '../../server/surveys-file.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The ConfigError loadConfig throws for this environment. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('runs with no environment at all: port 3000, in-memory store, demo on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      redisUrl: undefined,
      redisPrefix: 'survey-live:',
      surveysFile: undefined,
      webhookSecrets: [],
      publicStats: false,
      allowedOrigins: [],
      maxBodyBytes: 64 * 1024,
      statsIntervalMs: 250,
      textLimit: 500,
      logLevel: 'info',
      demo: true,
      adminTokenGenerated: true,
    });
    expect(config.adminToken.length).toBeGreaterThanOrEqual(16);
    expect(config.tokenSecret.length).toBeGreaterThanOrEqual(32);
    // Generated per run: two runs do not share them.
    expect(loadConfig({}).adminToken).not.toBe(config.adminToken);
  });

  it('runs one process serving everything unless ROLE splits webhooks from widgets, which needs Redis', () => {
    expect(loadConfig({}).role).toBe('all');
    expect(loadConfig({ ROLE: 'ingest', REDIS_URL: 'redis://127.0.0.1:6379' }).role).toBe('ingest');
    expect(loadConfig({ ROLE: 'live', REDIS_URL: 'redis://127.0.0.1:6379' }).role).toBe('live');
    expect(configError({ ROLE: 'live' }).problems).toEqual([expect.stringMatching(/^ROLE: live needs REDIS_URL/)]);
    expect(configError({ ROLE: 'both' }).problems).toEqual(['ROLE: must be all, ingest or live']);
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '', REDIS_URL: '', WEBHOOK_SECRETS: '', ADMIN_TOKEN: '' });
    expect(config).toMatchObject({ port: 3000, redisUrl: undefined, webhookSecrets: [], demo: true, adminTokenGenerated: true });
  });

  it('turns the demo off when surveys come from a file or from Redis, unless DEMO says otherwise', () => {
    expect(loadConfig({ SURVEYS_FILE: 'surveys.yaml' }).demo).toBe(false);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).demo).toBe(false);
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false);
    expect(loadConfig({ DEMO: 'true', REDIS_URL: 'redis://127.0.0.1:6379' }).demo).toBe(true);
    expect(loadConfig({ DEMO: '1', SURVEYS_FILE: 'surveys.yaml' }).demo).toBe(true);
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      REDIS_PREFIX: 'kundenkat:',
      ADMIN_TOKEN: 'a'.repeat(16),
      WEBHOOK_SECRETS: `${SECRET}, whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ=`,
      TOKEN_SECRET: 't'.repeat(32),
      PUBLIC_STATS: 'yes',
      ALLOWED_ORIGINS: 'https://intranet.example.com http://tv.local:8080',
      TEXT_LIMIT: '50',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      redisUrl: 'rediss://cache.internal:6380/2',
      redisPrefix: 'kundenkat:',
      adminToken: 'a'.repeat(16),
      adminTokenGenerated: false,
      webhookSecrets: [SECRET, 'whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ='],
      tokenSecret: 't'.repeat(32),
      publicStats: true,
      allowedOrigins: ['https://intranet.example.com', 'http://tv.local:8080'],
      textLimit: 50,
      logLevel: 'warn',
      demo: false,
    });
  });

  it('takes a Redis Cluster as REDIS_URL=redis-cluster://… or as REDIS_CLUSTER_NODES, not both', () => {
    const url = 'redis-cluster://user:p%40ss@10.0.0.1:7000,10.0.0.2:7000,redis-3.internal:7000';
    expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    expect(parseClusterUrl(url)).toEqual({
      rootNodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000', 'redis://redis-3.internal:7000'],
      username: 'user',
      password: 'p@ss',
    });
    const fromNodes = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7000' });
    expect(fromNodes.redisUrl).toBe('redis-cluster://10.0.0.1:7000,10.0.0.2:7000');
    expect(fromNodes.demo).toBe(false);
    expect(parseClusterUrl('rediss-cluster://10.0.0.1:7000').rootNodes).toEqual(['rediss://10.0.0.1:7000']);
    expect(() => loadConfig({ REDIS_URL: 'redis-cluster://10.0.0.1' })).toThrow(/REDIS_URL: a redis-cluster:\/\/ URL lists its seed nodes/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '10.0.0.1:7000' })).toThrow(/not both/);
  });

  it('refuses a webhook secret whose key decodes to fewer than 24 bytes', () => {
    // "old-secret": 10 bytes of key.
    const error = configError({ WEBHOOK_SECRETS: `${SECRET} whsec_b2xkLXNlY3JldA==` });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^WEBHOOK_SECRETS \(item 2\): .*at least 24 bytes/);
    // The test secret is exactly 24 bytes: the shortest allowed.
    expect(Buffer.from(SECRET.slice(6), 'base64')).toHaveLength(24);
    expect(loadConfig({ WEBHOOK_SECRETS: SECRET }).webhookSecrets).toEqual([SECRET]);
  });

  it('names every wrong variable in one ConfigError', () => {
    const error = configError({
      PORT: 'eighty',
      REDIS_URL: 'http://cache.internal:6379',
      WEBHOOK_SECRETS: `${SECRET},not-a-secret`,
      ALLOWED_ORIGINS: 'https://intranet.example.com,https://intranet.example.com/news',
      TOKEN_SECRET: 'too-short',
    });
    const named = error.problems.map((problem) => problem.split(':')[0]);
    expect(named.sort()).toEqual(['ALLOWED_ORIGINS (item 2)', 'PORT', 'REDIS_URL', 'TOKEN_SECRET', 'WEBHOOK_SECRETS (item 2)']);
    expect(error.problems.find((p) => p.startsWith('REDIS_URL'))).toContain('redis://');
    expect(error.problems.find((p) => p.startsWith('TOKEN_SECRET'))).toContain('32');
    expect(error.problems.find((p) => p.startsWith('ALLOWED_ORIGINS'))).toContain('no path');
    expect(error.problems.find((p) => p.startsWith('WEBHOOK_SECRETS'))).toContain('whsec_');
    // The message a deployment log shows lists them all too.
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['ADMIN_TOKEN', 'short'],
    ['PUBLIC_STATS', 'maybe'],
    ['DEMO', 'on'],
    ['REDIS_PREFIX', 'has space'],
    ['TEXT_LIMIT', '0'],
    ['LOG_LEVEL', 'verbose'],
    ['ALLOWED_ORIGINS', 'https://intranet.example.com/'],
  ])('refuses %s=%s by name', (name, value) => {
    expect(configError({ [name]: value }).problems).toEqual([expect.stringMatching(new RegExp(`^${name}\\b`))]);
  });
});

describe('loadSurveysFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'survey-live-surveys-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a JSON list of surveys, filling in defaults', async () => {
    const path = file(
      'surveys.json',
      JSON.stringify([
        { id: 'kundenkat-2026', name: 'Kundenkät 2026', target: 0.6, areas: [{ id: 'norr', name: 'Norr', distributed: 120 }] },
        { id: 'pulse', name: 'Puls', target: 0.3 },
      ]),
    );
    const surveys = await loadSurveysFile(path);
    expect(surveys.map((s) => s.id)).toEqual(['kundenkat-2026', 'pulse']);
    expect(surveys[0]?.areas).toEqual([{ id: 'norr', name: 'Norr', distributed: 120 }]);
    expect(surveys[1]).toMatchObject({ areas: [], textQuestions: [], indexes: [] });
  });

  it('reads YAML with a surveys key', async () => {
    const path = file(
      'surveys.yaml',
      [
        'surveys:',
        '  - id: kundenkat-2026',
        '    name: Kundenkät 2026',
        '    target: 0.6',
        '    areas:',
        '      - { id: norr, name: Norra området, distributed: 100 }',
        '      - { id: soder, name: Södra området, distributed: 50 }',
        '    textQuestions: [comment]',
        '    indexes:',
        '      - { id: safety, name: Trygghet, questions: [q1, q2], scale: [1, 5] }',
        '',
      ].join('\n'),
    );
    const [survey, ...rest] = await loadSurveysFile(path);
    expect(rest).toEqual([]);
    expect(survey).toMatchObject({ id: 'kundenkat-2026', name: 'Kundenkät 2026', target: 0.6, textQuestions: ['comment'] });
    expect(survey?.areas.map((a) => a.distributed)).toEqual([100, 50]);
    expect(survey?.indexes[0]?.scale).toEqual([1, 5]);
  });

  it('names the path of each bad field in an invalid file', async () => {
    const yaml = file(
      'bad.yml',
      [
        'surveys:',
        '  - id: ok',
        '    name: OK',
        '    target: 0.5',
        '  - id: bad',
        '    name: Bad',
        '    target: 1.5',
        '    areas:',
        '      - { id: norr, name: Norr, distributed: -3 }',
        '',
      ].join('\n'),
    );
    const error = await loadSurveysFile(yaml).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain('SURVEYS_FILE');
    expect(error?.message).toContain(yaml);
    expect(error?.message).toContain('surveys.1.target');
    expect(error?.message).toContain('surveys.1.areas.0.distributed');

    const json = file('bad.json', JSON.stringify([{ id: 'has space', name: 'X', target: 0.5 }]));
    await expect(loadSurveysFile(json)).rejects.toThrow(/0\.id: must start with a letter or digit/);
  });

  it('says when the file is missing or not JSON', async () => {
    await expect(loadSurveysFile(join(dir, 'missing.json'))).rejects.toThrow(/SURVEYS_FILE: cannot read .*missing\.json/);
    await expect(loadSurveysFile(file('broken.json', '[{'))).rejects.toThrow(/is not valid JSON/);
  });
});

describe('TRUST_PROXY', () => {
  it('believes no proxy by default, and takes a hop count or named ranges, IPs and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8 fd00::/8 192.168.1.7' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7']);
  });

  it.each(['true', 'everyone', '10.0.0.0/33', '10.0.0/8', '::1/129', '1.2.3.4/8/1'])('refuses %s, naming the variable', (value) => {
    expect(configError({ TRUST_PROXY: value }).problems).toEqual([expect.stringMatching(/^TRUST_PROXY: .*not a hop count/)]);
  });
});

describe('TIMEZONE', () => {
  it('counts days in Europe/Stockholm by default, and takes any IANA zone Intl knows', () => {
    expect(loadConfig({}).timeZone).toBe('Europe/Stockholm');
    expect(loadConfig({ TIMEZONE: 'Europe/Helsinki' }).timeZone).toBe('Europe/Helsinki');
    expect(loadConfig({ TIMEZONE: 'UTC' }).timeZone).toBe('UTC');
  });

  it.each(['Europe/Stokholm', 'CEST+2', 'Mars/Olympus'])('refuses %s at start, naming the variable', (value) => {
    expect(configError({ TIMEZONE: value }).problems).toEqual([expect.stringMatching(/^TIMEZONE: must be an IANA time zone/)]);
  });
});
