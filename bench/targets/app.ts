/**
 * The server under test: the real app (createApp, RedisStore on real Redis, the Socket.IO Redis
 * adapter as main.ts uses it) in its own process, with a bench-only key prefix removed at stop.
 *
 * Env: BENCH_PREFIX, BENCH_ROLE (ingest|live|all), BENCH_SURVEYS (comma-separated ids to define), BENCH_TOKEN_SURVEY (mint a
 * stats token for it), STATS_INTERVAL_MS (optional), REDIS_URL (optional).
 */
import { pino } from 'pino';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createRedisAdapter } from '../../server/live/redis-adapter.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import { RedisStore } from '../../server/store/redis-store.js';
import { surveySchema } from '../../shared/schemas.js';
import { reply } from '../lib/children.js';
import { measureMemory, type TargetCommand, type TargetReply } from '../lib/protocol.js';
import { benchRedisUrl, deleteKeys } from '../lib/redis-keys.js';
import { BENCH_SECRET, benchSurvey } from '../lib/webhooks.js';

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const url = benchRedisUrl();
const prefix = process.env.BENCH_PREFIX ?? '';
const config = loadConfig({
  WEBHOOK_SECRETS: BENCH_SECRET,
  TOKEN_SECRET: 'bench-token-secret-'.repeat(3),
  ADMIN_TOKEN: 'bench-admin-token-0123456789',
  LOG_LEVEL: 'silent',
  DEMO: 'false',
  HOST: '127.0.0.1',
  PORT: '0',
  REDIS_URL: url,
  REDIS_PREFIX: prefix,
  // BENCH_ROLE: one process of a split (ingest or live, docs/operations.md); default all.
  ...(process.env.BENCH_ROLE ? { ROLE: process.env.BENCH_ROLE } : {}),
  ...(process.env.STATS_INTERVAL_MS ? { STATS_INTERVAL_MS: process.env.STATS_INTERVAL_MS } : {}),
});

async function start() {
  // BENCH_STORE=memory: the same app on the embedded store, to see what Redis costs.
  const inMemory = process.env.BENCH_STORE === 'memory';
  const store = inMemory ? new MemoryStore({ textLimit: config.textLimit }) : await RedisStore.connect({ url, prefix, textLimit: config.textLimit });
  const adapter = inMemory ? undefined : await createRedisAdapter(url, prefix);
  for (const id of (process.env.BENCH_SURVEYS ?? '').split(',').filter(Boolean)) await store.putSurvey(surveySchema.parse(benchSurvey(id)));
  const app = createApp({ config, store, logger: pino({ level: 'silent' }), adapter: adapter?.adapter });
  const address = await app.listen(0, '127.0.0.1');
  const tokenSurvey = process.env.BENCH_TOKEN_SURVEY;
  const token = tokenSurvey ? (await app.tokens.mint(tokenSurvey, ['stats'], 3600)).token : undefined;

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await adapter?.close();
    await store.close();
    const deletedKeys = inMemory ? 0 : await deleteKeys(url, prefix);
    await reply<TargetReply>({ type: 'stopped', deletedKeys });
    process.exit(0);
  };

  process.on('message', (command: TargetCommand) => {
    if (command.type === 'count') {
      store.getCounts(command.surveyId).then(
        (counts) => void reply<TargetReply>({ type: 'count', surveyId: command.surveyId, responses: counts.responses, cpuMicros: cpuMicros() }),
        (error) => void reply<TargetReply>({ type: 'failed', error: String(error) }),
      );
    } else if (command.type === 'memory') void reply<TargetReply>(measureMemory());
    else if (command.type === 'stop') void stop();
  });
  // The orchestrator went away or was interrupted: remove the bench's keys anyway.
  process.on('disconnect', () => void stop());
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  void reply<TargetReply>({ type: 'ready', port: address.port, ...(token ? { token } : {}) });
}

start().catch(async (error) => {
  await reply<TargetReply>({ type: 'failed', error: String(error?.stack ?? error) });
  await deleteKeys(url, prefix).catch(() => 0);
  process.exit(1);
});
