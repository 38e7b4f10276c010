/** Turns the results into the printed table; the same results go to bench/results/latest.json. */
import type { IngestResult } from './ingest.js';
import type { LiveResult } from './live.js';

export interface Check {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

export function checks(ingest: IngestResult | undefined, live: LiveResult | undefined): Check[] {
  const list: Check[] = [];
  if (ingest) {
    list.push({ name: 'ingest req/s, app / bare', value: ingest.ratio, target: '>= 0.6', met: ingest.ratio >= 0.6 });
    list.push({ name: 'ingest: store count = accepted', value: ingest.app.counted ?? 0, target: `= ${ingest.app.accepted}`, met: ingest.countsMatch });
  }
  if (live) {
    const { app, settings } = live;
    const deliveryTarget = settings.statsIntervalMs + 50;
    list.push({ name: 'live: ack p99 ms', value: app.ack.p99, target: '< 50', met: app.ack.p99 < 50 });
    list.push({
      name: 'live: webhook -> client p99 ms',
      value: app.delivery.webhookToClient.p99,
      target: `< ${deliveryTarget}`,
      met: app.delivery.webhookToClient.p99 < deliveryTarget,
    });
    list.push({
      name: 'live: all accepted, counted, last update delivered',
      value: app.delivery.clientsWithFinalCount,
      target: `= ${app.clients} clients`,
      met:
        app.accepted === app.webhooks && app.counted === app.webhooks && app.delivery.clientsWithFinalCount === app.clients && app.delivery.undelivered === 0,
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
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failed', 'CPU us/req: server / Redis / autocannon', 'req/s vs bare (target >= 0.6)'],
      [
        row('bare node:http (reads body, answers 200)', r.bare),
        row('app: signed webhook -> Redis', r.app, `${num(r.ratio, 2)} ${r.ratio >= 0.6 ? 'ok' : 'MISSED'}`),
        row('app on the in-memory store (no Redis)', r.appInMemory, `(${num(r.appInMemory.requestsPerSecond / r.bare.requestsPerSecond, 2)})`),
      ],
    ),
    "CPU us/req is CPU time per answered request in each process (Redis is shared: it includes anyone else's commands).",
    `Correctness: the stores counted ${num(r.app.counted, 0)} (Redis) and ${num(r.appInMemory.counted, 0)} (memory) responses for ${num(r.app.accepted, 0)} and ${num(r.appInMemory.accepted, 0)} accepted answers (${r.countsMatch ? 'equal' : 'NOT EQUAL'})${r.app.firstFailure ? `; first failure: ${r.app.firstFailure}` : ''}.`,
  ].join('\n');
}

export function liveTable(r: LiveResult): string {
  const { app, bare, settings } = r;
  const deliveryTarget = settings.statsIntervalMs + 50;
  const mark = (met: boolean) => (met ? 'ok' : 'MISSED');
  const rows: string[][] = [
    ['ack p50 ms', num(app.ack.p50), num(bare.ack.p50), ratio(app.ack.p50, bare.ack.p50), ''],
    ['ack p99 ms', num(app.ack.p99), num(bare.ack.p99), ratio(app.ack.p99, bare.ack.p99), `< 50 ${mark(app.ack.p99 < 50)}`],
    ['ack max ms', num(app.ack.max), num(bare.ack.max), ratio(app.ack.max, bare.ack.max), ''],
    [
      'webhook -> client p50 ms',
      num(app.delivery.webhookToClient.p50),
      num(bare.delivery.webhookToClient.p50),
      ratio(app.delivery.webhookToClient.p50, bare.delivery.webhookToClient.p50),
      '',
    ],
    [
      'webhook -> client p99 ms',
      num(app.delivery.webhookToClient.p99),
      num(bare.delivery.webhookToClient.p99),
      ratio(app.delivery.webhookToClient.p99, bare.delivery.webhookToClient.p99),
      `< ${deliveryTarget} ${mark(app.delivery.webhookToClient.p99 < deliveryTarget)}`,
    ],
    ['webhook -> first client p99 ms', num(app.delivery.webhookToFirstClient.p99), num(bare.delivery.webhookToFirstClient.p99), '', ''],
    [
      'broadcast spread p50 / max ms',
      `${num(app.delivery.broadcastSpread.p50)} / ${num(app.delivery.broadcastSpread.max)}`,
      `${num(bare.delivery.broadcastSpread.p50)} / ${num(bare.delivery.broadcastSpread.max)}`,
      '',
      '',
    ],
    ['survey:stats per client', num(app.delivery.messagesPerClient), num(bare.delivery.messagesPerClient), '', ''],
    ['webhooks accepted / counted', `${app.accepted} / ${app.counted}`, `${bare.accepted} / ${bare.counted}`, '', `= ${app.webhooks}`],
    [
      'clients with the final count',
      `${app.delivery.clientsWithFinalCount} / ${app.clients}`,
      `${bare.delivery.clientsWithFinalCount} / ${bare.clients}`,
      '',
      '',
    ],
    [
      'undelivered pairs, disconnects',
      `${app.delivery.undelivered}, ${app.delivery.disconnected}`,
      `${bare.delivery.undelivered}, ${bare.delivery.disconnected}`,
      '',
      '0, 0',
    ],
    ['webhooks sent > 5 ms late', String(app.sentLate), String(bare.sentLate), '', ''],
    [
      'CPU % of a core: server / clients / sender',
      `${num(app.cpuPercent.server, 0)} / ${num(app.cpuPercent.clients, 0)} / ${num(app.cpuPercent.sender, 0)}`,
      `${num(bare.cpuPercent.server, 0)} / ${num(bare.cpuPercent.clients, 0)} / ${num(bare.cpuPercent.sender, 0)}`,
      '',
      '',
    ],
  ];
  return [
    `(b) Live: ${settings.clients} socket.io clients (other process), ${settings.ratePerSecond} webhooks/s open loop for ${settings.seconds} s, STATS_INTERVAL_MS ${settings.statsIntervalMs}`,
    table(['metric', 'app', 'bare socket.io', 'app / bare', 'target'], rows),
    'app: createApp + RedisStore + Socket.IO Redis adapter. bare socket.io: counts in memory, same coalescing and snapshot, one plain broadcast per snapshot.',
    `webhook -> client: from a webhook's scheduled send to the first survey:stats on a client whose count includes it, over all (webhook, client) pairs; it holds the coalescing wait (up to ${settings.statsIntervalMs} ms by design) and the fan-out, which here includes ${settings.clients} clients decoding in one process.`,
    ...(app.firstFailure ? [`First failure (app): ${app.firstFailure}`] : []),
    ...(bare.firstFailure ? [`First failure (bare): ${bare.firstFailure}`] : []),
  ].join('\n');
}
