/**
 * Small-group protection: in an area with only a few responses, an index value or a free-text
 * answer labelled with the area can point at one household. Below MIN_GROUP_SIZE responses,
 * counts stay visible, index values are hidden (store/snapshot.ts) and texts lose their area.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';

/** Areas whose free-text answers must not name them. */
export function smallAreas(snapshot: SurveySnapshot, minGroupSize: number): Set<string> {
  return new Set(snapshot.areas.filter((area) => area.responses < minGroupSize).map((area) => area.id));
}
