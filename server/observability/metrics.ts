/** Prometheus metrics, one registry per app so several apps (tests, instances) never share counters. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhooks: new Counter({
      name: 'survey_live_webhooks_total',
      help: 'Webhooks received, by outcome (accepted, duplicate, unmatched, or the problem type)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    ingestSeconds: new Histogram({
      name: 'survey_live_ingest_duration_seconds',
      help: 'Time from a webhook arriving to its answer',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    sockets: new Gauge({ name: 'survey_live_connected_sockets', help: 'Widgets connected to this instance', registers: [registry] }),
    unmatchedDropped: new Counter({
      name: 'survey_live_unmatched_dropped_total',
      help: 'Kept unmatched responses dropped, oldest first, to stay within UNMATCHED_LIMIT',
      registers: [registry],
    }),
    messagesPushed: new Counter({
      name: 'survey_live_messages_pushed_total',
      help: 'Live messages emitted, by event (one emit to a room counts once)',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
