/**
 * The widgets of the live bench: N socket.io clients (one connection each, WebSocket transport,
 * a stats token) in their own process, subscribed to one survey. Each `survey:stats` is stamped
 * with wall-clock time on arrival; at the end the orchestrator sends the webhooks' scheduled send
 * times and this process works out, for every (webhook, client) pair, when the client first saw a
 * snapshot whose `responses` count includes that webhook.
 */
import { io, type Socket } from 'socket.io-client';
import { reply } from '../lib/children.js';
import { wallNow } from '../lib/clock.js';
import { ownCpuMicros } from '../lib/cpu.js';
import { LatencyHistogram, summarize } from '../lib/latency.js';
import type { ClientsCommand, ClientsReply, DeliveryAnalysis } from '../lib/protocol.js';

interface Widget {
  socket: Socket;
  /** `responses` of each snapshot received, and when (wall ms), in arrival order. */
  responses: number[];
  times: number[];
  disconnected: boolean;
}

/** Connections opened at once: a connect storm of 2,000 would time out handshakes, not measure anything. */
const WAVE = 100;
let widgets: Widget[] = [];

function connectOne(url: string, surveyId: string, token: string | undefined): Promise<Widget> {
  const socket = io(`${url}/live`, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000, auth: token ? { token } : {} });
  const widget: Widget = { socket, responses: [], times: [], disconnected: false };
  socket.on('survey:stats', (snapshot: { responses: number }) => {
    const at = wallNow();
    widget.responses.push(snapshot.responses);
    widget.times.push(at);
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (error) => reject(error));
    socket.once('connect', () => {
      socket.emit('survey:subscribe', { surveyId, ...(token ? { token } : {}) }, (ack: { ok: boolean; error?: { message: string } }) => {
        if (ack.ok) resolve(widget);
        else reject(new Error(`subscribe refused: ${ack.error?.message}`));
      });
    });
    socket.on('disconnect', () => {
      widget.disconnected = true;
    });
  });
}

async function connectAll(command: Extract<ClientsCommand, { type: 'connect' }>): Promise<void> {
  const started = wallNow();
  let failed = 0;
  let firstError: string | undefined;
  for (let i = 0; i < command.clients; i += WAVE) {
    const wave = Array.from({ length: Math.min(WAVE, command.clients - i) }, () => connectOne(command.url, command.surveyId, command.token));
    for (const outcome of await Promise.allSettled(wave)) {
      if (outcome.status === 'fulfilled') widgets.push(outcome.value);
      else {
        failed += 1;
        firstError ??= String(outcome.reason);
      }
    }
  }
  // The total so far: a second connect adds to the first.
  await reply<ClientsReply>({ type: 'connected', clients: widgets.length, failed, ms: wallNow() - started, ...(firstError ? { firstError } : {}) });
}

function analyse(sendTimes: Float64Array): DeliveryAnalysis {
  const n = sendTimes.length;
  const pairs = new LatencyHistogram();
  const first = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const broadcastWindow = new Map<number, { first: number; last: number }>();
  let undelivered = 0;
  let messages = 0;
  let clientsWithFinalCount = 0;
  for (const widget of widgets) {
    const { responses, times } = widget;
    messages += responses.length;
    if (responses.length > 0 && responses[responses.length - 1] === n) clientsWithFinalCount += 1;
    responses.forEach((count, i) => {
      const at = times[i] as number;
      const window = broadcastWindow.get(count);
      if (!window) broadcastWindow.set(count, { first: at, last: at });
      else {
        window.first = Math.min(window.first, at);
        window.last = Math.max(window.last, at);
      }
    });
    // Webhook k (1-based, in send order) is in every snapshot with responses >= k.
    let j = 0;
    for (let k = 1; k <= n; k++) {
      while (j < responses.length && (responses[j] as number) < k) j++;
      if (j === responses.length) {
        undelivered += n - k + 1;
        break;
      }
      const latency = (times[j] as number) - (sendTimes[k - 1] as number);
      pairs.record(latency);
      if (latency < (first[k - 1] as number)) first[k - 1] = latency;
    }
  }
  return {
    clients: widgets.length,
    messages,
    messagesPerClient: widgets.length > 0 ? messages / widgets.length : 0,
    webhookToClient: pairs.summary(),
    webhookToFirstClient: summarize(first.filter(Number.isFinite)),
    broadcastSpread: summarize([...broadcastWindow.values()].map((w) => w.last - w.first)),
    undelivered,
    clientsWithFinalCount,
    disconnected: widgets.filter((w) => w.disconnected).length,
  };
}

process.on('message', (command: ClientsCommand) => {
  if (command.type === 'connect') {
    connectAll(command).catch((error) => void reply<ClientsReply>({ type: 'failed', error: String(error) }));
  } else if (command.type === 'analyse') {
    void reply<ClientsReply>({ type: 'analysis', analysis: analyse(command.sendTimes) });
  } else if (command.type === 'cpu') {
    void reply<ClientsReply>({ type: 'cpu', cpuMicros: ownCpuMicros() });
  } else if (command.type === 'stop') {
    for (const widget of widgets) widget.socket.close();
    widgets = [];
    void reply<ClientsReply>({ type: 'stopped' }).then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
