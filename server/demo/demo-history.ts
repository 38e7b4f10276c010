/**
 * The demo's last year: the same tenant survey a year earlier (`demo-2025`, closed), its
 * responses by day and area imported the way an admin imports an earlier campaign (the CSV of
 * POST /api/v1/surveys/:id/history, read by the same function), so the demo survey, which
 * names it in compareTo, shows a comparison and last year's curve on first run.
 */

import type { HistoryImportResult } from '../../shared/admin.js';
import type { Survey } from '../../shared/schemas.js';
import { importHistoryCsv } from '../ingest/history-import.js';
import { localDate } from '../store/daily.js';
import { putSurveyWithHandOuts } from '../store/hand-outs.js';
import type { ResponseStore } from '../store/response-store.js';
import { addDemoEvents, DEMO_LAST_YEAR_ID, demoSurvey } from './demo-survey.js';

const DAY_MS = 86_400_000;
/** Last year's campaign ran six weeks, opening on the same weekday 52 weeks before this year's. */
const DAYS_OPEN = 42;
const opensAt = Date.parse(demoSurvey.opensAt!) - 364 * DAY_MS;

/** Last year's final response rate per area: lower than this year's targets, as the company hopes. */
const FINAL_RATE: Record<string, number> = { centrum: 0.36, norrby: 0.3, sodermalm: 0.37, ekbacken: 0.42, hagalund: 0.29, strandangen: 0.48 };
/** Last year's hand-out counts (a few flats fewer in some areas). */
const DISTRIBUTED: Record<string, number> = { centrum: 410, norrby: 300, sodermalm: 380, ekbacken: 195, hagalund: 260, strandangen: 135 };

export const demoLastYear: Survey = {
  id: DEMO_LAST_YEAR_ID,
  name: 'Hyresgästenkät 2025',
  target: 0.6,
  opensAt: new Date(opensAt).toISOString(),
  closesAt: new Date(opensAt + DAYS_OPEN * DAY_MS + 12 * 3_600_000).toISOString(),
  areas: demoSurvey.areas.map((area) => ({ id: area.id, name: area.name, distributed: DISTRIBUTED[area.id] ?? area.distributed })),
  textQuestions: ['comment'],
  indexes: demoSurvey.indexes.map((index) => ({ ...index, questions: [...index.questions], scale: [...index.scale] as [number, number] })),
  sources: [],
};

/** A day's share of the campaign: a first wave, a reminder letter (day 9), door knocking (day 16), quiet weekends. */
function dayWeight(day: number): number {
  const wave = 3 * Math.exp(-day / 3);
  const letter = day >= 9 ? 1.2 * Math.exp(-(day - 9) / 2) : 0;
  const doors = day >= 16 ? 0.5 * Math.exp(-(day - 16) / 4) : 0;
  const weekend = [0, 6].includes(new Date(opensAt + day * DAY_MS).getUTCDay()) ? 0.5 : 1;
  return (0.6 + wave + letter + doors) * weekend;
}

/**
 * Last year's campaign as the CSV an admin would upload: `date;areaId;responses`, one line per
 * day and area. Deterministic (no randomness): each area's running total follows the day curve
 * and ends at its final rate.
 */
export function demoHistoryCsv(timeZone: string): string {
  const weights = Array.from({ length: DAYS_OPEN + 1 }, (_, day) => dayWeight(day));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const lines = ['date;areaId;responses'];
  for (const area of demoLastYear.areas) {
    const final = Math.round(area.distributed * (FINAL_RATE[area.id] ?? 0.35));
    let share = 0;
    let counted = 0;
    weights.forEach((weight, day) => {
      share += weight / total;
      const upTo = Math.round(final * share);
      lines.push(`${localDate(opensAt + day * DAY_MS + 6 * 3_600_000, timeZone)};${area.id};${upTo - counted}`);
      counted = upTo;
    });
  }
  return `${lines.join('\n')}\n`;
}

/** (Re)defines last year's survey and imports its days through the history import (POST …/history's own function). */
export async function seedDemoHistory(
  store: Pick<ResponseStore, 'deleteSurvey' | 'putSurvey' | 'recordDistribution' | 'distributionHistory' | 'importHistory'>,
  timeZone: string,
): Promise<HistoryImportResult> {
  // Its dates move with the demo's (relative to today): a restart on another day starts it afresh.
  await store.deleteSurvey(demoLastYear.id);
  await putSurveyWithHandOuts(store, demoLastYear, undefined, opensAt);
  return importHistoryCsv(store, demoLastYear, demoHistoryCsv(timeZone), { timeZone });
}

/**
 * Everything the demo needs in the store before the server starts: last year's campaign first
 * (imported as an admin would, for the comparison), then the survey and its reminder rounds.
 */
export async function seedDemo(store: ResponseStore, timeZone: string): Promise<void> {
  await seedDemoHistory(store, timeZone);
  await putSurveyWithHandOuts(store, demoSurvey, await store.getSurvey(demoSurvey.id));
  await addDemoEvents(store);
}
