/**
 * The daily series (server/store/daily.ts): calendar days in TIMEZONE with local midnights as
 * boundaries (the 25-hour last Sunday of October and the 23-hour last Sunday of March in
 * Europe/Stockholm), quiet days, the hand-out count in force each day, imported days.
 */
import { describe, expect, it } from 'vitest';
import { addDays, dailySeries, handOutsAt, isCalendarDate, isTimeZone, localDate, previousCurve, startOfLocalDay } from '../../../server/store/daily.js';
import type { DistributionRecord } from '../../../server/store/response-store.js';
import { UNASSIGNED_AREA_ID } from '../../../shared/schemas.js';

const TZ = 'Europe/Stockholm';
const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const survey = (over: Partial<{ opensAt: string; closesAt: string }> = {}) => ({
  id: 'hyresgast-2026',
  areas: [
    { id: 'norr', name: 'Norr', distributed: 100 },
    { id: 'soder', name: 'Söder', distributed: 50 },
  ],
  ...over,
});
/** areaKey -> [[hour ISO, responses]] as the store's hourly counter. */
const hourly = (entries: Record<string, [string, number][]>) =>
  new Map(Object.entries(entries).map(([area, hours]) => [area, new Map(hours.map(([hour, n]) => [at(hour), n]))]));

describe('local days', () => {
  it('knows time zones the way Intl does', () => {
    expect(isTimeZone('Europe/Stockholm')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Stokholm')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('checks calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('begins each day at local midnight: the last Sunday of October has 25 hours, the last of March 23', () => {
    // 2026-10-25: CEST (+2) until 03:00 local, then CET (+1).
    expect(new Date(startOfLocalDay('2026-10-25', TZ)).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(startOfLocalDay('2026-10-26', TZ)).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(startOfLocalDay('2026-10-26', TZ) - startOfLocalDay('2026-10-25', TZ)).toBe(25 * HOUR);
    // 2026-03-29: CET (+1) until 02:00 local, then CEST (+2).
    expect(new Date(startOfLocalDay('2026-03-29', TZ)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', TZ) - startOfLocalDay('2026-03-29', TZ)).toBe(23 * HOUR);
    expect(localDate(at('2026-10-25T22:59:59.999Z'), TZ)).toBe('2026-10-25');
    expect(localDate(at('2026-10-25T23:00:00.000Z'), TZ)).toBe('2026-10-26');
    expect(localDate(at('2026-10-24T21:59:59.999Z'), TZ)).toBe('2026-10-24');
  });
});

describe('dailySeries', () => {
  it('counts the 25 hours of the last Sunday of October in that day, with local midnights as boundaries', () => {
    const series = dailySeries({
      survey: survey({ opensAt: '2026-10-24T06:00:00.000Z', closesAt: '2026-10-26T20:00:00.000Z' }),
      hourly: hourly({
        norr: [
          ['2026-10-24T21:00:00.000Z', 1], // 23:00 CEST, Saturday
          ['2026-10-24T22:00:00.000Z', 2], // 00:00 CEST, Sunday
          ['2026-10-25T00:00:00.000Z', 4], // 02:00 CEST, the first 02:00
          ['2026-10-25T01:00:00.000Z', 8], // 02:00 CET, the second 02:00
          ['2026-10-25T22:00:00.000Z', 16], // 23:00 CET, Sunday's 25th hour
          ['2026-10-25T23:00:00.000Z', 32], // 00:00 CET, Monday
        ],
      }),
      timeZone: TZ,
      now: at('2026-11-02T12:00:00.000Z'),
    });
    expect(series.timezone).toBe(TZ);
    expect(series.days.map((day) => [day.date, day.responses, day.cumulative])).toEqual([
      ['2026-10-24', 1, 1],
      ['2026-10-25', 30, 31],
      ['2026-10-26', 32, 63],
    ]);
  });

  it('counts the 23 hours of the last Sunday of March in that day', () => {
    const series = dailySeries({
      survey: survey({ opensAt: '2026-03-28T08:00:00.000Z', closesAt: '2026-03-30T18:00:00.000Z' }),
      hourly: hourly({
        soder: [
          ['2026-03-28T22:00:00.000Z', 1], // 23:00 CET, Saturday
          ['2026-03-28T23:00:00.000Z', 2], // 00:00 CET, Sunday
          ['2026-03-29T01:00:00.000Z', 4], // 03:00 CEST (02:00 never happened)
          ['2026-03-29T21:00:00.000Z', 8], // 23:00 CEST, Sunday's last hour
          ['2026-03-29T22:00:00.000Z', 16], // 00:00 CEST, Monday
        ],
      }),
      timeZone: TZ,
      now: at('2026-04-10T12:00:00.000Z'),
    });
    expect(series.days.map((day) => [day.date, day.responses])).toEqual([
      ['2026-03-28', 1],
      ['2026-03-29', 14],
      ['2026-03-30', 16],
    ]);
    expect(series.days.map((day) => day.areas.soder)).toEqual([
      { responses: 1, cumulative: 1 },
      { responses: 14, cumulative: 15 },
      { responses: 16, cumulative: 31 },
    ]);
  });

  it('divides each day by the hand-out count in force that day: a change counts from the day it was made', () => {
    const distribution: DistributionRecord[] = [
      {
        at: '2026-10-01T07:00:00.000Z',
        areas: new Map([
          ['norr', 100],
          ['soder', 50],
        ]),
      },
      // Made at 14:00 local on 3 October: 3 October divides by 250 already.
      {
        at: '2026-10-03T12:00:00.000Z',
        areas: new Map([
          ['norr', 200],
          ['soder', 50],
        ]),
      },
    ];
    const series = dailySeries({
      survey: {
        ...survey({ opensAt: '2026-10-01T06:00:00.000Z' }),
        areas: [
          { id: 'norr', name: 'Norr', distributed: 200 },
          { id: 'soder', name: 'Söder', distributed: 50 },
        ],
      },
      hourly: hourly({
        norr: [
          ['2026-10-01T08:00:00.000Z', 30],
          ['2026-10-03T08:00:00.000Z', 20],
        ],
        soder: [['2026-10-02T08:00:00.000Z', 15]],
      }),
      distribution,
      timeZone: TZ,
      now: at('2026-10-04T12:00:00.000Z'),
    });
    expect(series.days.map((day) => [day.date, day.responses, day.cumulative, day.cumulativeRate])).toEqual([
      ['2026-10-01', 30, 30, 30 / 150],
      ['2026-10-02', 0 + 15, 45, 45 / 150],
      ['2026-10-03', 20, 65, 65 / 250],
      ['2026-10-04', 0, 65, 65 / 250],
    ]);
    // Without a history the survey's own figures count for every day.
    const plain = dailySeries({
      survey: survey({ opensAt: '2026-10-01T06:00:00.000Z' }),
      hourly: new Map(),
      timeZone: TZ,
      now: at('2026-10-02T12:00:00.000Z'),
    });
    expect(plain.days.map((day) => [day.date, day.cumulative, day.cumulativeRate])).toEqual([
      ['2026-10-01', 0, 0],
      ['2026-10-02', 0, 0],
    ]);
  });

  it('runs from the first response or opensAt to today, or to closesAt once passed, quiet days with 0, every area every day', () => {
    const series = dailySeries({
      survey: survey({ opensAt: '2026-10-05T06:00:00.000Z', closesAt: '2026-12-01T18:00:00.000Z' }),
      // A test response before opensAt, and one for an area the survey does not define.
      hourly: hourly({ norr: [['2026-10-03T10:00:00.000Z', 1]], gammal: [['2026-10-06T10:00:00.000Z', 2]] }),
      timeZone: TZ,
      now: at('2026-10-07T09:00:00.000Z'),
    });
    expect(series.days.map((day) => day.date)).toEqual(['2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    expect(series.days.map((day) => day.responses)).toEqual([1, 0, 0, 2, 0]);
    expect(Object.keys(series.days[0]!.areas)).toEqual(['norr', 'soder', UNASSIGNED_AREA_ID]);
    expect(series.days[4]!.areas[UNASSIGNED_AREA_ID]).toEqual({ responses: 0, cumulative: 2 });

    const closed = dailySeries({
      survey: survey({ opensAt: '2025-10-06T06:00:00.000Z', closesAt: '2025-10-08T16:00:00.000Z' }),
      hourly: new Map(),
      timeZone: TZ,
      now: at('2026-10-07T09:00:00.000Z'),
    });
    expect(closed.days.map((day) => day.date)).toEqual(['2025-10-06', '2025-10-07', '2025-10-08']);
    // Not open yet and nothing counted: no days.
    expect(
      dailySeries({ survey: survey({ opensAt: '2027-01-01T00:00:00.000Z' }), hourly: new Map(), timeZone: TZ, now: at('2026-10-07T09:00:00.000Z') }).days,
    ).toEqual([]);
    expect(dailySeries({ survey: survey(), hourly: new Map(), timeZone: TZ, now: at('2026-10-07T09:00:00.000Z') }).days).toEqual([]);
  });

  it('adds imported days to the counted ones', () => {
    const series = dailySeries({
      survey: survey({ opensAt: '2025-10-06T06:00:00.000Z', closesAt: '2025-10-08T16:00:00.000Z' }),
      hourly: hourly({ norr: [['2025-10-07T10:00:00.000Z', 1]] }),
      imported: new Map([
        [
          '2025-10-06',
          new Map([
            ['norr', 10],
            ['soder', 5],
          ]),
        ],
        ['2025-10-07', new Map([['norr', 4]])],
      ]),
      timeZone: TZ,
      now: at('2026-10-07T09:00:00.000Z'),
    });
    expect(series.days.map((day) => [day.date, day.responses, day.cumulative, day.cumulativeRate])).toEqual([
      ['2025-10-06', 15, 15, 15 / 150],
      ['2025-10-07', 5, 20, 20 / 150],
      ['2025-10-08', 0, 20, 20 / 150],
    ]);
    expect(series.days[1]!.areas).toEqual({ norr: { responses: 5, cumulative: 15 }, soder: { responses: 0, cumulative: 5 } });
  });

  it('counts responses from before the whole-life counter (only in the hour counts) in the totals, in no area', () => {
    const series = dailySeries({
      survey: survey({ opensAt: '2026-10-05T06:00:00.000Z' }),
      hourly: hourly({ norr: [['2026-10-06T10:00:00.000Z', 2]] }),
      // Upgraded store: 5 responses on the 5th and 3 more in the hour the counter also has 2 of.
      byHour: new Map([
        [at('2026-10-05T09:00:00.000Z'), 5],
        [at('2026-10-06T10:00:00.000Z'), 5],
      ]),
      timeZone: TZ,
      now: at('2026-10-06T12:00:00.000Z'),
    });
    expect(series.days.map((day) => [day.date, day.responses, day.cumulative, day.cumulativeRate])).toEqual([
      ['2026-10-05', 5, 5, 5 / 150],
      ['2026-10-06', 5, 10, 10 / 150],
    ]);
    expect(series.days[1]!.areas).toEqual({ norr: { responses: 2, cumulative: 2 }, soder: { responses: 0, cumulative: 0 } });
  });

  it('gives an earlier campaign as a curve by days since its own opensAt', () => {
    const series = dailySeries({
      survey: survey({ opensAt: '2025-10-06T06:00:00.000Z', closesAt: '2025-10-08T16:00:00.000Z' }),
      hourly: hourly({ norr: [['2025-10-05T10:00:00.000Z', 3]] }),
      imported: new Map([['2025-10-07', new Map([['norr', 12]])]]),
      timeZone: TZ,
      now: at('2026-10-07T09:00:00.000Z'),
    });
    expect(previousCurve(series, '2025-10-06T06:00:00.000Z', 'Hyresgästenkät 2025')).toEqual({
      surveyId: 'hyresgast-2026',
      name: 'Hyresgästenkät 2025',
      days: [
        { day: 0, date: '2025-10-06', cumulativeRate: 3 / 150 },
        { day: 1, date: '2025-10-07', cumulativeRate: 15 / 150 },
        { day: 2, date: '2025-10-08', cumulativeRate: 15 / 150 },
      ],
    });
  });

  it('takes the hand-out figures in force: before the first record the first, without records the survey', () => {
    const history: DistributionRecord[] = [
      { at: '2026-10-02T00:00:00.000Z', areas: new Map([['norr', 1]]) },
      { at: '2026-10-04T00:00:00.000Z', areas: new Map([['norr', 2]]) },
    ];
    expect(handOutsAt(history, survey(), at('2026-10-01T00:00:00.000Z')).get('norr')).toBe(1);
    expect(handOutsAt(history, survey(), at('2026-10-04T00:00:00.000Z')).get('norr')).toBe(1);
    expect(handOutsAt(history, survey(), at('2026-10-04T00:00:00.001Z')).get('norr')).toBe(2);
    expect(handOutsAt([], survey(), 0).get('norr')).toBe(100);
  });
});
