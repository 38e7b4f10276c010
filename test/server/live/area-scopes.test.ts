/**
 * Area-scoped read tokens ("the Norrby office's screen") see nothing of other areas: not in
 * stats, not in free text, over REST or the socket, and across two instances; the survey's
 * totals stay. Each area set gets its own filtered broadcast.
 */
import { describe, expect, it } from 'vitest';
import type { SurveySnapshot, TextAnswer } from '../../../shared/schemas.js';
import { eventually, response } from '../../support/harness.js';
import { connected, nextStats, nextText, record, sleep, subscribeOk, twoInstances } from './live-helpers.js';

const apps = twoInstances();

const AREAS = [
  { id: 'centrum', name: 'Centrum', distributed: 40 },
  { id: 'norrby', name: 'Norrby', distributed: 30 },
  { id: 'soder', name: 'Söder', distributed: 20 },
];

async function surveyOnBoth(): Promise<string> {
  const id = `scoped-${Math.random().toString(36).slice(2, 10)}`;
  await apps.a.putSurvey({ id, name: 'Hyresgästenkät', target: 0.6, areas: AREAS, textQuestions: ['comment'] });
  await eventually(async () => (await apps.b.admin('GET', `/api/v1/surveys/${id}`)).ok, 'the survey on B');
  return id;
}

async function mint(surveyId: string, areaIds?: string[], scopes = ['stats', 'text']): Promise<string> {
  const res = await apps.a.admin('POST', '/api/v1/tokens', { surveyId, scopes, ...(areaIds ? { areaIds } : {}), label: 'Norrby office' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const said = (area: string, text: string) => ({ areaId: area, answers: [{ questionId: 'comment', text }] });
const areaIdsOf = (snapshot: SurveySnapshot) => snapshot.areas.map((area) => area.id);

describe('an area-scoped token', () => {
  it('over REST: stats show its areas only, with the survey totals; texts only its areas’', async () => {
    const surveyId = await surveyOnBoth();
    for (const [area, text] of [
      ['norrby', 'Trappan i Norrby är ren'],
      ['centrum', 'Centrum har trasig port'],
      ['soder', 'Söder saknar cykelställ'],
    ] as const) {
      expect((await apps.a.sendResponse(response(surveyId, said(area, text)))).status).toBe(200);
    }
    const token = await mint(surveyId, ['norrby']);
    const get = (path: string) => fetch(`${apps.b.url}/api/v1/surveys/${surveyId}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const stats = await eventually(async () => {
      const snapshot = (await (await get('stats')).json()) as SurveySnapshot;
      return snapshot.responses === 3 ? snapshot : undefined;
    }, 'three responses');
    expect(areaIdsOf(stats)).toEqual(['norrby']);
    expect(stats).toMatchObject({ responses: 3, distributed: 90 });
    const body = JSON.stringify(stats);
    for (const other of ['centrum', 'Centrum', 'soder', 'Söder']) expect(body).not.toContain(other);

    const texts = ((await (await get('texts')).json()) as { texts: TextAnswer[] }).texts;
    expect(texts.map((text) => [text.areaId, text.text])).toEqual([['norrby', 'Trappan i Norrby är ren']]);
  });

  it('over the socket on another instance: its snapshot, its stats broadcasts and its texts only; a full token beside it sees all', async () => {
    const surveyId = await surveyOnBoth();
    const scoped = await mint(surveyId, ['norrby', 'soder']);
    const full = await mint(surveyId);
    const office = apps.b.connectLive();
    const everything = apps.b.connectLive();
    await Promise.all([connected(office), connected(everything)]);
    const first = await subscribeOk(office, { surveyId, token: scoped, texts: true });
    expect(areaIdsOf(first.snapshot)).toEqual(['norrby', 'soder']);
    await subscribeOk(everything, { surveyId, token: full, texts: true });
    const officeStats = record(office, 'survey:stats');
    const officeTexts = record(office, 'text:created');

    const centrumText = nextText(everything, (text) => text.areaId === 'centrum');
    const allStats = nextStats(everything, surveyId, (snapshot) => snapshot.responses === 1);
    expect((await apps.a.sendResponse(response(surveyId, said('centrum', 'Centrum: hissen är trasig')))).status).toBe(200);
    await Promise.all([centrumText, allStats]);

    const norrbyText = nextText(office, (text) => text.areaId === 'norrby');
    const norrbyStats = nextStats(office, surveyId, (snapshot) => snapshot.responses === 2);
    expect((await apps.a.sendResponse(response(surveyId, said('norrby', 'Norrby: bra städning')))).status).toBe(200);
    expect((await norrbyText).text).toBe('Norrby: bra städning');
    expect(areaIdsOf(await norrbyStats)).toEqual(['norrby', 'soder']);
    await sleep(200);

    // Every message the office socket got: no Centrum text, no Centrum area in any snapshot.
    expect(officeTexts.map((text) => text.areaId)).toEqual(['norrby']);
    expect(officeStats.length).toBeGreaterThan(0);
    for (const snapshot of officeStats) expect(areaIdsOf(snapshot)).toEqual(['norrby', 'soder']);
    expect(JSON.stringify([officeStats, officeTexts])).not.toMatch(/centrum|Centrum/);
  });
});
