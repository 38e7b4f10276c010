/**
 * What platform webhooks need from a store, run against MemoryStore and a real RedisStore:
 * pending partial responses (merged, expiring, refused once counted), remembered deliveries,
 * and finding a survey by a platform id in its sources.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { type ResponseData, surveySchema } from '../../../shared/schemas.js';
import { sampleSurvey } from '../../support/harness.js';
import { STORE_SUBJECTS, type StoreSubject } from './store-subjects.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const byQuestion = (data: ResponseData | undefined) => [...(data?.answers ?? [])].sort((a, b) => a.questionId.localeCompare(b.questionId));

describe.each(STORE_SUBJECTS)('platform additions to the store contract: %s', (_name, makeStore) => {
  let subject: StoreSubject;
  let store: ResponseStore;
  beforeEach(async () => {
    subject = await makeStore();
    store = subject.store;
  });
  afterEach(() => subject.cleanup());

  it('merges the parts of a pending response: answers by question id, the later part winning', async () => {
    const responseId = randomUUID();
    const first: ResponseData = {
      responseId,
      surveyId: 'fb-survey',
      areaId: 'norr',
      submittedAt: '2026-03-01T10:00:00.000Z',
      answers: [
        { questionId: 'q1', value: 2 },
        { questionId: 'comment', text: 'Först' },
      ],
    };
    expect(await store.keepPending(first, 60_000)).toBe('kept');
    expect(
      await store.keepPending(
        {
          responseId,
          surveyId: 'fb-survey',
          channel: 'web',
          answers: [
            { questionId: 'q1', value: 5 },
            { questionId: 'q2', value: 3 },
          ],
        },
        60_000,
      ),
    ).toBe('kept');

    const merged = await store.getPending('fb-survey', responseId);
    expect(merged).toMatchObject({ responseId, surveyId: 'fb-survey', areaId: 'norr', channel: 'web', submittedAt: '2026-03-01T10:00:00.000Z' });
    expect(byQuestion(merged)).toEqual([
      { questionId: 'comment', text: 'Först' },
      { questionId: 'q1', value: 5 },
      { questionId: 'q2', value: 3 },
    ]);
    // Other responses and surveys are not touched.
    expect(await store.getPending('fb-survey', randomUUID())).toBeUndefined();
    expect(await store.getPending('other-survey', responseId)).toBeUndefined();

    await store.removePending('fb-survey', responseId);
    expect(await store.getPending('fb-survey', responseId)).toBeUndefined();
  });

  it('keeps a pending response with no answers, and forgets it after its time to live', async () => {
    const responseId = randomUUID();
    expect(await store.keepPending({ responseId, surveyId: 'fb-survey', answers: [] }, 150)).toBe('kept');
    expect(await store.getPending('fb-survey', responseId)).toEqual({ responseId, surveyId: 'fb-survey', answers: [] });
    await sleep(300);
    expect(await store.getPending('fb-survey', responseId)).toBeUndefined();
  });

  it('refuses to keep a part of a response that is already counted', async () => {
    const survey = surveySchema.parse(sampleSurvey());
    await store.putSurvey(survey);
    const data: ResponseData = { responseId: randomUUID(), surveyId: survey.id, answers: [{ questionId: 'q1', value: 4 }] };
    expect(await store.recordResponse(countResponse(survey, data, Date.now()))).toBe('accepted');
    expect(await store.keepPending(data, 60_000)).toBe('counted');
    expect(await store.getPending(survey.id, data.responseId)).toBeUndefined();
    // A response of the same id in another survey is a different response.
    expect(await store.keepPending({ ...data, surveyId: 'other-survey' }, 60_000)).toBe('kept');
  });

  it('remembers a delivery until its time to live is over', async () => {
    const key = `typeform:${randomUUID()}`;
    expect(await store.hasDelivery(key)).toBe(false);
    await store.rememberDelivery(key, 200);
    expect(await store.hasDelivery(key)).toBe(true);
    expect(await store.hasDelivery(`typeform:${randomUUID()}`)).toBe(false);
    await sleep(350);
    expect(await store.hasDelivery(key)).toBe(false);
  });

  it('finds the survey whose sources name a platform id, and follows changes to the definitions', async () => {
    const survey = surveySchema.parse({ ...sampleSurvey(), sources: [{ platform: 'typeform', externalId: 'lT4Z3j', secret: 'a-typeform-secret-0123' }] });
    expect(await store.findSurveyBySource('typeform', 'lT4Z3j')).toBeUndefined();
    await store.putSurvey(survey);
    expect((await store.findSurveyBySource('typeform', 'lT4Z3j'))?.id).toBe(survey.id);
    // Same id on another platform, or another id: no survey.
    expect(await store.findSurveyBySource('formbricks', 'lT4Z3j')).toBeUndefined();
    expect(await store.findSurveyBySource('typeform', 'lT4Z3')).toBeUndefined();

    await store.putSurvey({ ...survey, sources: [{ platform: 'formbricks', externalId: 'clx789ghi' }] });
    expect(await store.findSurveyBySource('typeform', 'lT4Z3j')).toBeUndefined();
    expect((await store.findSurveyBySource('formbricks', 'clx789ghi'))?.id).toBe(survey.id);
    await store.deleteSurvey(survey.id);
    expect(await store.findSurveyBySource('formbricks', 'clx789ghi')).toBeUndefined();
  });
});
