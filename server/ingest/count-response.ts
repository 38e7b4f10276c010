/** Derives what a response adds to its survey's aggregates: area, buckets, index values, texts. */
import { randomUUID } from 'node:crypto';
import type { ResponseData, Survey } from '../../shared/schemas.js';
import { DEFAULT_CHANNELS, UNASSIGNED_AREA_ID } from '../../shared/schemas.js';
import type { CountedResponse, StoredText } from '../store/response-store.js';
import { HOUR_MS, MINUTE_MS } from '../store/snapshot.js';
import { InvalidInputError } from './errors.js';

/** Responses without a channel are counted under this one, so channel counts add up to the total. */
export const UNKNOWN_CHANNEL = 'unknown';
/** Channels the survey does not name: counted, but not by a name a sender or respondent made up. */
export const OTHER_CHANNEL = 'other';
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Older submission times (a sender's default date, year 1) would stretch every timeline over centuries. */
const MAX_PAST_MS = 366 * 24 * 3_600_000;

/** `indexStep`: MIN_GROUP_SIZE, how many responses make a new index value public (store/response-store.ts publishIndexStep). */
export function countResponse(survey: Survey, data: ResponseData, receivedAt: number, indexStep = 1): CountedResponse {
  // The timeline shows when tenants answered; a clock running ahead cannot push answers into the
  // future, and an implausibly old date (over a year before arrival) counts as arrival time.
  const submittedAt = data.submittedAt ? Date.parse(data.submittedAt) : Number.NaN;
  const plausible = submittedAt <= receivedAt + FUTURE_TOLERANCE_MS && submittedAt >= receivedAt - MAX_PAST_MS;
  const at = plausible ? Math.min(submittedAt, receivedAt) : receivedAt;
  // An area the survey does not define counts as unassigned now, not under its own name: the id
  // comes from the sender (often a hidden field a respondent can edit), so keeping it would let
  // anyone add areas to a survey's counters without bound.
  const areaKey = data.areaId !== undefined && definesArea(survey, data.areaId) ? data.areaId : UNASSIGNED_AREA_ID;
  const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;

  const indexValues = survey.indexes.flatMap((index) => {
    const [min, max] = index.scale;
    const values: number[] = [];
    data.answers.forEach((answer, i) => {
      if (!index.questions.includes(answer.questionId) || answer.value === undefined) return;
      if (answer.value < min || answer.value > max) {
        throw new InvalidInputError(`data.answers.${i}.value: ${answer.value} is outside the scale [${min}, ${max}] of index "${index.id}"`, [
          { path: `data.answers.${i}.value`, message: `must be within [${min}, ${max}] (index "${index.id}")` },
        ]);
      }
      values.push(answer.value);
    });
    if (values.length === 0) return [];
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    return [{ indexId: index.id, value: ((mean - min) / (max - min)) * 100 }];
  });

  const receivedIso = new Date(receivedAt).toISOString();
  const texts: StoredText[] = data.answers
    .filter((answer) => survey.textQuestions.includes(answer.questionId) && answer.text !== undefined && answer.text.trim() !== '')
    .map((answer) => ({
      // A random id: nothing in it leads back to the response or the respondent.
      id: randomUUID(),
      surveyId: survey.id,
      areaId: areaKey,
      questionId: answer.questionId,
      text: (answer.text ?? '').trim(),
      receivedAt: receivedIso,
      responseId: data.responseId,
    }));

  return {
    surveyId: survey.id,
    responseId: data.responseId,
    areaKey,
    channel: data.channel === undefined ? UNKNOWN_CHANNEL : (survey.channels ?? DEFAULT_CHANNELS).includes(data.channel) ? data.channel : OTHER_CHANNEL,
    hour: Math.floor(at / HOUR_MS) * HOUR_MS,
    minute: receivedAt - minute < 60 * MINUTE_MS ? minute : undefined,
    receivedAt,
    indexValues,
    indexStep,
    texts,
  };
}

/** The survey's area ids as a Set, made once per frozen (store-shared) survey definition. */
const areaIdsOf = new WeakMap<Survey, Set<string>>();
function definesArea(survey: Survey, areaId: string): boolean {
  let ids = areaIdsOf.get(survey);
  if (!ids) {
    ids = new Set(survey.areas.map((area) => area.id));
    // Only a frozen definition cannot change under the cached set.
    if (Object.isFrozen(survey.areas)) areaIdsOf.set(survey, ids);
  }
  return ids.has(areaId);
}

/**
 * The response without index values outside their index's scale. Platforms send what tenants
 * entered (a 0 on a 1–5 rating); refusing the whole signed response would lose it for good,
 * so their out-of-scale values are left out of the index instead. The native webhook refuses them.
 */
export function withoutOutOfScaleValues(survey: Survey, data: ResponseData): ResponseData {
  const outOfScale = (questionId: string, value: number) =>
    survey.indexes.some((index) => index.questions.includes(questionId) && (value < index.scale[0] || value > index.scale[1]));
  if (!data.answers.some((answer) => answer.value !== undefined && outOfScale(answer.questionId, answer.value))) return data;
  const dropValue = ({ value: _dropped, ...answer }: ResponseData['answers'][number]) => answer;
  return {
    ...data,
    answers: data.answers.map((answer) => (answer.value !== undefined && outOfScale(answer.questionId, answer.value) ? dropValue(answer) : answer)),
  };
}
