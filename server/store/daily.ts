/**
 * The daily series (GET …/daily): a survey's whole life, one entry per calendar day in TIMEZONE,
 * built from the whole-life per-area hourly counter (ResponseStore.hourlyByArea), the imported
 * counts of an earlier campaign (importedByDay) and the hand-out history (distributionHistory).
 * Pure: the route, the comparison in snapshots and the export call it with what they read.
 *
 * Days are local calendar days: their boundaries are local midnights, so the last Sunday of
 * October in Europe/Stockholm has 25 hours and the last Sunday of March 23. An hour bucket
 * (which starts on a whole UTC hour) belongs to the local day its start falls in; in zones
 * with whole-hour offsets that is exact.
 */
import { UNASSIGNED_AREA_ID } from '../../shared/constants.js';
import type { DailyPoint, DailySeries, Survey } from '../../shared/schemas.js';
import type { DistributionRecord, ResponseStore, SurveyCounts } from './response-store.js';

/** A series longer than this (ten years of days) is cut at its start: a stray date must not make it unbounded. */
export const MAX_DAILY_DAYS = 3660;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** Whether Intl knows this IANA time zone (TIMEZONE is checked with it at start). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function wallClock(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar day (YYYY-MM-DD) in timeZone of an instant (epoch ms). */
export function localDate(ms: number, timeZone: string): string {
  const { year, month, day } = wallClock(ms, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Local time minus UTC (ms) at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const { year, month, day, hour, minute, second } = wallClock(ms, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant (epoch ms) a local calendar day begins: its local midnight. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [, y, m, d] = DATE_RE.exec(date) ?? [];
  const utcMidnight = Date.UTC(Number(y), Number(m) - 1, Number(d));
  // The offset at the guess may differ from the one at the answer across a change; a second
  // look settles it (midnight never falls in a change's gap in the zones this serves).
  const first = utcMidnight - offsetAt(utcMidnight, timeZone);
  return utcMidnight - offsetAt(first, timeZone);
}

/** The calendar day n days after date (n may be negative). */
export function addDays(date: string, n: number): string {
  const [, y, m, d] = DATE_RE.exec(date) ?? [];
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) + n)).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when to is earlier). */
export function daysBetween(from: string, to: string): number {
  const utc = (date: string) => {
    const [, y, m, d] = DATE_RE.exec(date) ?? [];
    return Date.UTC(Number(y), Number(m) - 1, Number(d));
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** A real calendar date written YYYY-MM-DD (not 2025-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = DATE_RE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/**
 * The hand-out figures in force at an instant: the last record made before it; before the
 * first record, the first (the figures before recording began are not known better); with no
 * records, the survey's own.
 */
export function handOutsAt(history: readonly DistributionRecord[], survey: Pick<Survey, 'areas'>, at: number): ReadonlyMap<string, number> {
  let inForce: DistributionRecord | undefined;
  for (const record of history) {
    if (Date.parse(record.at) < at) inForce = record;
    else break;
  }
  inForce ??= history[0];
  return inForce ? inForce.areas : new Map(survey.areas.map((area) => [area.id, area.distributed]));
}

const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

export interface DailyInput {
  survey: Pick<Survey, 'id' | 'areas' | 'opensAt' | 'closesAt'>;
  /** areaKey -> hour start (epoch ms) -> responses (ResponseStore.hourlyByArea). */
  hourly: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** date -> areaKey -> responses (ResponseStore.importedByDay). */
  imported?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Oldest first (ResponseStore.distributionHistory). */
  distribution?: readonly DistributionRecord[];
  /**
   * The survey's hour counts (SurveyCounts.byHour). Responses counted before the whole-life
   * counter existed (an upgraded store, an older backup) are only there: an hour holding more
   * than the areas' counters hold counts the difference in the day's totals, in no area.
   */
  byHour?: ReadonlyMap<number, number>;
  timeZone: string;
  now: number;
}

/**
 * One entry per calendar day from the first response or opensAt (whichever is earlier) to today,
 * or to closesAt once that has passed (later days with responses extend it); quiet days have 0.
 * Every area of the survey is in every day; responses for areas it does not define count as
 * unassigned (as in snapshots), which appears only when it has any.
 */
export function dailySeries({ survey, hourly, imported = new Map(), distribution = [], byHour = new Map(), timeZone, now }: DailyInput): DailySeries {
  const known = new Set(survey.areas.map((area) => area.id));
  const areaOf = (key: string) => (known.has(key) ? key : UNASSIGNED_AREA_ID);
  const byDate = new Map<string, Map<string, number>>();
  const add = (date: string, areaKey: string, n: number) => {
    if (n === 0) return;
    let areas = byDate.get(date);
    if (!areas) {
      areas = new Map();
      byDate.set(date, areas);
    }
    const area = areaOf(areaKey);
    areas.set(area, (areas.get(area) ?? 0) + n);
  };
  // Hours repeat across areas: each is turned into a date once.
  const dateOfHour = new Map<number, string>();
  const dateOf = (hour: number) => {
    let date = dateOfHour.get(hour);
    if (date === undefined) {
      date = localDate(hour, timeZone);
      dateOfHour.set(hour, date);
    }
    return date;
  };
  const perHour = new Map<number, number>();
  for (const [areaKey, hours] of hourly) {
    for (const [hour, n] of hours) {
      add(dateOf(hour), areaKey, n);
      perHour.set(hour, (perHour.get(hour) ?? 0) + n);
    }
  }
  for (const [date, areas] of imported) for (const [areaKey, n] of areas) add(date, areaKey, n);
  // Counted before the whole-life counter: in the totals, in no area.
  const unattributed = new Map<string, number>();
  for (const [hour, n] of byHour) {
    const excess = n - (perHour.get(hour) ?? 0);
    if (excess > 0 && Number.isFinite(hour)) unattributed.set(dateOf(hour), (unattributed.get(dateOf(hour)) ?? 0) + excess);
  }

  const dataDates = [...new Set([...byDate.keys(), ...unattributed.keys()])].sort();
  const opens = survey.opensAt ? localDate(Date.parse(survey.opensAt), timeZone) : undefined;
  const today = localDate(now, timeZone);
  const closesAt = survey.closesAt ? Date.parse(survey.closesAt) : undefined;
  let first = [opens, dataDates[0]].filter((date): date is string => date !== undefined).sort()[0];
  let last = closesAt !== undefined && closesAt < now ? localDate(closesAt, timeZone) : today;
  const lastData = dataDates[dataDates.length - 1];
  if (lastData !== undefined && lastData > last) last = lastData;
  const days: DailyPoint[] = [];
  if (first === undefined || first > last) return { surveyId: survey.id, timezone: timeZone, days };
  if (daysBetween(first, last) >= MAX_DAILY_DAYS) first = addDays(last, -(MAX_DAILY_DAYS - 1));

  const areaIds = [...survey.areas.map((area) => area.id)];
  if ([...byDate.values()].some((areas) => areas.has(UNASSIGNED_AREA_ID))) areaIds.push(UNASSIGNED_AREA_ID);
  const cumulativeByArea = new Map<string, number>(areaIds.map((id) => [id, 0]));
  // Days before the (possibly cut) first still count in the cumulative figures.
  for (const [date, areas] of byDate) {
    if (date < first) for (const [area, n] of areas) cumulativeByArea.set(area, (cumulativeByArea.get(area) ?? 0) + n);
  }
  let cumulative = sum(cumulativeByArea.values());
  for (const [date, n] of unattributed) if (date < first) cumulative += n;
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const counted = byDate.get(date);
    const responses = (counted ? sum(counted.values()) : 0) + (unattributed.get(date) ?? 0);
    cumulative += responses;
    const areas: DailyPoint['areas'] = Object.create(null);
    for (const id of areaIds) {
      const n = counted?.get(id) ?? 0;
      const total = (cumulativeByArea.get(id) ?? 0) + n;
      cumulativeByArea.set(id, total);
      areas[id] = { responses: n, cumulative: total };
    }
    // The figures in force at the day's end (its last change counts for the whole day).
    const distributed = sum(handOutsAt(distribution, survey, startOfLocalDay(addDays(date, 1), timeZone)).values());
    days.push({ date, responses, cumulative, cumulativeRate: distributed > 0 ? cumulative / distributed : null, areas });
  }
  return { surveyId: survey.id, timezone: timeZone, days };
}

/**
 * An earlier campaign's curve by whole calendar days since its own opensAt (its first day when
 * it has none): day 0 is the day it opened. Days before it opened are left out.
 */
export function previousCurve(series: DailySeries, opensAt: string | undefined, name: string): NonNullable<DailySeries['previous']> {
  const opened = opensAt ? localDate(Date.parse(opensAt), series.timezone) : series.days[0]?.date;
  return {
    surveyId: series.surveyId,
    name,
    days: opened
      ? series.days
          .map((point) => ({ day: daysBetween(opened, point.date), date: point.date, cumulativeRate: point.cumulativeRate }))
          .filter((point) => point.day >= 0)
      : [],
  };
}

/**
 * Reads what a survey's daily series is built from, and builds it: for the route, the export and
 * comparisons. `counts`: the survey's counts when the caller has them already.
 */
export async function readDailySeries(
  store: Pick<ResponseStore, 'hourlyByArea' | 'importedByDay' | 'distributionHistory' | 'getCounts'>,
  survey: DailyInput['survey'],
  { timeZone, now = Date.now(), counts }: { timeZone: string; now?: number; counts?: Pick<SurveyCounts, 'byHour'> },
): Promise<DailySeries> {
  const [hourly, imported, distribution, { byHour }] = await Promise.all([
    store.hourlyByArea(survey.id),
    store.importedByDay(survey.id),
    store.distributionHistory(survey.id),
    counts ?? store.getCounts(survey.id),
  ]);
  return dailySeries({ survey, hourly: hourly ?? new Map(), imported, distribution, byHour, timeZone, now });
}
