/**
 * Reminder rounds in the store contract, run against MemoryStore and a real RedisStore: kept per
 * survey, listed oldest first, bounded, deleted, told to onSurveyChange listeners, dropped with
 * the survey and carried through a backup.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { addSurveyEvent } from '../../../server/store/survey-events.js';
import { surveyExportSchema } from '../../../server/store/survey-export.js';
import { type SurveyEvent, surveySchema } from '../../../shared/schemas.js';
import { eventually, sampleSurvey } from '../../support/harness.js';
import { STORE_SUBJECTS, type StoreSubject } from './store-subjects.js';

const event = (at: string, overrides: Partial<SurveyEvent> = {}): SurveyEvent => ({
  id: randomUUID(),
  at,
  kind: 'door',
  label: 'Dörrknackning Norrby',
  ...overrides,
});

describe.each(STORE_SUBJECTS)('reminder rounds in the store contract: %s', (_name, makeStore) => {
  let subject: StoreSubject;
  let store: ResponseStore;
  const survey = surveySchema.parse(sampleSurvey());
  beforeEach(async () => {
    subject = await makeStore();
    store = subject.store;
    await store.putSurvey(survey);
  });
  afterEach(() => subject.cleanup());

  it('keeps rounds per survey and lists them oldest first, whatever order they came in', async () => {
    const late = event('2026-11-20T08:00:00.000Z', { kind: 'phone', label: 'Telefonrunda', areaIds: ['soder'] });
    const early = event('2026-11-10T08:00:00.000Z');
    const sameTime = [event('2026-11-15T08:00:00.000Z', { id: 'b' }), event('2026-11-15T08:00:00.000Z', { id: 'a' })];
    for (const e of [late, early, ...sameTime]) expect(await store.addEvent(survey.id, e, 200)).toBe(true);
    expect(await store.listEvents(survey.id)).toEqual([early, sameTime[1], sameTime[0], late]);
    expect(await store.listEvents('other-survey')).toEqual([]);
  });

  it('keeps at most the limit, changing nothing beyond it', async () => {
    for (let i = 0; i < 3; i++) expect(await store.addEvent(survey.id, event(`2026-11-1${i}T08:00:00.000Z`), 3)).toBe(true);
    const before = await store.listEvents(survey.id);
    expect(await store.addEvent(survey.id, event('2026-11-19T08:00:00.000Z'), 3)).toBe(false);
    expect(await store.listEvents(survey.id)).toEqual(before);
    // Concurrent adds at the bound: exactly the room left is used.
    await store.deleteEvent(survey.id, before[0]!.id);
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.addEvent(survey.id, event(`2026-11-2${i % 10}T08:00:00.000Z`), 3)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await store.listEvents(survey.id)).toHaveLength(3);
  });

  it('deletes a round by id, and answers false for one it does not have', async () => {
    const kept = event('2026-11-10T08:00:00.000Z');
    const gone = event('2026-11-11T08:00:00.000Z');
    await store.addEvent(survey.id, kept, 200);
    await store.addEvent(survey.id, gone, 200);
    expect(await store.deleteEvent(survey.id, gone.id)).toBe(true);
    expect(await store.deleteEvent(survey.id, gone.id)).toBe(false);
    expect(await store.deleteEvent('other-survey', kept.id)).toBe(false);
    expect(await store.listEvents(survey.id)).toEqual([kept]);
  });

  it('tells onSurveyChange listeners of an added and a deleted round', async () => {
    const told: string[] = [];
    store.onSurveyChange((id) => told.push(id));
    const e = event('2026-11-10T08:00:00.000Z');
    await store.addEvent(survey.id, e, 200);
    await eventually(() => told.includes(survey.id), 'the added round to reach the listener');
    told.length = 0;
    await store.deleteEvent(survey.id, e.id);
    await eventually(() => told.includes(survey.id), 'the deleted round to reach the listener');
  });

  it('forgets the rounds of a deleted survey', async () => {
    await store.addEvent(survey.id, event('2026-11-10T08:00:00.000Z'), 200);
    await store.deleteSurvey(survey.id);
    await store.putSurvey(survey);
    expect(await store.listEvents(survey.id)).toEqual([]);
  });

  it('carries the rounds through a backup and a restore', async () => {
    const rounds = [
      event('2026-11-10T08:00:00.000Z', { areaIds: ['norr', 'soder'] }),
      event('2026-11-12T17:30:00.000Z', { kind: 'sms', label: 'Sms-påminnelse' }),
    ];
    for (const e of rounds) await store.addEvent(survey.id, e, 200);
    const exported = (await store.exportSurvey(survey.id))!;
    expect(exported.events).toEqual(rounds);
    expect(surveyExportSchema.safeParse(JSON.parse(JSON.stringify(exported))).success).toBe(true);

    const target = await makeStore();
    try {
      expect(await target.store.importSurvey(exported)).toBe('imported');
      expect(await target.store.listEvents(survey.id)).toEqual(rounds);
      // Replacing drops the rounds the survey had.
      await target.store.addEvent(survey.id, event('2026-11-30T08:00:00.000Z'), 200);
      await target.store.importSurvey(exported, { replace: true });
      expect(await target.store.listEvents(survey.id)).toEqual(rounds);
    } finally {
      await target.cleanup();
    }
  });

  it('makes rounds through addSurveyEvent: a server id, UTC time, areas checked against the survey', async () => {
    const added = await addSurveyEvent(store, survey.id, {
      at: '2026-11-10T09:00:00+01:00',
      kind: 'letter',
      label: 'Påminnelsebrev',
      areaIds: ['norr', 'norr'],
    });
    expect(added).toMatchObject({ status: 'added', event: { at: '2026-11-10T08:00:00.000Z', kind: 'letter', label: 'Påminnelsebrev', areaIds: ['norr'] } });
    expect(await addSurveyEvent(store, survey.id, { at: '2026-11-10T08:00:00Z', kind: 'door', label: 'x', areaIds: ['norr', 'vaster'] })).toEqual({
      status: 'unknown-areas',
      areaIds: ['vaster'],
    });
    expect(await addSurveyEvent(store, 'no-such-survey', { at: '2026-11-10T08:00:00Z', kind: 'door', label: 'x' })).toEqual({ status: 'not-found' });
    expect(await addSurveyEvent(store, survey.id, { at: '2026-11-10T08:00:00Z', kind: 'door', label: 'x' }, 1)).toEqual({ status: 'full', limit: 1 });
    expect((await store.listEvents(survey.id)).map((e) => e.label)).toEqual(['Påminnelsebrev']);
  });
});
