/** app.close() while a webhook is being stored: the sender still gets its answer, and the response is counted. */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisStore } from '../../../server/store/redis-store.js';
import type { CountedResponse, RecordOutcome, ResponseStore } from '../../../server/store/response-store.js';
import { deleteKeys, redisUrl, response, sampleSurvey, startTestApp, testPrefix } from '../../support/harness.js';

const STORE_DELAY_MS = 200;

/** A real RedisStore whose recordResponse waits first, so a webhook stays in flight long enough to close the app under it. */
function withSlowRecording(store: RedisStore, onRecordStarted: () => void): ResponseStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'recordResponse') {
        return async (counted: CountedResponse): Promise<RecordOutcome> => {
          onRecordStarted();
          await new Promise((resolve) => setTimeout(resolve, STORE_DELAY_MS));
          return target.recordResponse(counted);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const prefix = testPrefix();
let redis: RedisStore;
beforeAll(async () => {
  redis = await RedisStore.connect({ url: redisUrl(), prefix });
});
afterAll(async () => {
  await redis.close();
  await deleteKeys(redisUrl(), prefix);
});

it('finishes an in-flight webhook with 200 before close() resolves, and counts it', async () => {
  let recordStarted!: () => void;
  const started = new Promise<void>((resolve) => {
    recordStarted = resolve;
  });
  const t = await startTestApp({ store: withSlowRecording(redis, () => recordStarted()) });
  const survey = sampleSurvey();
  await t.putSurvey(survey);

  // Ordered on the server's side: the answer is fully written before close() resolves.
  const events: string[] = [];
  t.app.httpServer.on('request', (_req, res) => res.on('finish', () => events.push(`answered ${res.statusCode}`)));
  const webhook = t.sendResponse(response(survey.id)).then(
    async (res) => ({ status: res.status, body: await res.json() }),
    (error: unknown) => ({ error: String((error as Error).cause ?? error) }),
  );
  await started;
  const closedAt = performance.now();
  await t.app.close();
  events.push('closed');

  expect(await webhook).toEqual({ status: 200, body: { status: 'accepted' } });
  expect(events).toEqual(['answered 200', 'closed']);
  // close() really waited for the slow store rather than racing past it.
  expect(performance.now() - closedAt).toBeGreaterThanOrEqual(STORE_DELAY_MS * 0.8);
  expect((await redis.getCounts(survey.id)).responses).toBe(1);

  // Once closed, the app takes nothing more.
  await expect(t.sendResponse(response(survey.id))).rejects.toThrow();
  expect((await redis.getCounts(survey.id)).responses).toBe(1);
});

// The deadline is the test: before, close() waited out ws's 30 s close handshake; now a 1 s grace.
it('closes without waiting out a widget that never answers the websocket close frame', { timeout: 20_000 }, async () => {
  const t = await startTestApp({ store: redis });
  // A websocket to the live endpoint that then reads nothing: it cannot answer a close frame.
  const widget = connect(Number(new URL(t.url).port), '127.0.0.1');
  await new Promise<void>((resolve) => widget.once('connect', () => resolve()));
  widget.write(
    'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const answer = await new Promise<string>((resolve) => widget.once('data', (data: Buffer) => resolve(data.toString('latin1'))));
  expect(answer).toMatch(/^HTTP\/1\.1 101 /);
  widget.pause();
  const cut = new Promise<void>((resolve) => widget.once('close', () => resolve()));

  await t.app.close();
  // Reading again, it finds its connection cut.
  widget.resume();
  await cut;
});
