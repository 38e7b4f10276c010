/**
 * `rotate=<seconds>`: the big counter goes through the whole survey and then each area in turn,
 * and the leaderboard outlines the area being shown.
 */

import { UNASSIGNED_AREA_ID } from '../../shared/constants.js';
import type { SurveySnapshot } from '../../shared/schemas.js';
import type { SurveyLiveChart, SurveyLiveCounter } from '../../widget/survey-live.js';

export function rotateAreas(counter: SurveyLiveCounter, leaderboard: SurveyLiveChart | null, seconds: number): void {
  let areas: string[] = [];
  let shown = '';
  counter.addEventListener('survey-live-update', (event) => {
    const { snapshot } = (event as CustomEvent<{ snapshot: SurveySnapshot }>).detail;
    areas = snapshot.areas.filter((area) => area.id !== UNASSIGNED_AREA_ID && area.distributed > 0).map((area) => area.id);
  });
  setInterval(() => {
    const cycle = ['', ...areas];
    shown = cycle[(cycle.indexOf(shown) + 1) % cycle.length] ?? '';
    counter.area = shown;
    if (leaderboard) leaderboard.area = shown;
  }, seconds * 1000);
}
