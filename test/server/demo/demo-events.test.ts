/**
 * The demo survey's reminder rounds: a phone round and a door round inside the campaign so far,
 * put through the same code as the admin route, listed by GET …/events and carried in the
 * snapshot; putting them again (a restarted demo on Redis) replaces them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDemoEvents, DEMO_SURVEY_ID, DOOR_ROUND_DAY, demoSurvey, PHONE_ROUND_DAY } from '../../../server/demo/demo-survey.js';
import type { SurveyEventWithEffect } from '../../../shared/schemas.js';
import { startTestApp, type TestApp } from '../../support/harness.js';
import { readStats } from '../http/http-assertions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

it('puts a phone round and a door round inside the campaign so far, once however often it runs', async () => {
  await t.store.putSurvey(demoSurvey);
  await addDemoEvents(t.store);
  await addDemoEvents(t.store);

  const { token } = await t.app.tokens.mint(DEMO_SURVEY_ID, ['stats'], 60);
  const res = await fetch(`${t.url}/api/v1/surveys/${DEMO_SURVEY_ID}/events`, { headers: { Authorization: `Bearer ${token}` } });
  const { events } = (await res.json()) as { events: SurveyEventWithEffect[] };
  expect(events.map((event) => [event.kind, event.areaIds])).toEqual([
    ['phone', undefined],
    ['door', ['norrby', 'hagalund']],
  ]);
  const opensAt = Date.parse(demoSurvey.opensAt as string);
  const days = events.map((event) => Math.floor((Date.parse(event.at) - opensAt) / 86_400_000));
  expect(days).toEqual([PHONE_ROUND_DAY, DOOR_ROUND_DAY]);
  for (const event of events) expect(Date.parse(event.at)).toBeLessThan(Date.now());

  const snapshot = await readStats(t, DEMO_SURVEY_ID);
  expect(snapshot.events.map((event) => event.id)).toEqual(events.map((event) => event.id));
});
