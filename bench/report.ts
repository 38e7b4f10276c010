/** Turns the results into the printed table; the same results go to bench/results/latest.json. */
import type { IngestResult } from './ingest.js';
import { type LiveResult, type LiveSettings, type LiveTargetName, type LiveTargetResult, perWidgetBytes, perWidgetHeapBytes } from './live.js';

export interface Check {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

/** The main run's results of one target, every round. */
export const runsOf = (live: LiveResult, target: LiveTargetName) => live.runs.filter((r) => r.target === target);
const mean = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
/** A figure of one target over its rounds: the mean of each round's value. */
export const meanOf = (live: LiveResult, target: LiveTargetName, pick: (r: LiveTargetResult) => number) => mean(runsOf(live, target).map(pick));
const ackP99 = (r: LiveTargetResult) => r.ack.p99;
const deliveryP99 = (r: LiveTargetResult) => r.delivery.webhookToClient.p99;

/** The app as deployed for many screens: the split when it was measured, else the one process. */
export const mainApp = (live: LiveResult): LiveTargetName => (runsOf(live, 'app-split').length > 0 ? 'app-split' : 'app-all');

export function checks(ingest: IngestResult | undefined, live: LiveResult | undefined): Check[] {
  const list: Check[] = [];
  if (ingest) {
    list.push({ name: 'ingest req/s, app / bare', value: ingest.ratio, target: '>= 0.8', met: ingest.ratio >= 0.8 });
    list.push({ name: 'ingest: store count = accepted', value: ingest.app.counted ?? 0, target: `= ${ingest.app.accepted}`, met: ingest.countsMatch });
  }
  if (live) {
    const app = mainApp(live);
    const ackRatio = meanOf(live, app, ackP99) / meanOf(live, 'bare', ackP99);
    const deliveryRatio = meanOf(live, app, deliveryP99) / meanOf(live, 'bare', deliveryP99);
    list.push({ name: `live: ack p99, ${app} / bare`, value: ackRatio, target: '<= 1.0', met: ackRatio <= 1.0 });
    list.push({ name: `live: webhook -> client p99, ${app} / bare`, value: deliveryRatio, target: '<= 1.2', met: deliveryRatio <= 1.2 });
    const widget = mean(runsOf(live, app).map(perWidgetBytes)) / 1024;
    list.push({ name: `live: server memory per idle widget (${app}), KB`, value: widget, target: '<= 12', met: widget <= 12 });
    const complete = live.runs.filter((r) => r.target !== 'bare');
    list.push({
      name: 'live: all accepted, counted, last update delivered',
      value: Math.min(...complete.map((r) => r.delivery.clientsWithFinalCount)),
      target: `= ${live.settings.clients} clients`,
      met: complete.every(
        (r) => r.accepted === r.webhooks && r.counted === r.webhooks && r.delivery.clientsWithFinalCount === r.clients && r.delivery.undelivered === 0,
      ),
    });
  }
  return list;
}

const num = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '-' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (a: number, b: number) => (b > 0 ? num(a / b, 2) : '-');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function ingestTable(r: IngestResult): string {
  const row = (name: string, t: IngestResult['bare'], vs?: string) => [
    name,
    num(t.requestsPerSecond, 0),
    num(t.latencyP50Ms, 0),
    num(t.latencyP99Ms, 0),
    num(t.requests, 0),
    num(t.failed, 0),
    `${num(t.cpuMicrosPerRequest.serverMicros, 0)} / ${num(t.cpuMicrosPerRequest.redisMicros, 0)} / ${num(t.cpuMicrosPerRequest.loadGeneratorMicros, 0)}`,
    vs ?? '',
  ];
  return [
    `(a) Ingest: ${r.settings.connections} connections, ~${r.bodyBytes}-byte signed bodies, each a new responseId`,
    table(
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failed', 'CPU us/req: server / Redis / autocannon', 'req/s vs bare (target >= 0.8)'],
      [
        row('bare node:http (reads body, answers 200)', r.bare),
        row('app: signed webhook -> Redis', r.app, `${num(r.ratio, 2)} ${r.ratio >= 0.8 ? 'ok' : 'MISSED'}`),
        row('app on the in-memory store (no Redis)', r.appInMemory, `(${num(r.appInMemory.requestsPerSecond / r.bare.requestsPerSecond, 2)})`),
      ],
    ),
    "CPU us/req is CPU time per answered request in each process (Redis is shared: it includes anyone else's commands).",
    `Correctness: the stores counted ${num(r.app.counted, 0)} (Redis) and ${num(r.appInMemory.counted, 0)} (memory) responses for ${num(r.app.accepted, 0)} and ${num(r.appInMemory.accepted, 0)} accepted answers (${r.countsMatch ? 'equal' : 'NOT EQUAL'})${r.app.firstFailure ? `; first failure: ${r.app.firstFailure}` : ''}.`,
  ].join('\n');
}

const TARGET_LABEL: Record<LiveTargetName, string> = {
  bare: 'bare socket.io',
  'app-split': 'app, ROLE split',
  'app-all': 'app, one process',
};

export function liveTable(r: LiveResult): string {
  const { settings } = r;
  const targets = settings.targets.filter((t, i) => settings.targets.indexOf(t) === i);
  const app = mainApp(r);
  const m = (target: LiveTargetName, pick: (x: LiveTargetResult) => number, digits = 1) => num(meanOf(r, target, pick), digits);
  const vsBare = (target: LiveTargetName, pick: (x: LiveTargetResult) => number) =>
    target === 'bare' ? '' : ratio(meanOf(r, target, pick), meanOf(r, 'bare', pick));
  const rounds = (target: LiveTargetName, pick: (x: LiveTargetResult) => number) =>
    runsOf(r, target)
      .map((x) => num(pick(x), 0))
      .join(' / ');
  const sum = (target: LiveTargetName, pick: (x: LiveTargetResult) => number) => runsOf(r, target).reduce((n, x) => n + pick(x), 0);
  const metrics: [string, (x: LiveTargetResult) => number, string?][] = [
    ['ack p50 ms', (x) => x.ack.p50],
    ['ack p99 ms', ackP99, 'app / bare <= 1.0'],
    ['ack max ms', (x) => x.ack.max],
    ['webhook -> client p50 ms', (x) => x.delivery.webhookToClient.p50],
    ['webhook -> client p99 ms', deliveryP99, 'app / bare <= 1.2'],
    ['webhook -> first client p99 ms', (x) => x.delivery.webhookToFirstClient.p99],
    ['broadcast spread p50 ms', (x) => x.delivery.broadcastSpread.p50],
    ['survey:stats per client', (x) => x.delivery.messagesPerClient],
    // A sender falling behind means the whole machine stalled: that round's tail is the machine's.
    ['webhooks sent > 5 ms late (machine stalls)', (x) => x.sentLate],
    ['server CPU % of a core', (x) => x.cpuPercent.server],
    ['clients process CPU % of a core', (x) => x.cpuPercent.clients],
    ['server KB per idle widget (RSS)', (x) => perWidgetBytes(x) / 1024, '<= 12'],
    ['server KB per idle widget (V8 heap)', (x) => perWidgetHeapBytes(x) / 1024],
  ];
  const header = ['metric (mean of rounds)', ...targets.flatMap((t) => (t === 'bare' ? [TARGET_LABEL[t]] : [TARGET_LABEL[t], 'vs bare'])), 'target'];
  const rows = metrics.map(([name, pick, goal]) => [
    name,
    ...targets.flatMap((t) => (t === 'bare' ? [m(t, pick)] : [m(t, pick), vsBare(t, pick)])),
    goal ?? '',
  ]);
  rows.push([
    'accepted / counted / clients with final count',
    ...targets.flatMap((t) => {
      const cell = `${sum(t, (x) => x.accepted)} / ${sum(t, (x) => x.counted)} / ${sum(t, (x) => x.delivery.clientsWithFinalCount)}`;
      return t === 'bare' ? [cell] : [cell, ''];
    }),
    `= ${sum(app, (x) => x.webhooks)} / = / ${sum(app, (x) => x.clients)}`,
  ]);
  rows.push([
    'undelivered pairs, disconnects',
    ...targets.flatMap((t) => {
      const cell = `${sum(t, (x) => x.delivery.undelivered)}, ${sum(t, (x) => x.delivery.disconnected)}`;
      return t === 'bare' ? [cell] : [cell, ''];
    }),
    '0, 0',
  ]);
  const perRound = targets.map(
    (t) => `${TARGET_LABEL[t]}: ack p99 ${rounds(t, ackP99)} ms, delivery p99 ${rounds(t, deliveryP99)} ms, sent late ${rounds(t, (x) => x.sentLate)}`,
  );
  return [
    `(b) Live: ${settings.clients} socket.io clients (other process), ${settings.ratePerSecond} webhooks/s open loop for ${settings.seconds} s, STATS_INTERVAL_MS ${settings.statsIntervalMs}, ${settings.rounds} alternating round(s)`,
    table(header, rows),
    `Each round: ${perRound.join('; ')}.`,
    'app, ROLE split: createApp as ROLE=ingest (webhooks) and ROLE=live (sockets), two processes on RedisStore and the Socket.IO Redis adapter. app, one process: both in one (ROLE=all). bare socket.io: counts in memory, same coalescing and snapshot, one plain broadcast per snapshot.',
    `webhook -> client: from a webhook's scheduled send to the first survey:stats on a client whose count includes it, over all (webhook, client) pairs; it holds the coalescing wait (up to ${settings.statsIntervalMs} ms by design) and the fan-out, which here includes ${settings.clients} clients decoding in one process. KB per idle widget: RSS of the socket-holding process after full GCs with ${settings.clients} subscribed widgets minus with a quarter of them, over the difference in widgets.`,
    ...r.runs.filter((x) => x.firstFailure).map((x) => `First failure (${x.target}): ${x.firstFailure}`),
  ].join('\n');
}

/** One row of the scale table. */
export interface ScalePoint {
  target: LiveTargetName;
  clients: number;
  /** Server CPU per survey:stats delivered to a client: the socket-holding process's CPU over messages delivered. */
  microsPerMessage: number;
  /** Server CPU per webhook: the webhook-taking process's CPU over webhooks (the same process unless split). */
  microsPerWebhook: number;
  kbPerWidget: number;
  kbHeapPerWidget: number;
  /** Widgets one core could keep updated at the run's message rate per widget. */
  widgetsPerCore: number;
  /** Webhooks per second one core could take (ingest process only when split; with the fan-out otherwise). */
  webhooksPerCore: number;
}

export function scalePoints(r: LiveResult): ScalePoint[] {
  const all = [...r.runs.filter((x) => x.target !== 'app-all' && x.clients > 0), ...r.scale];
  const keys = [...new Set(all.map((x) => `${x.target}@${x.clients}`))];
  return keys
    .map((key) => {
      const group = all.filter((x) => `${x.target}@${x.clients}` === key);
      const first = group[0] as LiveTargetResult;
      const messages = group.reduce((n, x) => n + x.delivery.messages, 0);
      const webhooks = group.reduce((n, x) => n + x.webhooks, 0);
      const fanout = group.reduce((n, x) => n + x.serverCpuMicros.fanout, 0);
      const ingest = group.reduce((n, x) => n + x.serverCpuMicros.ingest, 0);
      const seconds = group.reduce((n, x) => n + x.seconds, 0);
      const microsPerMessage = fanout / messages;
      const messagesPerWidgetSecond = messages / first.clients / seconds;
      return {
        target: first.target,
        clients: first.clients,
        microsPerMessage,
        microsPerWebhook: ingest / webhooks,
        kbPerWidget: mean(group.map(perWidgetBytes)) / 1024,
        kbHeapPerWidget: mean(group.map(perWidgetHeapBytes)) / 1024,
        widgetsPerCore: 1e6 / (microsPerMessage * messagesPerWidgetSecond),
        webhooksPerCore: 1e6 / (ingest / webhooks),
      };
    })
    .sort((a, b) => a.clients - b.clients || a.target.localeCompare(b.target));
}

export function scaleTable(points: ScalePoint[], settings: LiveSettings): string {
  const rows = points.map((p) => {
    const bare = points.find((q) => q.target === 'bare' && q.clients === p.clients);
    const vs = (pick: (q: ScalePoint) => number) => (p.target === 'bare' || !bare ? '' : ` (${ratio(pick(p), pick(bare))})`);
    return [
      `${TARGET_LABEL[p.target]}, ${p.clients} clients`,
      `${num(p.microsPerMessage, 1)}${vs((q) => q.microsPerMessage)}`,
      `${num(p.microsPerWebhook, 0)}${vs((q) => q.microsPerWebhook)}`,
      `${num(p.kbPerWidget, 1)}${vs((q) => q.kbPerWidget)}`,
      `${num(p.kbHeapPerWidget, 1)}${vs((q) => q.kbHeapPerWidget)}`,
      num(p.widgetsPerCore, 0),
      num(p.webhooksPerCore, 0),
    ];
  });
  return [
    `(c) Scale: server CPU per delivered message and per webhook, ${settings.ratePerSecond} webhooks/s, STATS_INTERVAL_MS ${settings.statsIntervalMs} (app / bare in brackets)`,
    table(
      [
        'server, clients',
        'CPU us / delivered message',
        'CPU us / webhook',
        'KB / idle widget (RSS)',
        'KB / idle widget (heap)',
        'widgets / core',
        'webhooks/s / core',
      ],
      rows,
    ),
    'us / delivered message: CPU of the process holding the sockets over survey:stats messages delivered (for bare and one process it includes the webhooks too).',
    'us / webhook: CPU of the process taking webhooks over webhooks (split: the ingest process alone; bare: the whole process). Redis CPU is not included.',
    `widgets / core: 1 s of a core over (us per message x messages per widget per second in the run, about ${num(1000 / settings.statsIntervalMs, 0)}); webhooks/s / core: 1 s over us per webhook. Both are what the figures imply for one core, not a measured ceiling.`,
  ].join('\n');
}
