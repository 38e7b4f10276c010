/**
 * This campaign against the earlier one its survey names in `compareTo` (the snapshot's
 * `comparison`). Split in two so snapshots stay cheap: `earlierCampaign` reads the earlier
 * survey's whole life once (its daily series; it is usually closed, so it rarely changes) and
 * `compareWith` answers for this moment from that, in time proportional to the areas.
 *
 * `day` is the whole days since this survey's opensAt (elapsed / 24 h, rounded down); `sameDay`
 * is the earlier survey through the same day since its own opensAt, counted in calendar days in
 * TIMEZONE (its day 0 is the calendar day it opened), so imported days line up with counted ones.
 */
import { UNASSIGNED_AREA_ID } from '../../shared/constants.js';
import type { Comparison, DailyPoint, DailySeries, Survey } from '../../shared/schemas.js';
import { addDays, handOutsAt, localDate, startOfLocalDay } from './daily.js';
import type { DistributionRecord } from './response-store.js';

const DAY_MS = 86_400_000;

/** What a comparison needs of the earlier survey, built once and reused until it changes. */
export interface EarlierCampaign {
  survey: Survey;
  series: DailySeries;
  distribution: readonly DistributionRecord[];
  /** Its day 0: the calendar day of its opensAt, or its first day when it has none. */
  opened: string | undefined;
  final: Comparison['final'];
  /** Area id -> its final response rate. */
  finalRates: ReadonlyMap<string, number | null>;
}

const rate = (responses: number, distributed: number) => (distributed > 0 ? responses / distributed : null);

/**
 * `responses` and `byArea`: the earlier survey's counts as its snapshot shows them (everything
 * counted, imported days included); the final rates divide by its hand-out figures as they are.
 */
export function earlierCampaign(
  survey: Survey,
  series: DailySeries,
  distribution: readonly DistributionRecord[],
  counts: { responses: number; byArea: ReadonlyMap<string, number> },
): EarlierCampaign {
  const distributed = survey.areas.reduce((sum, area) => sum + area.distributed, 0);
  const finalRates = new Map(survey.areas.map((area) => [area.id, rate(counts.byArea.get(area.id) ?? 0, area.distributed)]));
  return {
    survey,
    series,
    distribution,
    opened: survey.opensAt ? localDate(Date.parse(survey.opensAt), series.timezone) : series.days[0]?.date,
    final: { responses: counts.responses, responseRate: rate(counts.responses, distributed) },
    finalRates,
  };
}

/**
 * This survey (opened at `startedAt`: its opensAt, or its first response when it has none)
 * against the earlier campaign at `now`. Areas are matched by id; an area the earlier survey
 * did not have is left out.
 */
export function compareWith(current: Pick<Survey, 'areas'>, startedAt: number | undefined, earlier: EarlierCampaign, now: number): Comparison {
  const day = startedAt === undefined ? 0 : Math.max(0, Math.floor((now - startedAt) / DAY_MS));
  const { series } = earlier;
  const point = earlier.opened ? pointThrough(series.days, addDays(earlier.opened, day)) : undefined;
  const dayEnd = point ? startOfLocalDay(addDays(point.date, 1), series.timezone) : 0;
  const inForce = point ? handOutsAt(earlier.distribution, earlier.survey, dayEnd) : new Map<string, number>();
  const earlierAreas = new Set(earlier.survey.areas.map((area) => area.id));
  return {
    surveyId: earlier.survey.id,
    name: earlier.survey.name,
    day,
    sameDay: { responses: point?.cumulative ?? 0, responseRate: point ? point.cumulativeRate : null },
    final: earlier.final,
    areas: current.areas
      .filter((area) => area.id !== UNASSIGNED_AREA_ID && earlierAreas.has(area.id))
      .map((area) => ({
        id: area.id,
        sameDayRate: point ? rate(point.areas[area.id]?.cumulative ?? 0, inForce.get(area.id) ?? 0) : null,
        finalRate: earlier.finalRates.get(area.id) ?? null,
      })),
  };
}

/** The series' day for `date`: past its end, its last day (the campaign was over); before its start, none. */
function pointThrough(days: readonly DailyPoint[], date: string): DailyPoint | undefined {
  const first = days[0];
  if (!first || date < first.date) return undefined;
  let found: DailyPoint | undefined;
  // Days are consecutive: the index is the distance, but a binary search needs no such trust.
  let low = 0;
  let high = days.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = days[middle] as DailyPoint;
    if (candidate.date <= date) {
      found = candidate;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
