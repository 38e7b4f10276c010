/**
 * Reminder rounds reach widgets at once, on every instance: a round added over HTTP on A is in
 * the next `survey:stats` of a widget on A and of one on B (Redis store, Socket.IO Redis adapter);
 * deleted, the next one drops it. An area-scoped widget gets the rounds of its areas only.
 */
import { expect, it } from 'vitest';
import type { SurveyEvent, SurveySnapshot } from '../../../shared/schemas.js';
import { eventually, sampleSurvey } from '../../support/harness.js';
import { connected, nextStats, subscribeOk, twoInstances } from './live-helpers.js';

const apps = twoInstances();

const WAIT_MS = 15_000;
const has = (id: string) => (snapshot: SurveySnapshot) => snapshot.events.some((event) => event.id === id);

it('pushes an added round to widgets on both instances, and drops it once deleted', async () => {
  const { a, b } = apps;
  const survey = sampleSurvey();
  await a.putSurvey(survey);
  await eventually(async () => (await b.admin('GET', `/api/v1/surveys/${survey.id}`)).ok, 'the survey on B');
  const token = (await a.app.tokens.mint(survey.id, ['stats'], 600)).token;
  const onA = a.connectLive();
  const onB = b.connectLive();
  await Promise.all([connected(onA), connected(onB)]);
  const [first] = await Promise.all([subscribeOk(onA, { surveyId: survey.id, token }), subscribeOk(onB, { surveyId: survey.id, token })]);
  expect(first.snapshot.events).toEqual([]);

  // Listening before the POST: the broadcast may come before its answer.
  const carrying = (socket: typeof onA) => nextStats(socket, survey.id, (s) => s.events.length > 0, WAIT_MS);
  const seenOnA = carrying(onA);
  const seenOnB = carrying(onB);
  const res = await a.admin('POST', `/api/v1/surveys/${survey.id}/events`, {
    at: '2026-11-20T09:00:00Z',
    kind: 'door',
    label: 'Dörrknackning',
    areaIds: ['norr'],
  });
  expect(res.status).toBe(201);
  const added = (await res.json()) as SurveyEvent;
  for (const snapshot of await Promise.all([seenOnA, seenOnB])) expect(snapshot.events).toEqual([added]);

  const droppedOnA = nextStats(onA, survey.id, (s) => !has(added.id)(s), WAIT_MS);
  const droppedOnB = nextStats(onB, survey.id, (s) => !has(added.id)(s), WAIT_MS);
  // Deleted through the other instance this time.
  expect((await b.admin('DELETE', `/api/v1/surveys/${survey.id}/events/${added.id}`)).status).toBe(204);
  for (const snapshot of await Promise.all([droppedOnA, droppedOnB])) expect(snapshot.events).toEqual([]);

  // A widget subscribing now gets the rounds in its first snapshot too.
  const later = await a.admin('POST', `/api/v1/surveys/${survey.id}/events`, { at: '2026-11-21T09:00:00Z', kind: 'phone', label: 'Telefonrunda' });
  const round = (await later.json()) as SurveyEvent;
  const fresh = b.connectLive();
  await connected(fresh);
  const { snapshot } = await subscribeOk(fresh, { surveyId: survey.id, token });
  expect(snapshot.events).toEqual([round]);
});

it('gives an area-scoped widget the rounds of its areas, naming only its areas', async () => {
  const { a, b } = apps;
  const survey = sampleSurvey();
  await a.putSurvey(survey);
  await eventually(async () => (await b.admin('GET', `/api/v1/surveys/${survey.id}`)).ok, 'the survey on B');
  const minted = await a.admin('POST', '/api/v1/tokens', { surveyId: survey.id, scopes: ['stats'], areaIds: ['soder'], label: 'Söder office' });
  const { token } = (await minted.json()) as { token: string };
  const socket = b.connectLive();
  await connected(socket);
  await subscribeOk(socket, { surveyId: survey.id, token });

  const post = async (body: object) => (await (await a.admin('POST', `/api/v1/surveys/${survey.id}/events`, body)).json()) as SurveyEvent;
  const norrOnly = await post({ at: '2026-11-20T09:00:00Z', kind: 'door', label: 'Norr', areaIds: ['norr'] });
  const both = await post({ at: '2026-11-21T09:00:00Z', kind: 'letter', label: 'Båda', areaIds: ['norr', 'soder'] });
  const everywhere = await post({ at: '2026-11-22T09:00:00Z', kind: 'email', label: 'Alla' });
  const seen = await nextStats(socket, survey.id, has(everywhere.id), WAIT_MS);
  expect(seen.events).toEqual([{ ...both, areaIds: ['soder'] }, everywhere]);
  expect(seen.events.some((event) => event.id === norrOnly.id)).toBe(false);
});
