/**
 * What a chart shows, worked out from a snapshot without Chart.js: the chart element compares
 * models to skip updates that change nothing, and Chart.js stays in its lazily loaded chunk.
 */
import { HOUR_MS, MINUTE_MS } from '../../../shared/constants.js';
import type { SurveySnapshot, TimeBucket } from '../../../shared/schemas.js';
import type { Formatters } from '../../format.js';
import type { ChartMessages } from './chart-i18n.js';

export type ChartKind = 'timeline' | 'areas' | 'channels';

export interface ChartModel {
  kind: ChartKind;
  labels: string[];
  /** Responses per bucket (timeline) or response rate in % per area (areas). */
  bars: number[];
  /** Timeline: the survey's response rate in % at the end of each bucket; empty when nothing was handed out. */
  line: number[];
  /** Areas: whether each bar has reached the target. */
  reached: boolean[];
  /** Areas: the bar of the `area` attribute, -1 for none. */
  highlight: number;
  /** Target response rate in %. */
  target: number;
  /** Areas: each bar's own target in % (areas[].target); empty for other kinds. */
  targets: number[];
  /** The chart in words, for screen readers. */
  summary: string;
  /** The legend under the chart: each entry's words and how its swatch looks. */
  legend: { label: string; swatch: 'bar' | 'good' | 'line' | 'target' }[];
}

/** The timeline is stretched to the current hour when its last response is at most this old. */
const STRETCH_TO_NOW_MS = 48 * HOUR_MS;
/** A survey running for months would give thousands of bars: show its last five weeks. */
const MAX_HOURS = 24 * 35;

interface Bucket {
  t: number;
  responses: number;
}

/** The sparse hourly timeline with its quiet hours filled in, oldest first. */
export function fillHours(timeline: readonly TimeBucket[], now: number): Bucket[] {
  if (timeline.length === 0) return [];
  const counts = new Map(timeline.map((bucket) => [Date.parse(bucket.t), bucket.responses]));
  const first = Date.parse(timeline[0]!.t);
  const last = Date.parse(timeline[timeline.length - 1]!.t);
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const end = currentHour > last && currentHour - last <= STRETCH_TO_NOW_MS ? currentHour : last;
  const buckets: Bucket[] = [];
  // Only the hours the chart shows: a bucket from long ago must not make every render fill years.
  for (let t = Math.max(first, end - (MAX_HOURS - 1) * HOUR_MS); t <= end; t += HOUR_MS) buckets.push({ t, responses: counts.get(t) ?? 0 });
  return buckets;
}

/** The sparse minute buckets of the last hour, filled to the 60 minutes ending now, oldest first. */
export function fillMinutes(recent: readonly TimeBucket[], now: number): Bucket[] {
  const counts = new Map(recent.map((bucket) => [Date.parse(bucket.t), bucket.responses]));
  // A server clock a little ahead of this one must not push its newest minute off the chart.
  const end = Math.max(Math.floor(now / MINUTE_MS) * MINUTE_MS, ...counts.keys());
  const buckets: Bucket[] = [];
  for (let t = end - 59 * MINUTE_MS; t <= end; t += MINUTE_MS) buckets.push({ t, responses: counts.get(t) ?? 0 });
  return buckets;
}

export function timelineModel(
  snapshot: SurveySnapshot,
  range: string,
  t: ChartMessages,
  format: Formatters,
  clock: (at: number, withDay: boolean) => string,
  now = Date.now(),
): ChartModel {
  const lastHour = range === 'hour';
  const buckets: Bucket[] = lastHour ? fillMinutes(snapshot.recent, now) : fillHours(snapshot.timeline, now);
  // Responses before the first bucket shown count toward the rate line's start.
  let running = Math.max(0, snapshot.responses - buckets.reduce((sum, bucket) => sum + bucket.responses, 0));
  const line =
    snapshot.distributed > 0
      ? buckets.map((bucket) => {
          running += bucket.responses;
          return roundPercent(running / snapshot.distributed);
        })
      : [];
  const withDay = buckets.length > 0 && buckets[buckets.length - 1]!.t - buckets[0]!.t >= 24 * HOUR_MS;
  const target = { label: t.target(format.percent(snapshot.target)), swatch: 'target' as const };
  return {
    kind: 'timeline',
    labels: buckets.map((bucket) => clock(bucket.t, withDay)),
    bars: buckets.map((bucket) => bucket.responses),
    line,
    reached: [],
    highlight: -1,
    target: roundPercent(snapshot.target),
    targets: [],
    summary: `${lastHour ? t.responsesLastHour : t.responsesOverTime}: ${t.timelineSummary(
      format.number(snapshot.responses),
      format.percent(snapshot.responseRate),
      format.percent(snapshot.target),
    )}`,
    legend: [{ label: t.responsesPerBucket(lastHour), swatch: 'bar' }, ...(line.length ? [{ label: t.cumulativeRate, swatch: 'line' as const }] : []), target],
  };
}

/** Areas with something handed out, best response rate first: the leaderboard. */
export function areasModel(
  snapshot: SurveySnapshot,
  area: string,
  areaName: (area: { id: string; name: string }) => string,
  t: ChartMessages,
  format: Formatters,
): ChartModel {
  const areas = snapshot.areas
    .filter((candidate) => candidate.responseRate !== null)
    .sort((a, b) => b.responseRate! - a.responseRate! || a.name.localeCompare(b.name));
  const described = areas.map((candidate) => `${areaName(candidate)} ${format.percent(candidate.responseRate)}`).join(', ');
  return {
    kind: 'areas',
    labels: areas.map(areaName),
    bars: areas.map((candidate) => roundPercent(candidate.responseRate!)),
    line: [],
    reached: areas.map((candidate) => candidate.responseRate! >= (candidate.target ?? snapshot.target)),
    highlight: areas.findIndex((candidate) => candidate.id === area),
    target: roundPercent(snapshot.target),
    targets: areas.map((candidate) => roundPercent(candidate.target ?? snapshot.target)),
    summary: `${t.ratePerArea}: ${t.areasSummary(described || t.noAreas, format.percent(snapshot.target))}`,
    legend: [
      { label: t.responseRate, swatch: 'bar' },
      { label: t.targetReached, swatch: 'good' },
      { label: t.target(format.percent(snapshot.target)), swatch: 'target' },
    ],
  };
}

/** Responses by channel, most first, for the survey or one area (`area`). */
export function channelsModel(snapshot: SurveySnapshot, area: string, t: ChartMessages, format: Formatters): ChartModel {
  const channels = area ? snapshot.areas.find((candidate) => candidate.id === area)?.channels : snapshot.channels;
  const entries = Object.entries(channels ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const labels = entries.map(([channel]) => t.channelName(channel));
  const described = entries.map(([, n], i) => `${labels[i]} ${format.number(n)}`).join(', ');
  return {
    kind: 'channels',
    labels,
    bars: entries.map(([, n]) => n),
    line: [],
    reached: [],
    highlight: -1,
    target: 0,
    targets: [],
    summary: `${t.byChannel}: ${described || t.noChannels}.`,
    legend: [{ label: t.responsesLabel, swatch: 'bar' }],
  };
}

const roundPercent = (rate: number) => Math.round(rate * 1000) / 10;
