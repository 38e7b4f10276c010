/**
 * The comparison's cost in SnapshotCache (server/live/snapshots.ts): an earlier campaign's whole
 * life is read once for many snapshots, read again at once when its history or definition
 * changes, and at most every few seconds when only its counts move. Also live: a history import
 * reaches the later survey's subscribers with the new comparison.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotCache } from '../../../server/live/snapshots.js';
import { MemoryStore } from '../../../server/store/memory-store.js';
import { type SurveySnapshot, surveySchema } from '../../../shared/schemas.js';
import { eventually, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';

const DAY_MS = 86_400_000;
const opensAt = Date.now() - 3 * DAY_MS;
const earlier = surveySchema.parse({
  ...sampleSurvey('forra-aret'),
  opensAt: new Date(opensAt - 365 * DAY_MS).toISOString(),
  closesAt: new Date(opensAt - 330 * DAY_MS).toISOString(),
});
const later = surveySchema.parse({ ...sampleSurvey('i-ar'), opensAt: new Date(opensAt).toISOString(), compareTo: earlier.id });
const firstDay = (survey: typeof earlier) => new Date(Date.parse(survey.opensAt!) + 6 * 3_600_000).toISOString().slice(0, 10);

/** A MemoryStore that counts how often an earlier campaign's whole life is read. */
class CountingStore extends MemoryStore {
  wholeLifeReads = 0;
  override async hourlyByArea(surveyId: string) {
    if (surveyId === earlier.id) this.wholeLifeReads += 1;
    return super.hourlyByArea(surveyId);
  }
}

describe('SnapshotCache and the earlier campaign', () => {
  it('reads the earlier campaign once for many snapshots, again at once after an import, and not for every change of its counts', async () => {
    const store = new CountingStore();
    await store.putSurvey(earlier);
    await store.putSurvey(later);
    await store.importHistory(earlier.id, [{ date: firstDay(earlier), areaKey: 'norr', responses: 30 }]);
    // maxAge 0: every get builds a snapshot, as under steady traffic.
    const snapshots = new SnapshotCache(store, 0);
    for (let i = 0; i < 20; i++) expect((await snapshots.get(later.id))?.comparison?.sameDay.responses).toBe(30);
    expect(store.wholeLifeReads).toBe(1);

    // Counts of the earlier survey moved: reused for a few seconds still.
    snapshots.invalidate(earlier.id);
    await snapshots.get(later.id);
    expect(store.wholeLifeReads).toBe(1);

    // A new import: read again for the next snapshot.
    await store.importHistory(earlier.id, [{ date: firstDay(earlier), areaKey: 'norr', responses: 45 }]);
    snapshots.surveyChanged(earlier.id);
    expect((await snapshots.get(later.id))?.comparison?.sameDay.responses).toBe(45);
    expect(store.wholeLifeReads).toBe(2);
    expect(snapshots.comparingWith(earlier.id)).toEqual([later.id]);
  });
});

describe('a history import, live', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  it('reaches the later survey’s subscribers with the new comparison', async () => {
    t = await startTestApp();
    await t.putSurvey(earlier);
    await t.putSurvey(later);
    const { token } = await t.app.tokens.mint(later.id, ['stats'], 60);
    const socket = t.connectLive({ token });
    const seen: SurveySnapshot[] = [];
    socket.on('survey:stats', (snapshot) => seen.push(snapshot));
    const ack = await socket.emitWithAck('survey:subscribe', { surveyId: later.id });
    expect(ack).toMatchObject({ ok: true, snapshot: { comparison: { surveyId: earlier.id, sameDay: { responses: 0 } } } });

    const res = await fetch(`${t.url}/api/v1/surveys/${earlier.id}/history`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${t.config.adminToken}` },
      body: `date;areaId;responses\n${firstDay(earlier)};soder;12\n`,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await eventually(() => seen.some((snapshot) => snapshot.comparison?.sameDay.responses === 12), 'a snapshot with the imported day', 20_000);
  });
});
