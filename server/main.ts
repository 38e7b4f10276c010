/** Reads config, picks the store, creates the app and listens. Nothing else lives here. */

import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { seedDemo } from './demo/demo-history.js';
import { startDemoSender } from './demo/demo-sender.js';
import { DEMO_SURVEY_ID } from './demo/demo-survey.js';
import { WEBHOOK_PATH } from './ingest/webhook-handler.js';
import { createRedisAdapter } from './live/redis-adapter.js';
import { putSurveyWithHandOuts } from './store/hand-outs.js';
import { MemoryStore } from './store/memory-store.js';
import { isClusterUrl } from './store/redis-connection.js';
import { RedisStore } from './store/redis-store.js';
import type { ResponseStore } from './store/response-store.js';
import { loadSurveysFile } from './surveys-file.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`survey-live: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel });

  let store: ResponseStore;
  let adapter: Awaited<ReturnType<typeof createRedisAdapter>> | undefined;
  if (config.redisUrl) {
    try {
      store = await RedisStore.connect({
        url: config.redisUrl,
        prefix: config.redisPrefix,
        textLimit: config.textLimit,
        textRetentionMs: config.textRetentionDays * 86_400_000,
        unmatchedLimit: config.unmatchedLimit,
        unmatchedTtlMs: config.unmatchedTtlDays * 86_400_000,
      });
      adapter = await createRedisAdapter(config.redisUrl, config.redisPrefix, (error) =>
        logger.warn({ err: error }, 'a Socket.IO adapter publish or (un)subscribe failed: Redis is away; widgets catch up when they subscribe again'),
      );
    } catch (error) {
      logger.fatal({ err: (error as Error).cause ?? error }, `Cannot reach Redis at REDIS_URL (${redactUrl(config.redisUrl)}); is it running?`);
      process.exit(1);
    }
    if (store instanceof RedisStore && store.renamedKeys > 0)
      logger.info({ renamedKeys: store.renamedKeys }, 'Renamed the Redis keys of the earlier layout to the hash-tagged one (docs/operations.md, Upgrades)');
    const cluster = isClusterUrl(config.redisUrl);
    logger.info(
      { store: 'redis', cluster, prefix: config.redisPrefix },
      `Using the Redis store${cluster ? ' on a Redis Cluster' : ''}; several instances may share it`,
    );
    if (!process.env.TOKEN_SECRET) logger.warn('TOKEN_SECRET is not set: read tokens change at every restart and differ between instances');
  } else {
    store = new MemoryStore({ textLimit: config.textLimit, unmatchedLimit: config.unmatchedLimit, unmatchedTtlMs: config.unmatchedTtlDays * 86_400_000 });
    logger.info({ store: 'memory' }, 'REDIS_URL is not set: using the embedded in-memory store (data is lost at exit; one instance only)');
  }

  if (config.surveysFile) {
    try {
      const surveys = await loadSurveysFile(config.surveysFile);
      for (const survey of surveys) await putSurveyWithHandOuts(store, survey, await store.getSurvey(survey.id));
      logger.info({ count: surveys.length, file: config.surveysFile }, 'Loaded surveys');
    } catch (error) {
      logger.fatal((error as Error).message);
      process.exit(1);
    }
  }

  // The demo sender signs its webhooks like any sender: with a configured secret or one of its own.
  if (config.demo && config.webhookSecrets.length === 0) {
    config = { ...config, webhookSecrets: [`whsec_${randomBytes(24).toString('base64')}`] };
  }
  if (config.demo) await seedDemo(store, config.timeZone);

  const app = createApp({ config, store, logger, adapter: adapter?.adapter });
  const address = await app.listen();
  const base = `http://${address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address}:${address.port}`;
  logger.info({ url: base, role: config.role }, `survey-live listening on ${base}${config.role === 'all' ? '' : ` (ROLE=${config.role})`}`);
  // Tokens never go into JSON log lines (they are collected and kept); a generated admin token is
  // shown once, in plain words on stdout, as the only way to learn it.
  if (config.adminTokenGenerated && !config.demo) {
    logger.warn('ADMIN_TOKEN is not set: this run generated one, printed once below');
    console.log(`\nadmin token for this run: ${config.adminToken}\n`);
  }
  if (config.webhookSecrets.length === 0) logger.warn('WEBHOOK_SECRETS is not set: every webhook will be refused with 401');

  let demo: ReturnType<typeof startDemoSender> | undefined;
  if (config.demo) {
    const port = address.port;
    demo = startDemoSender({
      url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
      secret: config.webhookSecrets[0] as string,
      onError: (error) => logger.debug({ err: error }, 'demo webhook failed'),
    });
    const { token } = await app.tokens.mint(DEMO_SURVEY_ID, ['stats', 'text'], 30 * 86_400);
    const urls = { demoPage: `${base}/demo`, board: `${base}/board/${DEMO_SURVEY_ID}?token=${token}`, admin: `${base}/admin` };
    logger.info({ demoPage: urls.demoPage, admin: urls.admin }, 'Demo running: a demo survey and a sender posting signed webhooks (DEMO=false turns it off)');
    // Also in plain words on stdout: the first thing a newcomer reads.
    console.log(
      `\nsurvey-live demo is running. Open:\n  demo page    ${urls.demoPage}\n  board (TV)   ${urls.board}\n  admin page   ${urls.admin}\n  admin token  ${config.adminTokenGenerated ? config.adminToken : '(your ADMIN_TOKEN)'}\n`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: finishing in-flight webhooks, closing sockets');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    demo?.stop();
    await app.close();
    await adapter?.close();
    await store.close();
    clearTimeout(force);
    logger.info('Stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

const redactUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

void main();
