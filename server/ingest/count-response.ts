/** Derives what a response adds to its survey's aggregates: area, buckets, index values, texts. */
import { randomUUID } from 'node:crypto';
import type { ResponseData, Survey } from '../../shared/schemas.js';
import { UNASSIGNED_AREA_ID } from '../../shared/schemas.js';
import { HttpProblem } from '../http/problem.js';
import type { CountedResponse, StoredText } from '../store/response-store.js';
import { HOUR_MS, MINUTE_MS } from '../store/snapshot.js';

/** Responses without a channel are counted under this one, so channel counts add up to the total. */
export const UNKNOWN_CHANNEL = 'unknown';
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function countResponse(survey: Survey, data: ResponseData, receivedAt: number): CountedResponse {
  // The timeline shows when tenants answered; a clock running ahead cannot push answers into the future.
  const submittedAt = data.submittedAt ? Date.parse(data.submittedAt) : Number.NaN;
  const at = Number.isFinite(submittedAt) && submittedAt <= receivedAt + FUTURE_TOLERANCE_MS ? Math.min(submittedAt, receivedAt) : receivedAt;
  const areaKey = data.areaId ?? UNASSIGNED_AREA_ID;
  const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;

  const indexValues = survey.indexes.flatMap((index) => {
    const [min, max] = index.scale;
    const values: number[] = [];
    data.answers.forEach((answer, i) => {
      if (!index.questions.includes(answer.questionId) || answer.value === undefined) return;
      if (answer.value < min || answer.value > max) {
        throw new HttpProblem(400, 'invalid-body', `data.answers.${i}.value: ${answer.value} is outside the scale [${min}, ${max}] of index "${index.id}"`, {
          errors: [{ path: `data.answers.${i}.value`, message: `must be within [${min}, ${max}] (index "${index.id}")` }],
        });
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
    channel: data.channel ?? UNKNOWN_CHANNEL,
    hour: Math.floor(at / HOUR_MS) * HOUR_MS,
    minute: receivedAt - minute < 60 * MINUTE_MS ? minute : undefined,
    receivedAt,
    indexValues,
    texts,
  };
}
