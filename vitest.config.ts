import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/redis-global-setup.ts'],
    // Deadlines for a hung test on a busy 2-core machine, not speed goals (those are npm run bench's).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start servers and browsers on 2 cores: keep parallelism modest.
    maxWorkers: 2,
    // Two projects so that scripts/test.sh runs them one after the other: the Chromium tests
    // never compete with the server tests for the cores. `npx vitest run` still runs both.
    projects: [
      {
        extends: true,
        test: { name: 'server', include: ['test/**/*.test.ts'], exclude: ['test/widget/**', 'test/e2e/**', '**/node_modules/**'] },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
