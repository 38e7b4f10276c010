/**
 * Finds the Redis the tests run against, before any test starts: REDIS_URL when set, else the
 * shared server at 127.0.0.1:6379, else a private redis-server on a free port. No Redis at all
 * fails the run with a clear message: tests that need Redis are never skipped.
 */
import type { TestProject } from 'vitest/node';
import { type PrivateRedis, pingRedis, redisServerInstalled, startPrivateRedis } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let privateRedis: PrivateRedis | undefined;

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.REDIS_URL;
  if (url) {
    if (!(await pingRedis(url))) throw new Error(`REDIS_URL is set to ${url}, but no Redis answers there.`);
  } else if (await pingRedis('redis://127.0.0.1:6379')) {
    url = 'redis://127.0.0.1:6379';
  } else if (redisServerInstalled()) {
    privateRedis = await startPrivateRedis();
    url = privateRedis.url;
    console.log(`No Redis at 127.0.0.1:6379: started a private redis-server at ${url}`);
  } else {
    throw new Error(
      'No Redis for the tests: REDIS_URL is not set, nothing answers at 127.0.0.1:6379 and redis-server is not installed. ' +
        'Start Redis, set REDIS_URL, or install redis-server (apt-get install redis-server).',
    );
  }
  project.provide('redisUrl', url);
}

export async function teardown(): Promise<void> {
  await privateRedis?.stop();
}
