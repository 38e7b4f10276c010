/**
 * The demo's last year (server/demo/demo-history.ts): imported through the history import, so
 * the demo survey shows a comparison and last year's curve on first run; a restart starts it
 * afresh instead of adding to it.
 */
import { describe, expect, it } from 'vitest';
import { demoHistoryCsv, demoLastYear, seedDemoHistory } from '../../../server/demo/demo-history.js';
import { DEMO_LAST_YEAR_ID, demoSurvey } from '../../../server/demo/demo-survey.js';
import { SnapshotCache } from '../../../server/live/snapshots.js';
import { readDailySeries } from '../../../server/store/daily.js';
import { MemoryStore } from '../../../server/store/memory-store.js';

const TZ = 'Europe/Stockholm';

describe('the demo survey against last year', () => {
  it('is compared with last year, closed, on first run', async () => {
    const store = new MemoryStore();
    const result = await seedDemoHistory(store, TZ);
    await store.putSurvey(demoSurvey);
    expect(demoSurvey.compareTo).toBe(DEMO_LAST_YEAR_ID);
    expect(Date.parse(demoLastYear.closesAt!)).toBeLessThan(Date.now());
    expect(result.days).toHaveLength(43);

    const snapshot = await new SnapshotCache(store, 0, { timeZone: TZ }).get(demoSurvey.id);
    const comparison = snapshot?.comparison;
    expect(comparison).toMatchObject({ surveyId: DEMO_LAST_YEAR_ID, name: 'Hyresgästenkät 2025' });
    expect([17, 18]).toContain(comparison?.day);
    // Last year at this point: about a fifth to a quarter answered; in the end a little over a third.
    expect(comparison?.sameDay.responseRate).toBeGreaterThan(0.15);
    expect(comparison?.sameDay.responseRate).toBeLessThan(0.3);
    expect(comparison?.final.responseRate).toBeGreaterThan(0.33);
    expect(comparison?.final.responseRate).toBeLessThan(0.4);
    expect(comparison?.areas.map((area) => area.id)).toEqual(demoSurvey.areas.map((area) => area.id));

    // Its curve covers the whole six weeks, by day since its opening, and ends at its final figures.
    const series = await readDailySeries(store, demoLastYear, { timeZone: TZ });
    expect(series.days).toHaveLength(43);
    expect(series.days.at(-1)?.cumulative).toBe(comparison?.final.responses);
  });

  it('starts last year afresh at every start, without adding to it', async () => {
    const store = new MemoryStore();
    const first = await seedDemoHistory(store, TZ);
    await seedDemoHistory(store, TZ);
    expect((await store.getCounts(DEMO_LAST_YEAR_ID)).responses).toBe(first.responses);
    expect(demoHistoryCsv(TZ)).toBe(demoHistoryCsv(TZ));
  });
});
