/**
 * Survey definitions name platform surveys in `sources`; these helpers read that mapping.
 * The survey definitions stay the one source of truth: nothing here keeps a copy.
 */
import { SOURCE_PLATFORMS, type SourcePlatform, type Survey } from '../../../shared/schemas.js';
import type { ResponseStore } from '../../store/response-store.js';
import type { SourceMatch } from './platform.js';

/** The survey and source that name a platform id, when one does. */
export async function findSource(store: ResponseStore, platform: SourcePlatform, externalId: string): Promise<SourceMatch | undefined> {
  const survey = await store.findSurveyBySource(platform, externalId);
  const source = survey?.sources.find((s) => s.platform === platform && s.externalId === externalId);
  return survey && source ? { survey, source } : undefined;
}

/**
 * The surveyId a platform response is kept under while no survey names its platform id, e.g.
 * "typeform.lT4Z3j". Replay finds the survey through it once one does.
 */
export const unmatchedSurveyId = (platform: SourcePlatform, externalId: string) => `${platform}.${externalId}`;

/** The survey a kept response belongs to now: by its surveyId, or through the source its platform id names. */
export async function surveyForKept(store: ResponseStore, surveyId: string): Promise<Survey | undefined> {
  const survey = await store.getSurvey(surveyId);
  if (survey) return survey;
  const dot = surveyId.indexOf('.');
  const platform = dot > 0 ? SOURCE_PLATFORMS.find((p) => p === surveyId.slice(0, dot)) : undefined;
  return platform ? store.findSurveyBySource(platform, surveyId.slice(dot + 1)) : undefined;
}

/** Why `survey` may not be stored: one of its platform ids belongs to another survey. Undefined when none does. */
export async function sourceClash(store: ResponseStore, survey: Survey): Promise<string | undefined> {
  if (survey.sources.length === 0) return undefined;
  for (const other of await store.listSurveys()) {
    if (other.id === survey.id) continue;
    for (const source of survey.sources) {
      if ((other.sources ?? []).some((s) => s.platform === source.platform && s.externalId === source.externalId)) {
        return `${source.platform} survey "${source.externalId}" already belongs to survey "${other.id}"; one platform id counts for one survey`;
      }
    }
  }
  return undefined;
}
