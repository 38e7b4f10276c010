/**
 * Area-scoped read tokens ("the Norrby office's screen"): such a token sees the survey's totals
 * (responses, rate, channels, timeline, survey-wide index values) and, of its areas, only its own;
 * other areas are left out, not summed, so a leaderboard shows only the office's areas. Free text
 * only when it names one of its areas: an answer whose area is hidden (a small group) is left
 * out, since a one-area screen showing it would name its area anyway.
 *
 * Live: each distinct area set of a survey has its own rooms; a snapshot is filtered once per
 * set and broadcast, not once per socket. The sets come from the token registry (unrevoked,
 * unexpired area-scoped tokens), which every instance shares, so the instance that broadcasts
 * knows the sets of sockets connected to the others.
 */
import type { SurveyEvent, SurveySnapshot, TextAnswer } from '../../shared/schemas.js';
import type { ResponseStore } from '../store/response-store.js';

/** One name per area set, whatever the order the token listed them in. Ids never contain ','. */
export const scopeKey = (areaIds: readonly string[]): string => [...new Set(areaIds)].sort().join(',');
/** Ids never contain '@' either, so these never collide with the unscoped rooms. */
export const scopedStatsRoom = (surveyId: string, areaIds: readonly string[]) => `stats:${surveyId}@${scopeKey(areaIds)}`;
export const scopedTextsRoom = (surveyId: string, areaIds: readonly string[]) => `texts:${surveyId}@${scopeKey(areaIds)}`;

/** The snapshot an area-scoped token sees; the unscoped one when areaIds is undefined. */
export function scopeSnapshot(snapshot: SurveySnapshot, areaIds: readonly string[] | undefined): SurveySnapshot {
  if (!areaIds) return snapshot;
  const allowed = new Set(areaIds);
  // Every per-area part of the snapshot, so no other area's id or figure reaches the screen.
  return {
    ...snapshot,
    areas: snapshot.areas.filter((area) => allowed.has(area.id)),
    callList: snapshot.callList.filter((id) => allowed.has(id)),
    events: scopeEvents(snapshot.events, areaIds),
    ...(snapshot.comparison ? { comparison: { ...snapshot.comparison, areas: snapshot.comparison.areas.filter((area) => allowed.has(area.id)) } } : {}),
  };
}

/**
 * The reminder rounds an area-scoped token sees: those that named none of the survey's areas
 * (they covered all of them) and those that named one of its own, with only its own areas named.
 */
export function scopeEvents<E extends SurveyEvent>(events: E[], areaIds: readonly string[] | undefined): E[] {
  if (!areaIds) return events;
  const allowed = new Set(areaIds);
  return events.flatMap((event) => {
    if (!event.areaIds) return [event];
    const own = event.areaIds.filter((id) => allowed.has(id));
    return own.length > 0 ? [{ ...event, areaIds: own }] : [];
  });
}

/** Whether an area-scoped token may see this (public view of an) answer. */
export function textInScope(text: Pick<TextAnswer, 'areaId'>, areaIds: readonly string[] | undefined): boolean {
  return !areaIds || (text.areaId !== undefined && areaIds.includes(text.areaId));
}

/** The distinct area sets of a survey's live area-scoped tokens; one registry read per call. */
export async function areaScopesOf(store: Pick<ResponseStore, 'listTokens'>, surveyId: string): Promise<string[][]> {
  const now = new Date().toISOString();
  const sets = new Map<string, string[]>();
  for (const token of await store.listTokens(surveyId)) {
    if (token.areaIds && !token.revokedAt && token.expiresAt > now) sets.set(scopeKey(token.areaIds), [...new Set(token.areaIds)].sort());
  }
  return [...sets.values()];
}

/** Runs `emit` for each area set of the survey's area-scoped tokens; texts keep their order (one registry read per call, answered in order). */
export function forEachAreaScope(
  store: Pick<ResponseStore, 'listTokens'>,
  surveyId: string,
  emit: (areaIds: string[]) => void,
  log: { warn: (obj: object, msg: string) => void },
): void {
  areaScopesOf(store, surveyId).then(
    (scopes) => scopes.forEach(emit),
    (error) => log.warn({ err: error, surveyId }, 'could not read area-scoped tokens; their feeds miss this change'),
  );
}
