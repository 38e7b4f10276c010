/**
 * Small-group protection: in an area with only a few responses, an index value or a free-text
 * answer labelled with the area can point at one household. Below MIN_GROUP_SIZE responses,
 * counts stay visible, index values are hidden and texts lose their area.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';

export function protectSmallGroups(snapshot: SurveySnapshot, minGroupSize: number): SurveySnapshot {
  if (minGroupSize <= 1) return { ...snapshot, minGroupSize: 1 };
  const hide = (indexes: SurveySnapshot['indexes']) => Object.fromEntries(Object.entries(indexes).map(([id, index]) => [id, { value: null, n: index.n }]));
  return {
    ...snapshot,
    minGroupSize,
    indexes: snapshot.responses < minGroupSize ? hide(snapshot.indexes) : snapshot.indexes,
    areas: snapshot.areas.map((area) => (area.responses < minGroupSize ? { ...area, indexes: hide(area.indexes) } : area)),
  };
}

/** Areas whose free-text answers must not name them. */
export function smallAreas(snapshot: SurveySnapshot, minGroupSize: number): Set<string> {
  return new Set(snapshot.areas.filter((area) => area.responses < minGroupSize).map((area) => area.id));
}
