/** Turns a survey definition and its raw counters into the snapshot widgets render. */

import { HOUR_MS, MINUTE_MS, UNASSIGNED_AREA_ID } from '../../shared/constants.js';
import type { AreaStats, IndexValue, Survey, SurveyEvent, SurveySnapshot, TimeBucket } from '../../shared/schemas.js';
import { compareWith, type EarlierCampaign } from './comparison.js';
import { callListOrder, pace, surveyState } from './pace.js';
import type { IndexSum, SurveyCounts } from './response-store.js';

const rate = (responses: number, distributed: number) => (distributed > 0 ? responses / distributed : null);

/**
 * The published value of index sums (publishIndexStep decides when it moves), rounded to whole
 * points: in steps of MIN_GROUP_SIZE responses, nothing in a snapshot moves with one answer.
 */
function indexValue(sums: Iterable<IndexSum>): IndexValue {
  let sum = 0;
  let n = 0;
  for (const s of sums) {
    sum += s.publishedSum;
    n += s.publishedN;
  }
  return { value: n > 0 ? Math.round(sum / n) : null, n };
}

/**
 * `minGroupSize` (MIN_GROUP_SIZE) protects small groups: an area with fewer responses keeps its
 * count but shows no index values. Index values themselves are published by the store in steps
 * of MIN_GROUP_SIZE answers, per area and for the survey (response-store.ts publishIndexStep),
 * so no two snapshots differ by one response's answer. `events` are the survey's reminder rounds
 * (store.listEvents, oldest first), carried as they are: markers on the widgets' timelines.
 */
export function buildSnapshot(
  survey: Survey,
  counts: SurveyCounts,
  now = Date.now(),
  minGroupSize = 1,
  events: SurveyEvent[] = [],
  /** The campaign survey.compareTo names, read once (comparison.ts earlierCampaign); no comparison without it. */
  earlier?: EarlierCampaign,
): SurveySnapshot {
  const knownAreas = new Set(survey.areas.map((area) => area.id));
  // Responses for an area the survey does not (or no longer) define count as unassigned.
  const areaKeyOf = (key: string) => (knownAreas.has(key) ? key : UNASSIGNED_AREA_ID);

  const responsesByArea = new Map<string, number>();
  for (const [key, n] of counts.byArea) {
    const area = areaKeyOf(key);
    responsesByArea.set(area, (responsesByArea.get(area) ?? 0) + n);
  }

  // Lifecycle, late responses, channels and pace per area (pace.ts).
  const perArea = <T, U>(counters: Map<string, T>, merge: (into: U | undefined, value: T) => U) => {
    const merged = new Map<string, U>();
    for (const [key, value] of counters) merged.set(areaKeyOf(key), merge(merged.get(areaKeyOf(key)), value));
    return merged;
  };
  const lateByArea = perArea(counts.lateByArea, (into: number | undefined, n) => (into ?? 0) + n);
  const channelsByArea = perArea(counts.byAreaChannel, (into: Map<string, number> | undefined, channels) => {
    const sum = new Map(into);
    for (const [channel, n] of channels) sum.set(channel, (sum.get(channel) ?? 0) + n);
    return sum;
  });
  const hoursByArea = perArea(counts.byAreaHour, (into: (readonly [number, number])[] | undefined, hours) => [...(into ?? []), ...hours]);
  const steering = (areaId: string, target: number, distributed: number, responses: number) => ({
    target,
    late: lateByArea.get(areaId) ?? 0,
    channels: Object.fromEntries(channelsByArea.get(areaId) ?? []),
    pace: pace({ target, distributed, responses, hours: hoursByArea.get(areaId) ?? [], opensAt: survey.opensAt, closesAt: survey.closesAt, now }),
  });

  const isSmall = (areaId: string) => (responsesByArea.get(areaId) ?? 0) < minGroupSize;
  const hidden = (n: number): IndexValue => ({ value: null, n });
  const areaIndexes = (areaId: string): Record<string, IndexValue> =>
    Object.fromEntries(
      survey.indexes.map((index) => {
        const perArea = counts.indexSums.get(index.id) ?? new Map<string, IndexSum>();
        return [index.id, indexValue([...perArea].filter(([key]) => areaKeyOf(key) === areaId).map(([, s]) => s))];
      }),
    );

  const areas: AreaStats[] = survey.areas.map((area) => {
    const responses = responsesByArea.get(area.id) ?? 0;
    return {
      id: area.id,
      name: area.name,
      distributed: area.distributed,
      responses,
      responseRate: rate(responses, area.distributed),
      indexes: areaIndexes(area.id),
      ...steering(area.id, area.target ?? survey.target, area.distributed, responses),
    };
  });
  const unassigned = responsesByArea.get(UNASSIGNED_AREA_ID) ?? 0;
  if (unassigned > 0) {
    areas.push({
      id: UNASSIGNED_AREA_ID,
      name: 'Unassigned',
      distributed: 0,
      responses: unassigned,
      responseRate: null,
      indexes: areaIndexes(UNASSIGNED_AREA_ID),
      ...steering(UNASSIGNED_AREA_ID, survey.target, 0, unassigned),
    });
  }

  const distributed = survey.areas.reduce((sum, area) => sum + area.distributed, 0);
  const indexes = Object.fromEntries(
    survey.indexes.map((index) => {
      const whole = counts.surveyIndexSums.get(index.id);
      return [index.id, indexValue(whole ? [whole] : [])];
    }),
  );
  for (const area of areas) {
    if (isSmall(area.id)) area.indexes = Object.fromEntries(Object.entries(area.indexes).map(([id, value]) => [id, hidden(value.n)]));
  }

  return {
    surveyId: survey.id,
    name: survey.name,
    target: survey.target,
    distributed,
    responses: counts.responses,
    responseRate: rate(counts.responses, distributed),
    areas,
    // Object.fromEntries defines own properties: a channel named like an Object method stays data.
    channels: Object.fromEntries(counts.byChannel),
    timeline: hourlyTimeline(counts.byHour),
    recent: lastHour(counts.byMinute, now),
    indexes,
    minGroupSize,
    updatedAt: new Date(counts.lastReceivedAt || now).toISOString(),
    state: surveyState(survey, now),
    ...(survey.opensAt ? { opensAt: survey.opensAt } : {}),
    ...(survey.closesAt ? { closesAt: survey.closesAt } : {}),
    late: counts.late,
    pace: pace({
      target: survey.target,
      distributed,
      responses: counts.responses,
      hours: counts.byHour,
      opensAt: survey.opensAt,
      closesAt: survey.closesAt,
      now,
    }),
    callList: callListOrder(areas.filter((area) => area.id !== UNASSIGNED_AREA_ID)),
    indexNames: Object.fromEntries(survey.indexes.map((index) => [index.id, index.name])),
    events: events.map(({ id, at, kind, label, areaIds }) => ({ id, at, kind, label, ...(areaIds ? { areaIds: [...areaIds] } : {}) })),
    ...(earlier && survey.compareTo === earlier.survey.id ? { comparison: compareWith(survey, startedAt(survey, counts), earlier, now) } : {}),
  };
}

/** When the campaign started, for its day count: opensAt, else its first counted hour. */
function startedAt(survey: Survey, counts: SurveyCounts): number | undefined {
  if (survey.opensAt) return Date.parse(survey.opensAt);
  let first: number | undefined;
  for (const hour of counts.byHour.keys()) if (first === undefined || hour < first) first = hour;
  return first;
}

/**
 * Hourly buckets that have responses, oldest first. Hours without responses are left out
 * (the chart fills them in): a snapshot goes to every widget several times a second, so it
 * must not grow with the length of the survey's quiet nights.
 */
function hourlyTimeline(byHour: Map<number, number>): TimeBucket[] {
  return [...byHour]
    .filter(([hour, responses]) => Number.isFinite(hour) && responses > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([hour, responses]) => ({ t: new Date(hour).toISOString(), responses }));
}

/**
 * Minute buckets of the last 60 minutes that have responses, oldest first. Quiet minutes are
 * left out, as quiet hours are: 60 buckets of ISO times were over half of every snapshot sent.
 */
function lastHour(byMinute: Map<number, number>, now: number): TimeBucket[] {
  const first = Math.floor(now / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS;
  return [...byMinute]
    .filter(([minute, responses]) => minute >= first && responses > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([minute, responses]) => ({ t: new Date(minute).toISOString(), responses }));
}

// Re-exported for the modules that took them from here before shared/constants.ts.
export { HOUR_MS, MINUTE_MS };
