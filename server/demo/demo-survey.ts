/** The survey a first run shows: a Swedish housing company's yearly tenant survey. */
import type { Survey } from '../../shared/schemas.js';

export const DEMO_SURVEY_ID = 'demo';

export const demoSurvey: Survey = {
  id: DEMO_SURVEY_ID,
  name: 'Hyresgästenkät 2026',
  target: 0.65,
  areas: [
    { id: 'centrum', name: 'Centrum', distributed: 420 },
    { id: 'norrby', name: 'Norrby', distributed: 310 },
    { id: 'sodermalm', name: 'Södermalm', distributed: 385 },
    { id: 'ekbacken', name: 'Ekbacken', distributed: 190 },
    { id: 'hagalund', name: 'Hagalund', distributed: 265 },
    { id: 'strandangen', name: 'Strandängen', distributed: 140 },
  ],
  textQuestions: ['comment'],
  indexes: [{ id: 'safety', name: 'Trygghetsindex', questions: ['safe-stairwell', 'safe-outdoors', 'safe-night'], scale: [1, 5] }],
  sources: [],
};
