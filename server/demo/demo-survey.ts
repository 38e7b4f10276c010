/** The survey a first run shows: a Swedish housing company's yearly tenant survey, with its reminder rounds. */
import type { Survey, SurveyEventInput } from '../../shared/schemas.js';
import type { ResponseStore } from '../store/response-store.js';
import { addSurveyEvent } from '../store/survey-events.js';

export const DEMO_SURVEY_ID = 'demo';
/** Last year's campaign (demo-history.ts), closed, that the demo survey compares with. */
export const DEMO_LAST_YEAR_ID = 'demo-2025';

const DAY_MS = 86_400_000;
/** A six-week campaign, 18 days in when the server starts: the pace has a history to read. */
export const DEMO_DAYS_OPEN = 18;
const DEMO_DAYS_LEFT = 24;
const startOfDay = (ms: number) => new Date(new Date(ms).setUTCHours(6, 0, 0, 0)).getTime();
const demoOpensAt = startOfDay(Date.now() - DEMO_DAYS_OPEN * DAY_MS);

export const demoSurvey: Survey = {
  id: DEMO_SURVEY_ID,
  name: 'Hyresgästenkät 2026',
  target: 0.65,
  opensAt: new Date(demoOpensAt).toISOString(),
  closesAt: new Date(startOfDay(Date.now() + DEMO_DAYS_LEFT * DAY_MS) + 12 * 3_600_000).toISOString(),
  // Areas with many elderly tenants get a higher target: paper answers come in well there.
  areas: [
    { id: 'centrum', name: 'Centrum', distributed: 420 },
    { id: 'norrby', name: 'Norrby', distributed: 310, target: 0.6 },
    { id: 'sodermalm', name: 'Södermalm', distributed: 385 },
    { id: 'ekbacken', name: 'Ekbacken', distributed: 190, target: 0.7 },
    { id: 'hagalund', name: 'Hagalund', distributed: 265, target: 0.6 },
    { id: 'strandangen', name: 'Strandängen', distributed: 140, target: 0.75 },
  ],
  textQuestions: ['comment'],
  indexes: [{ id: 'safety', name: 'Trygghetsindex', questions: ['safe-stairwell', 'safe-outdoors', 'safe-night'], scale: [1, 5] }],
  sources: [],
  compareTo: DEMO_LAST_YEAR_ID,
};

/** Campaign days of the demo's reminder rounds; the demo's history (demo-sender.ts) has a bump after each. */
export const PHONE_ROUND_DAY = 8;
export const DOOR_ROUND_DAY = 14;

/** The demo's two reminder rounds: a phone round to every area, then door-knocking where answers lag. */
export function demoEvents(opensAt = Date.parse(demoSurvey.opensAt as string)): SurveyEventInput[] {
  return [
    { at: new Date(opensAt + PHONE_ROUND_DAY * DAY_MS + 3 * 3_600_000).toISOString(), kind: 'phone', label: 'Telefonrunda' },
    {
      at: new Date(opensAt + DOOR_ROUND_DAY * DAY_MS + 4 * 3_600_000).toISOString(),
      kind: 'door',
      label: 'Dörrknackning Norrby och Hagalund',
      areaIds: ['norrby', 'hagalund'],
    },
  ];
}

/**
 * Puts the demo's reminder rounds in the store the way the admin route does (addSurveyEvent),
 * in place of any it had: a restarted demo on Redis moves its dates with the survey's.
 */
export async function addDemoEvents(store: ResponseStore): Promise<void> {
  for (const event of await store.listEvents(DEMO_SURVEY_ID)) await store.deleteEvent(DEMO_SURVEY_ID, event.id);
  for (const input of demoEvents()) {
    const outcome = await addSurveyEvent(store, DEMO_SURVEY_ID, input);
    if (outcome.status !== 'added') throw new Error(`demo reminder round not added: ${outcome.status}`);
  }
}
