/**
 * Lifecycle, pace and forecast of a survey or an area: pure functions of the definition, the
 * counts and a clock, so they are tested with an injected `now`. The method, a straight line
 * through the last three days, and its limits are described in the README ("Pace and forecast").
 */
import type { Pace, Survey, SurveyState } from '../../shared/schemas.js';

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** How far back the recent pace looks. */
export const PACE_WINDOW_MS = 72 * HOUR_MS;

/** "scheduled" before opensAt, "closed" from closesAt on, "open" otherwise (and without dates). */
export function surveyState(survey: Pick<Survey, 'opensAt' | 'closesAt'>, now: number): SurveyState {
  if (survey.opensAt && now < Date.parse(survey.opensAt)) return 'scheduled';
  if (survey.closesAt && now >= Date.parse(survey.closesAt)) return 'closed';
  return 'open';
}

/** Whether a response received at this time is late: the survey had closed. */
export const isLate = (survey: Pick<Survey, 'closesAt'>, receivedAt: number): boolean =>
  survey.closesAt !== undefined && receivedAt >= Date.parse(survey.closesAt);

export interface PaceInput {
  target: number;
  distributed: number;
  responses: number;
  /** Responses per hour: [hour start (epoch ms), responses]; hours outside the window are ignored. */
  hours: Iterable<readonly [number, number]>;
  opensAt?: string | undefined;
  closesAt?: string | undefined;
  now: number;
}

/**
 * Responses per day over the last 72 hours, or since opensAt when the survey opened more
 * recently. The window starts at the top of its first hour, because counts are kept per hour.
 */
export function recentPerDay({ hours, opensAt, now }: Pick<PaceInput, 'hours' | 'opensAt' | 'now'>): number {
  const opened = opensAt === undefined ? Number.NaN : Date.parse(opensAt);
  const from = opened > now - PACE_WINDOW_MS && opened <= now ? opened : now - PACE_WINDOW_MS;
  const start = Math.floor(from / HOUR_MS) * HOUR_MS;
  const days = (now - start) / DAY_MS;
  if (days <= 0) return 0;
  let responses = 0;
  for (const [hour, n] of hours) if (hour >= start && hour <= now) responses += n;
  return responses / days;
}

export function pace(input: PaceInput): Pace {
  const { target, distributed, responses, closesAt, now } = input;
  // ceil(0.65 × 200) must be 130, not the 131 that 130.00000000000003 would give.
  const targetResponses = Math.max(0, Math.ceil(target * distributed - 1e-9));
  const needed = Math.max(0, targetResponses - responses);
  const closed = closesAt !== undefined && now >= Date.parse(closesAt);
  const daysLeft = closesAt === undefined ? null : Math.max(0, (Date.parse(closesAt) - now) / DAY_MS);
  const neededPerDay = daysLeft === null || closed ? null : needed === 0 ? 0 : needed / daysLeft;
  const perDay = recentPerDay(input);
  const forecastResponses = daysLeft === null || closed ? responses : responses + perDay * daysLeft;
  return {
    target,
    targetResponses,
    needed,
    daysLeft,
    neededPerDay,
    recentPerDay: perDay,
    forecastResponses,
    forecastRate: distributed > 0 ? Math.min(1, forecastResponses / distributed) : null,
    onTrack: forecastResponses >= targetResponses,
  };
}

/**
 * Area ids in call-list order: the largest forecast shortfall at closing (targetResponses −
 * forecastResponses) first; areas forecast to reach their target last, lowest rate first.
 */
export function callListOrder(areas: readonly { id: string; name: string; responseRate: number | null; pace: Pace }[]): string[] {
  const shortfall = (area: { pace: Pace }) => area.pace.targetResponses - area.pace.forecastResponses;
  const behind = areas.filter((area) => !area.pace.onTrack).sort((a, b) => shortfall(b) - shortfall(a) || a.name.localeCompare(b.name));
  const onTrack = areas
    .filter((area) => area.pace.onTrack)
    .sort((a, b) => (a.responseRate ?? Number.POSITIVE_INFINITY) - (b.responseRate ?? Number.POSITIVE_INFINITY) || a.name.localeCompare(b.name));
  return [...behind, ...onTrack].map((area) => area.id);
}
