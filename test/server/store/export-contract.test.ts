/**
 * Backup and restore in the store contract, run against MemoryStore and a real RedisStore: a
 * survey's full state goes out through exportSurvey and comes back through importSurvey into an
 * empty store as it was (counters, texts with their state, deduplication), as JSON that the
 * backup file's schema accepts; an existing survey is replaced only when asked.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countResponse } from '../../../server/ingest/count-response.js';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { buildSnapshot } from '../../../server/store/snapshot.js';
import { type SurveyExport, surveyExportSchema } from '../../../server/store/survey-export.js';
import { type ResponseData, type Survey, surveySchema } from '../../../shared/schemas.js';
import { response, sampleSurvey } from '../../support/harness.js';
import { STORE_SUBJECTS, type StoreSubject } from './store-subjects.js';

const sorted = (entry: SurveyExport | undefined) => entry && { ...entry, responseIds: [...entry.responseIds].sort() };

describe.each(STORE_SUBJECTS)('backup and restore in the store contract: %s', (_name, makeStore) => {
  let source: StoreSubject;
  let target: StoreSubject;
  let store: ResponseStore;
  let survey: Survey;
  const now = Date.now();
  const record = (overrides: Partial<ResponseData> = {}, receivedAt = now) =>
    store.recordResponse(countResponse(survey, response(survey.id, overrides), receivedAt));

  beforeEach(async () => {
    [source, target] = await Promise.all([makeStore(), makeStore()]);
    store = source.store;
    survey = surveySchema.parse({ ...sampleSurvey(`export-${randomUUID().slice(0, 8)}`), channels: ['door', 'web'] });
    await store.putSurvey(survey);
    // Areas, channels, index values, hours a day apart, a minute of the last hour, and texts in every state.
    await record({
      areaId: 'norr',
      channel: 'door',
      answers: [
        { questionId: 'q1', value: 4 },
        { questionId: 'comment', text: 'Bra städning' },
      ],
    });
    await record(
      {
        areaId: 'soder',
        channel: 'web',
        answers: [
          { questionId: 'q2', value: 2 },
          { questionId: 'comment', text: 'Trasig lampa' },
        ],
      },
      now - 86_400_000,
    );
    await record({
      areaId: 'okand',
      channel: 'sms',
      answers: [
        { questionId: 'q1', value: 5 },
        { questionId: 'comment', text: 'Tack' },
      ],
    });
    const [newest, middle] = await store.latestTexts(survey.id, 10);
    await store.editTexts(survey.id, { id: newest!.id }, 'hide-area');
    await store.editTexts(survey.id, { id: middle!.id }, 'delete');
  });
  afterEach(() => Promise.all([source.cleanup(), target.cleanup()]));

  it('exports everything and imports it into an empty store as it was', async () => {
    const exported = await store.exportSurvey(survey.id);
    expect(exported?.responseIds).toHaveLength(3);
    expect(exported?.texts.map((text) => text.text)).toEqual(['Tack', 'Bra städning']);
    // Through JSON, as a backup file carries it, and through the file's schema.
    const carried = surveyExportSchema.parse(JSON.parse(JSON.stringify(exported))) as SurveyExport;
    expect(await target.store.importSurvey(carried)).toBe('imported');

    expect(sorted(await target.store.exportSurvey(survey.id))).toEqual(sorted(exported));
    expect(await target.store.getSurvey(survey.id)).toEqual(survey);
    expect(await target.store.latestTexts(survey.id, 10)).toEqual(await store.latestTexts(survey.id, 10));
    const snapshot = async (s: ResponseStore) => buildSnapshot(survey, await s.getCounts(survey.id), now, 1);
    expect(await snapshot(target.store)).toEqual(await snapshot(store));
    expect((await snapshot(target.store)).responses).toBe(3);
  });

  it('keeps deduplication: a response counted before the backup is a duplicate after the restore', async () => {
    const exported = (await store.exportSurvey(survey.id))!;
    await target.store.importSurvey(exported);
    const [countedId] = exported.responseIds;
    const again = countResponse(survey, response(survey.id, { responseId: countedId! }), now);
    expect(await target.store.recordResponse(again)).toBe('duplicate');
    expect(await target.store.recordResponse(countResponse(survey, response(survey.id), now))).toBe('accepted');
    expect((await target.store.getCounts(survey.id)).responses).toBe(4);
  });

  it('refuses to overwrite a defined survey unless asked to replace it, then drops what it had', async () => {
    const exported = (await store.exportSurvey(survey.id))!;
    await target.store.putSurvey(survey);
    await target.store.recordResponse(countResponse(survey, response(survey.id, { answers: [{ questionId: 'comment', text: 'Finns redan' }] }), now));
    const before = await target.store.exportSurvey(survey.id);
    expect(await target.store.importSurvey(exported)).toBe('exists');
    expect(await target.store.exportSurvey(survey.id)).toEqual(before);

    expect(await target.store.importSurvey(exported, { replace: true })).toBe('imported');
    expect(sorted(await target.store.exportSurvey(survey.id))).toEqual(sorted(exported));
    expect((await target.store.latestTexts(survey.id, 10)).map((text) => text.text)).not.toContain('Finns redan');
  });

  it('exports nothing for a survey that is not defined', async () => {
    expect(await store.exportSurvey('no-such-survey')).toBeUndefined();
  });
});
