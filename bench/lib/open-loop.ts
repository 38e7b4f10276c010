/**
 * An open-loop webhook sender: request i is due at start + i / rate, whether or not earlier ones
 * were answered (a closed loop would slow down with the server and hide its stalls). Latency is
 * measured from the due time, so a sender that falls behind cannot hide a stall either.
 */
import { Agent, request } from 'node:http';
import { wallNow } from './clock.js';
import { WEBHOOK_PATH } from './webhooks.js';

export interface OpenLoopOptions {
  port: number;
  ratePerSecond: number;
  durationMs: number;
  /** Body and headers of request i, built when it is due (signatures stay fresh). */
  build(i: number): { body: string; headers: Record<string, string> };
}

export interface OpenLoopResult {
  /** Due time of each request (wall ms). */
  scheduled: Float64Array;
  /** Due time -> answer, ms (NaN when it failed). */
  latency: Float64Array;
  /** HTTP status of each answer, 0 for a transport error. */
  status: Uint16Array;
  /** Answers that were 200 {"status":"accepted"}. */
  accepted: number;
  /** Requests sent more than 5 ms after their due time (the sender itself fell behind). */
  sentLate: number;
  firstFailure: string | undefined;
}

export function sendOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const interval = 1000 / options.ratePerSecond;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const result: OpenLoopResult = {
    scheduled: new Float64Array(total),
    latency: new Float64Array(total).fill(Number.NaN),
    status: new Uint16Array(total),
    accepted: 0,
    sentLate: 0,
    firstFailure: undefined,
  };
  const start = wallNow() + 20;
  for (let i = 0; i < total; i++) result.scheduled[i] = start + i * interval;

  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    const finish = () => {
      done += 1;
      if (done === total) {
        agent.destroy();
        resolve(result);
      }
    };
    const send = (i: number) => {
      const { body, headers } = options.build(i);
      const req = request(
        {
          host: '127.0.0.1',
          port: options.port,
          path: WEBHOOK_PATH,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let answer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            answer += chunk;
          });
          res.on('end', () => {
            result.latency[i] = wallNow() - (result.scheduled[i] as number);
            result.status[i] = res.statusCode ?? 0;
            if (res.statusCode === 200 && answer.includes('"accepted"')) result.accepted += 1;
            else result.firstFailure ??= `request ${i}: ${res.statusCode} ${answer.slice(0, 200)}`;
            finish();
          });
        },
      );
      req.on('error', (error) => {
        result.firstFailure ??= `request ${i}: ${error.message}`;
        finish();
      });
      req.end(body);
    };
    const pump = () => {
      const now = wallNow();
      while (next < total && (result.scheduled[next] as number) <= now) {
        if (now - (result.scheduled[next] as number) > 5) result.sentLate += 1;
        send(next++);
      }
      if (next < total) setTimeout(pump, Math.max(0, (result.scheduled[next] as number) - wallNow()));
    };
    setTimeout(pump, Math.max(0, start - wallNow()));
  });
}
