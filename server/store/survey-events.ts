/**
 * Reminder rounds (door-knocking days, phone rounds, reminder letters …) of a survey: made and
 * checked here, for the admin route and the demo alike, kept by the store (addEvent, listEvents,
 * deleteEvent), shown in snapshots as markers and answered by GET …/events with their effect:
 * the responses in the 48 hours before the round and in the 48 hours after.
 */
import { randomUUID } from 'node:crypto';
import { HOUR_MS } from '../../shared/constants.js';
import type { SurveyEvent, SurveyEventInput, SurveyEventWithEffect } from '../../shared/schemas.js';
import type { ResponseStore, SurveyCounts } from './response-store.js';
import { MAX_EVENTS_PER_SURVEY } from './survey-export.js';

export { MAX_EVENTS_PER_SURVEY };

/** How far before and after a round its effect looks. */
export const EFFECT_WINDOW_MS = 48 * HOUR_MS;

export type AddEventOutcome =
  | { status: 'added'; event: SurveyEvent }
  | { status: 'not-found' }
  /** areaIds names areas the survey does not have (listed); nothing was kept. */
  | { status: 'unknown-areas'; areaIds: string[] }
  /** The survey has MAX_EVENTS_PER_SURVEY rounds already; nothing was kept. */
  | { status: 'full'; limit: number };

/**
 * Makes a reminder round of checked input (surveyEventInputSchema) and keeps it: the id is the
 * server's, `at` is stored in UTC, areaIds once each in the order given.
 */
export async function addSurveyEvent(
  store: Pick<ResponseStore, 'getSurvey' | 'addEvent'>,
  surveyId: string,
  input: SurveyEventInput,
  limit = MAX_EVENTS_PER_SURVEY,
): Promise<AddEventOutcome> {
  const survey = await store.getSurvey(surveyId);
  if (!survey) return { status: 'not-found' };
  const known = new Set(survey.areas.map((area) => area.id));
  const areaIds = input.areaIds && [...new Set(input.areaIds)];
  const unknown = (areaIds ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) return { status: 'unknown-areas', areaIds: unknown };
  const event: SurveyEvent = {
    id: randomUUID(),
    at: new Date(input.at).toISOString(),
    kind: input.kind,
    label: input.label,
    ...(areaIds ? { areaIds } : {}),
  };
  if (!(await store.addEvent(surveyId, event, limit))) return { status: 'full', limit };
  return { status: 'added', event };
}

/**
 * Responses in the EFFECT_WINDOW_MS before a round and the EFFECT_WINDOW_MS after it, from hour
 * buckets (start in epoch ms -> responses). Counted in whole hours: the hour the round starts in
 * counts as after, so a round at 10:30 compares 48 hours up to 10:00 with 48 hours from 10:00.
 */
export function eventEffect(at: string, byHour: Iterable<readonly [number, number]>): SurveyEventWithEffect['effect'] {
  const start = Math.floor(Date.parse(at) / HOUR_MS) * HOUR_MS;
  let before = 0;
  let after = 0;
  for (const [hour, responses] of byHour) {
    if (hour >= start - EFFECT_WINDOW_MS && hour < start) before += responses;
    else if (hour >= start && hour < start + EFFECT_WINDOW_MS) after += responses;
  }
  return { before, after };
}

/**
 * Hour buckets of some areas over the survey's whole life, or of every area when areaIds is
 * undefined: all-area hours from counts.byHour, per-area ones from the store's whole-life
 * hourlyByArea (area key -> hour buckets; the areas a round names are survey areas, so their
 * keys are their ids).
 */
export type HourlyCounts = (areaIds: readonly string[] | undefined) => Iterable<readonly [number, number]>;

export function hourlyFrom(counts: SurveyCounts, areaHours: ReadonlyMap<string, ReadonlyMap<number, number>>): HourlyCounts {
  return (areaIds) => {
    if (!areaIds) return counts.byHour;
    const summed = new Map<number, number>();
    for (const areaId of new Set(areaIds)) for (const [hour, n] of areaHours.get(areaId) ?? []) summed.set(hour, (summed.get(hour) ?? 0) + n);
    return summed;
  };
}

/**
 * The rounds with their effect, counted over the areas each names (all areas when it names
 * none). `scope` (an area-scoped token's areas) limits both: pass events already scoped
 * (area-scopes.ts scopeEvents), and a round that named no area is counted over the scope.
 */
export function withEffects(events: SurveyEvent[], hourly: HourlyCounts, scope?: readonly string[]): SurveyEventWithEffect[] {
  return events.map((event) => ({ ...event, effect: eventEffect(event.at, hourly(event.areaIds ?? scope)) }));
}
