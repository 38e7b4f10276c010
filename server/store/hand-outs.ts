/**
 * Survey definitions are put through here wherever hand-out figures (`distributed`) can change
 * (PUT of a survey, the hand-out list import, SURVEYS_FILE at start): each change is recorded
 * with its time, so the daily series divides each day by the figures of that day.
 */
import type { Survey } from '../../shared/schemas.js';
import { distributionDiffers, distributionOf, type ResponseStore } from './response-store.js';

/**
 * Puts the survey and records its hand-out figures when they differ from the last recorded
 * ones (or none are recorded). `previous` is the definition it replaces, if any: a survey
 * defined before hand-out history existed gets its earlier figures recorded first, as in force
 * from the start, so the days before this change keep them.
 */
export async function putSurveyWithHandOuts(
  store: Pick<ResponseStore, 'putSurvey' | 'recordDistribution' | 'distributionHistory'>,
  survey: Survey,
  previous: Survey | undefined,
  now = Date.now(),
): Promise<void> {
  await store.putSurvey(survey);
  const history = await store.distributionHistory(survey.id);
  const figures = distributionOf(survey);
  const last = history[history.length - 1];
  if (last && !distributionDiffers(last.areas, figures)) return;
  if (!last && previous && distributionDiffers(distributionOf(previous), figures)) {
    await store.recordDistribution(survey.id, { at: new Date(0).toISOString(), areas: distributionOf(previous) });
  }
  await store.recordDistribution(survey.id, { at: new Date(now).toISOString(), areas: figures });
}
