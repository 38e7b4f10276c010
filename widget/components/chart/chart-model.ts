/**
 * What a chart shows, worked out from a snapshot without Chart.js: the chart element compares
 * models to skip updates that change nothing, and Chart.js stays in its lazily loaded chunk.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../shared/constants.js';
import type { DailyPoint, DailySeries, SurveyEvent, SurveySnapshot, TimeBucket } from '../../../shared/schemas.js';
import type { Formatters } from '../../format.js';
import type { ChartMessages } from './chart-i18n.js';

export type ChartKind = 'timeline' | 'areas' | 'channels';

export interface ChartModel {
  kind: ChartKind;
  labels: string[];
  /** Responses per bucket (timeline) or response rate in % per area (areas); null for days still to come. */
  bars: (number | null)[];
  /** Timeline: the survey's response rate in % at the end of each bucket; empty when nothing was handed out. */
  line: (number | null)[];
  /** Daily timeline: the earlier campaign's cumulative rate in %, aligned by day since opening; empty otherwise. */
  previous: (number | null)[];
  /** Words for the earlier campaign's line or ticks. */
  previousLabel: string;
  /** Timelines: reminder rounds as labelled vertical markers at a label's index, oldest first. */
  markers: { index: number; label: string }[];
  /** Areas: each bar's rate in % on the same day of the earlier campaign (comparison.areas); empty without one. */
  ticks: (number | null)[];
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
  legend: { label: string; swatch: 'bar' | 'good' | 'line' | 'target' | 'previous' | 'marker' | 'tick' }[];
}

/** What only the daily timeline needs: its day labels. */
export interface DayWords {
  /** "1 dec." / "1 Dec" of a YYYY-MM-DD date. */
  day: (date: string) => string;
}

/** Fields every kind but the timelines leaves empty. */
const NO_HISTORY = { previous: [], previousLabel: '', markers: [], ticks: [] } satisfies Partial<ChartModel>;

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
  const size = lastHour ? MINUTE_MS : HOUR_MS;
  const markers = markersAt(snapshot.events ?? [], (at) => buckets.findIndex((bucket) => at >= bucket.t && at < bucket.t + size));
  const labels = buckets.map((bucket) => clock(bucket.t, withDay));
  return {
    kind: 'timeline',
    labels,
    bars: buckets.map((bucket) => bucket.responses),
    line,
    ...NO_HISTORY,
    markers,
    reached: [],
    highlight: -1,
    target: roundPercent(snapshot.target),
    targets: [],
    summary: `${lastHour ? t.responsesLastHour : t.responsesOverTime}: ${t.timelineSummary(
      format.number(snapshot.responses),
      format.percent(snapshot.responseRate),
      format.percent(snapshot.target),
    )}${markers.length ? ` ${t.reminders}: ${markers.map((marker) => `${labels[marker.index]} ${marker.label}`).join('; ')}.` : ''}`,
    legend: [
      { label: t.responsesPerBucket(lastHour), swatch: 'bar' },
      ...(line.length ? [{ label: t.cumulativeRate, swatch: 'line' as const }] : []),
      ...(markers.length ? [{ label: t.reminderRound, swatch: 'marker' as const }] : []),
      target,
    ],
  };
}

/** Reminder rounds on the buckets shown: `indexOf` gives the bucket of a time (-1 when off the chart). */
function markersAt(events: readonly SurveyEvent[], indexOf: (at: number) => number): ChartModel['markers'] {
  return events.flatMap((event) => {
    const index = indexOf(Date.parse(event.at));
    return index < 0 ? [] : [{ index, label: event.label }];
  });
}

/** YYYY-MM-DD of an instant in a time zone (en-CA writes dates that way). */
export function dateIn(timezone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Whole calendar days from one YYYY-MM-DD date to another. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** A survey running for years is cut to its last this many days. */
const MAX_DAYS = 400;

/**
 * The survey's days with today's taken from the live snapshot (the series was fetched earlier;
 * the snapshot is newer): today's point is replaced, or added once the day has turned.
 */
export function withToday(days: readonly DailyPoint[], snapshot: SurveySnapshot, timezone: string, now: number): DailyPoint[] {
  const today = dateIn(timezone, now);
  const out = [...days];
  const last = out.at(-1);
  const rate = snapshot.distributed > 0 ? snapshot.responses / snapshot.distributed : null;
  if (last?.date === today) {
    const before = last.cumulative - last.responses;
    out[out.length - 1] = { ...last, responses: Math.max(0, snapshot.responses - before), cumulative: snapshot.responses, cumulativeRate: rate };
  } else if (last && last.date < today && snapshot.state === 'open') {
    out.push({ date: today, responses: Math.max(0, snapshot.responses - last.cumulative), cumulative: snapshot.responses, cumulativeRate: rate, areas: {} });
  }
  return out;
}

/**
 * `range="day"`: the whole survey day by day from GET …/daily: responses per day as bars, the
 * cumulative rate (with the hand-out count of its day) as a line, the earlier campaign's rate on
 * the same day since its own opening as a second line, and reminder rounds as markers. An open
 * survey's days run on to its closesAt, so last campaign's line shows what is still to come.
 */
export function dailyModel(series: DailySeries, snapshot: SurveySnapshot, t: ChartMessages, format: Formatters, words: DayWords, now = Date.now()): ChartModel {
  const { timezone } = series;
  const days = withToday(series.days, snapshot, timezone, now).slice(-MAX_DAYS);
  const first = days[0]?.date ?? dateIn(timezone, now);
  // Day 0 is the day the survey opened (the first response's when it has no opensAt).
  const opened = snapshot.opensAt ? dateIn(timezone, Date.parse(snapshot.opensAt)) : first;
  const offset = daysBetween(first, opened);
  const previous = new Map((series.previous?.days ?? []).map((point) => [point.day, point.cumulativeRate]));
  let count = days.length;
  if (snapshot.state !== 'closed') {
    const closes = snapshot.closesAt ? daysBetween(first, dateIn(timezone, Date.parse(snapshot.closesAt))) + 1 : 0;
    const lastPrevious = previous.size > 0 ? offset + Math.max(...previous.keys()) + 1 : 0;
    count = Math.min(MAX_DAYS, Math.max(count, snapshot.closesAt ? closes : lastPrevious));
  }
  const dates = Array.from({ length: count }, (_, i) => days[i]?.date ?? plusDays(first, i));
  const line = snapshot.distributed > 0 || days.some((day) => day.cumulativeRate !== null) ? dates.map((_, i) => percentOrNull(days[i]?.cumulativeRate)) : [];
  const previousLine = previous.size > 0 ? dates.map((_, i) => percentOrNull(previous.get(i - offset))) : [];
  const byDate = new Map(dates.map((date, i) => [date, i]));
  const markers = markersAt(snapshot.events ?? [], (at) => byDate.get(dateIn(timezone, at)) ?? -1);
  const name = series.previous?.name ?? snapshot.comparison?.name ?? '';
  const previousLabel = name ? t.sameDayThen(name) : '';
  const sameDay = snapshot.comparison?.sameDay.responseRate;
  const described = [
    `${t.responsesByDay}: ${t.timelineSummary(format.number(snapshot.responses), format.percent(snapshot.responseRate), format.percent(snapshot.target))}`,
    name && sameDay !== undefined && sameDay !== null ? t.previousSummary(name, format.percent(sameDay)) : '',
    markers.length
      ? `${t.reminders}: ${(snapshot.events ?? []).map((event) => `${words.day(dateIn(timezone, Date.parse(event.at)))} ${t.eventKind(event.kind)}, ${event.label}`).join('; ')}.`
      : '',
  ];
  return {
    kind: 'timeline',
    labels: dates.map(words.day),
    bars: dates.map((_, i) => days[i]?.responses ?? null),
    line,
    previous: previousLine,
    previousLabel,
    markers,
    ticks: [],
    reached: [],
    highlight: -1,
    target: roundPercent(snapshot.target),
    targets: [],
    summary: described.filter(Boolean).join(' '),
    legend: [
      { label: t.responsesPerDay, swatch: 'bar' },
      ...(line.length ? [{ label: t.cumulativeRate, swatch: 'line' as const }] : []),
      ...(previousLine.length ? [{ label: previousLabel, swatch: 'previous' as const }] : []),
      ...(markers.length ? [{ label: t.reminderRound, swatch: 'marker' as const }] : []),
      { label: t.target(format.percent(snapshot.target)), swatch: 'target' },
    ],
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
  const comparison = snapshot.comparison;
  const then = new Map(comparison?.areas.map((candidate) => [candidate.id, candidate.sameDayRate]));
  const ticks = comparison ? areas.map((candidate) => percentOrNull(then.get(candidate.id))) : [];
  const thenText = (id: string) => {
    const rate = then.get(id);
    return comparison && rate !== undefined && rate !== null ? ` (${t.sameDayThen(comparison.name)} ${format.percent(rate)})` : '';
  };
  const described = areas.map((candidate) => `${areaName(candidate)} ${format.percent(candidate.responseRate)}${thenText(candidate.id)}`).join(', ');
  const previousLabel = comparison ? t.sameDayThen(comparison.name) : '';
  return {
    kind: 'areas',
    labels: areas.map(areaName),
    bars: areas.map((candidate) => roundPercent(candidate.responseRate!)),
    line: [],
    ...NO_HISTORY,
    previousLabel,
    ticks,
    reached: areas.map((candidate) => candidate.responseRate! >= (candidate.target ?? snapshot.target)),
    highlight: areas.findIndex((candidate) => candidate.id === area),
    target: roundPercent(snapshot.target),
    targets: areas.map((candidate) => roundPercent(candidate.target ?? snapshot.target)),
    summary: `${t.ratePerArea}: ${t.areasSummary(described || t.noAreas, format.percent(snapshot.target))}`,
    legend: [
      { label: t.responseRate, swatch: 'bar' },
      { label: t.targetReached, swatch: 'good' },
      ...(ticks.some((tick) => tick !== null) ? [{ label: previousLabel, swatch: 'tick' as const }] : []),
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
    ...NO_HISTORY,
    reached: [],
    highlight: -1,
    target: 0,
    targets: [],
    summary: `${t.byChannel}: ${described || t.noChannels}.`,
    legend: [{ label: t.responsesLabel, swatch: 'bar' }],
  };
}

const roundPercent = (rate: number) => Math.round(rate * 1000) / 10;
const percentOrNull = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : roundPercent(rate));
