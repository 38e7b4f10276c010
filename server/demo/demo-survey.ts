/** The survey a first run shows: a Swedish housing company's yearly tenant survey. */
import type { Survey } from '../../shared/schemas.js';

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
