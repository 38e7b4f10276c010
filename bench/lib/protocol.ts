/** IPC messages between the bench orchestrator (run.ts) and the processes it forks. */
import type { LatencySummary } from './latency.js';

/** Orchestrator -> server under test. */
export type TargetCommand = { type: 'count'; surveyId: string } | { type: 'memory' } | { type: 'stop' };

/** Server under test -> orchestrator. */
export type TargetReply =
  | { type: 'ready'; port: number; token?: string }
  /** `cpuMicros`: the process's CPU time so far (user + system), to work out CPU per request. */
  | { type: 'count'; surveyId: string; responses: number; cpuMicros: number }
  /** After two full garbage collections (targets run with --expose-gc): resident set and V8 heap, bytes. */
  | { type: 'memory'; rss: number; heapUsed: number }
  | { type: 'stopped'; deletedKeys: number }
  | { type: 'failed'; error: string };

/** Orchestrator -> clients process. */
export type ClientsCommand =
  | { type: 'connect'; url: string; surveyId: string; token?: string; clients: number }
  /** Scheduled send times (wall ms) of webhooks 1..n, in the order the survey counts them. */
  | { type: 'analyse'; sendTimes: Float64Array }
  | { type: 'cpu' }
  | { type: 'stop' };

/** Clients process -> orchestrator. */
export type ClientsReply =
  | { type: 'connected'; clients: number; failed: number; ms: number; firstError?: string }
  | { type: 'analysis'; analysis: DeliveryAnalysis }
  | { type: 'cpu'; cpuMicros: number }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

export interface DeliveryAnalysis {
  clients: number;
  /** `survey:stats` messages received over all clients. */
  messages: number;
  /** Messages per client, on average. */
  messagesPerClient: number;
  /** Webhook send -> first `survey:stats` on a client that includes it, over every (webhook, client) pair. */
  webhookToClient: LatencySummary;
  /** The same, for the first client to see each webhook: coalescing wait plus server work, without fan-out. */
  webhookToFirstClient: LatencySummary;
  /** Per broadcast, first to last client receiving it: the fan-out (server writes and client reads). */
  broadcastSpread: LatencySummary;
  /** (webhook, client) pairs never delivered. */
  undelivered: number;
  /** Clients whose last `survey:stats` shows every webhook: the last update was delivered. */
  clientsWithFinalCount: number;
  /** Clients disconnected during the run. */
  disconnected: number;
}

/** What a target answers to `memory`: RSS after full garbage collections, so idle sockets are what remains. */
export function measureMemory(): Extract<TargetReply, { type: 'memory' }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { type: 'memory', rss, heapUsed };
}

/** Anything a child sends: every message has a type. */
export interface Message {
  type: string;
}
