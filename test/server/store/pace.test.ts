/** Lifecycle, pace, forecast and call-list order, from a survey with a known history and an injected clock. */
import { describe, expect, it } from 'vitest';
import { callListOrder, pace, recentPerDay, surveyState } from '../../../server/store/pace.js';
import { emptyCounts } from '../../../server/store/response-store.js';
import { buildSnapshot, HOUR_MS } from '../../../server/store/snapshot.js';
import { type Survey, surveySchema } from '../../../shared/schemas.js';

const DAY_MS = 24 * HOUR_MS;
/** Tuesday 6 Oct 2026, 12:30 UTC: the clock every test here runs on. */
const NOW = Date.parse('2026-10-06T12:30:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('surveyState', () => {
  const survey = { opensAt: '2026-10-01T00:00:00Z', closesAt: '2026-10-15T00:00:00Z' };
  it('is scheduled before opensAt, open from opensAt, closed from closesAt, and open without dates', () => {
    expect(surveyState(survey, Date.parse('2026-09-30T23:59:59Z'))).toBe('scheduled');
    expect(surveyState(survey, Date.parse('2026-10-01T00:00:00Z'))).toBe('open');
    expect(surveyState(survey, Date.parse('2026-10-14T23:59:59Z'))).toBe('open');
    expect(surveyState(survey, Date.parse('2026-10-15T00:00:00Z'))).toBe('closed');
    expect(surveyState({}, NOW)).toBe('open');
    expect(surveyState({ closesAt: survey.closesAt }, NOW)).toBe('open');
  });
});

describe('recentPerDay', () => {
  const hour = (hoursAgo: number) => Math.floor(NOW / HOUR_MS) * HOUR_MS - hoursAgo * HOUR_MS;
  it('counts the last 72 hours from the top of their first hour, per day', () => {
    // 72 h before 12:30 is 12:30 three days ago: its 12:00 bucket is in, 11:00 is out.
    const hours = [
      [hour(72), 30],
      [hour(73), 1000],
      [hour(10), 12],
      [hour(0), 3],
    ] as const;
    expect(recentPerDay({ hours, now: NOW })).toBeCloseTo(45 / (72.5 / 24), 12);
  });

  it('counts since opensAt when the survey opened less than 72 hours ago', () => {
    const opensAt = iso(NOW - 36 * HOUR_MS); // 00:30 yesterday: the window starts 00:00
    expect(recentPerDay({ hours: [[hour(36), 18]], opensAt, now: NOW })).toBeCloseTo(18 / 1.5208333333333333, 12);
    // A future opensAt (early paper answers) does not shorten the window.
    expect(recentPerDay({ hours: [[hour(1), 6]], opensAt: iso(NOW + DAY_MS), now: NOW })).toBeCloseTo(6 / (72.5 / 24), 12);
  });
});

describe('pace', () => {
  const closesAt = iso(NOW + 10 * DAY_MS);
  const threeDays = Array.from({ length: 72 }, (_, i) => [Math.floor(NOW / HOUR_MS) * HOUR_MS - i * HOUR_MS, 1] as const);

  it('computes every field for an open survey with a known history', () => {
    // 72 responses in the hours from 12:00 three days ago to now (72.5 h): 72 / (72.5/24) a day.
    const perDay = 72 / (72.5 / 24);
    expect(pace({ target: 0.65, distributed: 200, responses: 80, hours: threeDays, closesAt, now: NOW })).toEqual({
      target: 0.65,
      targetResponses: 130,
      needed: 50,
      daysLeft: 10,
      neededPerDay: 5,
      recentPerDay: perDay,
      forecastResponses: 80 + perDay * 10,
      forecastRate: Math.min(1, (80 + perDay * 10) / 200),
      onTrack: true,
    });
  });

  it('is behind when the straight line from the last three days falls short', () => {
    const result = pace({ target: 0.65, distributed: 1000, responses: 300, hours: threeDays, closesAt, now: NOW });
    expect(result.targetResponses).toBe(650);
    expect(result.needed).toBe(350);
    expect(result.neededPerDay).toBe(35);
    expect(result.forecastResponses).toBeCloseTo(300 + (72 / (72.5 / 24)) * 10, 9);
    expect(result.onTrack).toBe(false);
  });

  it('has no days left, needed per day or forecast beyond the count without closesAt', () => {
    const result = pace({ target: 0.5, distributed: 100, responses: 20, hours: threeDays, now: NOW });
    expect(result).toMatchObject({ daysLeft: null, neededPerDay: null, forecastResponses: 20, forecastRate: 0.2, onTrack: false, needed: 30 });
  });

  it('once closed: daysLeft 0, neededPerDay null, the forecast is the final count', () => {
    const result = pace({ target: 0.5, distributed: 100, responses: 60, hours: threeDays, closesAt: iso(NOW - HOUR_MS), now: NOW });
    expect(result).toMatchObject({ daysLeft: 0, neededPerDay: null, forecastResponses: 60, forecastRate: 0.6, onTrack: true, needed: 0 });
  });

  it('needs 0 a day when the target is reached, caps the forecast rate at 1, and has no rate without distributed', () => {
    expect(pace({ target: 0.5, distributed: 10, responses: 9, hours: threeDays, closesAt, now: NOW })).toMatchObject({
      needed: 0,
      neededPerDay: 0,
      forecastRate: 1,
    });
    expect(pace({ target: 0.5, distributed: 0, responses: 3, hours: [], closesAt, now: NOW })).toMatchObject({
      targetResponses: 0,
      forecastRate: null,
      onTrack: true,
    });
  });
});

describe('callListOrder', () => {
  const area = (id: string, responseRate: number | null, targetResponses: number, forecastResponses: number) => ({
    id,
    name: id,
    responseRate,
    pace: {
      ...pace({ target: 0, distributed: 0, responses: 0, hours: [], now: NOW }),
      targetResponses,
      forecastResponses,
      onTrack: forecastResponses >= targetResponses,
    },
  });
  it('puts the largest forecast shortfall first, then areas on track by rate, lowest first', () => {
    const areas = [
      area('a', 0.5, 100, 90),
      area('b', 0.2, 100, 40),
      area('c', 0.9, 10, 20),
      area('d', 0.3, 50, 60),
      area('e', null, 0, 0),
      area('f', 0.1, 30, 25),
    ];
    expect(callListOrder(areas)).toEqual(['b', 'a', 'f', 'd', 'c', 'e']);
  });
});

describe('the snapshot', () => {
  const survey: Survey = surveySchema.parse({
    id: 'steer',
    name: 'Steer',
    target: 0.5,
    opensAt: iso(NOW - 20 * DAY_MS),
    closesAt: iso(NOW + 5 * DAY_MS),
    areas: [
      { id: 'big', name: 'Big', distributed: 100, target: 0.8 },
      { id: 'small', name: 'Small', distributed: 20 },
    ],
  });
  const counts = () => {
    const c = emptyCounts();
    const hour = Math.floor(NOW / HOUR_MS) * HOUR_MS - 5 * HOUR_MS;
    c.responses = 60;
    c.byArea = new Map([
      ['big', 50],
      ['small', 10],
    ]);
    c.byHour = new Map([
      [hour, 12],
      [hour - 10 * DAY_MS, 48],
    ]);
    c.byAreaHour = new Map([['big', new Map([[hour, 12]])]]);
    c.byAreaChannel = new Map([
      [
        'big',
        new Map([
          ['door', 30],
          ['phone', 20],
        ]),
      ],
      ['small', new Map([['web', 10]])],
    ]);
    c.late = 0;
    return c;
  };

  it('carries state, dates, per-area targets, channels, pace and the call list', () => {
    const snapshot = buildSnapshot(survey, counts(), NOW);
    expect(snapshot.state).toBe('open');
    expect([snapshot.opensAt, snapshot.closesAt]).toEqual([survey.opensAt, survey.closesAt]);
    const [big, small] = snapshot.areas;
    expect([big!.target, small!.target]).toEqual([0.8, 0.5]);
    expect(big!.channels).toEqual({ door: 30, phone: 20 });
    // 12 responses 5 hours ago, in a window of 72.5 hours (from 12:00 three days ago to 12:30).
    const perDay = 12 / (72.5 / 24);
    expect(big!.pace).toMatchObject({ target: 0.8, targetResponses: 80, needed: 30, daysLeft: 5, neededPerDay: 6, recentPerDay: perDay, onTrack: false });
    expect(big!.pace.forecastResponses).toBeCloseTo(50 + perDay * 5, 9);
    // Small: 10 of 20, target 50 % (the survey's), reached already.
    expect(small!.pace).toMatchObject({ targetResponses: 10, needed: 0, neededPerDay: 0, onTrack: true });
    expect(snapshot.pace).toMatchObject({ target: 0.5, targetResponses: 60, needed: 0, recentPerDay: perDay });
    expect(snapshot.callList).toEqual(['big', 'small']);
  });

  it('is closed after closesAt with pace frozen at the final count', () => {
    const snapshot = buildSnapshot(survey, counts(), NOW + 6 * DAY_MS);
    expect(snapshot.state).toBe('closed');
    expect(snapshot.pace).toMatchObject({ daysLeft: 0, neededPerDay: null, forecastResponses: 60 });
    expect(buildSnapshot(survey, counts(), NOW - 21 * DAY_MS).state).toBe('scheduled');
  });
});
