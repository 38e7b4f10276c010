/**
 * Browser tests of the widget in real headless Chromium (`npm run test:widget`), against a real
 * survey-live server this config starts on the node side (test/widget/support/live-test-server.ts).
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { tsImport } from 'tsx/esm/api';

const { WidgetTestServer } = await tsImport('./test/widget/support/live-test-server.ts', import.meta.url);

/** Starts the survey-live server with the test runner and answers the tests' `survey-live:*` commands. */
function surveyLiveServer() {
  let server;
  return {
    name: 'survey-live-server',
    async serverStart({ config }) {
      // Test pages are served by web-test-runner: another origin than the survey-live server.
      const origins = ['localhost', '127.0.0.1'].map((host) => `http://${host}:${config.port}`);
      server = new WidgetTestServer(origins);
      await server.start();
    },
    async serverStop() {
      await server?.close();
    },
    executeCommand({ command, payload }) {
      return command.startsWith('survey-live:') ? server.command(command, payload) : undefined;
    },
  };
}

export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  // One page at a time: the reconnect test stops the shared server.
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
  testsFinishTimeout: 240_000,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), surveyLiveServer()],
};
