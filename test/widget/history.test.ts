/// <reference types="mocha" />
/**
 * Campaign history in the widgets, against the real server: the counter's line against the
 * earlier campaign, the daily timeline (range="day") with last campaign's line and the reminder
 * rounds as markers, markers on the hourly timeline, and the areas chart's same-day ticks.
 * Assertions read what the chart gives Chart.js (data, and the marks' plugin options), not pixels.
 */
import { expect } from 'chai';
import '../../widget/survey-live.js';
import type { Comparison, SurveySnapshot } from '../../shared/schemas.js';
import type { HistoryMarks } from '../../widget/components/chart/chart-renderer.js';
import type { SurveyLiveChart, SurveyLiveCounter } from '../../widget/survey-live.js';
import { contrast, liveServer, mount, part, plain, textOf, unmountAll, until as untilWithin } from './support/helpers.js';

type ChartJs = typeof import('chart.js');

/** A deadline for a busy machine (load 10–30), not a speed goal. */
const until = <T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000) => untilWithin(check, what, timeoutMs);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** YYYY-MM-DD of an instant in Europe/Stockholm (the server's default TIMEZONE). */
const stockholmDate = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(at);
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

describe('campaign history in the widgets', () => {
  let server: string;
  let Chart: ChartJs['Chart'];
  before(async () => {
    server = await liveServer.url();
    ({ Chart } = await import('chart.js'));
  });
  afterEach(unmountAll);

  const chartElement = (attributes: string) => mount<SurveyLiveChart>(`<survey-live-chart server="${server}" ${attributes}></survey-live-chart>`);
  const counter = (attributes: string) => mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" ${attributes}></survey-live-counter>`);
  const drawnChart = (element: SurveyLiveChart) => until(() => Chart.getChart(element.shadowRoot!.querySelector('canvas')!), 'the chart to be drawn');
  const marks = (chart: NonNullable<ReturnType<ChartJs['Chart']['getChart']>>) =>
    (chart.options.plugins as unknown as { surveyLiveMarks: HistoryMarks }).surveyLiveMarks;

  async function addEvent(surveyId: string, event: { at: string; kind: string; label: string; areaIds?: string[] }): Promise<void> {
    const { status, body } = await liveServer.admin('POST', `/surveys/${surveyId}/events`, event);
    expect(status, JSON.stringify(body)).to.equal(201);
  }

  /**
   * Last year's campaign (closed, imported through the history endpoint: 15 responses on each of
   * its first four days, of 150 handed out: 10, 20, 30, 40 %) and this year's, three days open,
   * comparing with it.
   */
  async function campaigns(): Promise<{ surveyId: string; statsToken: string; opensAt: number; handOut: (norr: number) => Promise<void> }> {
    const previousId = `widget-prev-${Math.random().toString(36).slice(2, 8)}`;
    const areas = [
      { id: 'norr', name: 'Norra området', distributed: 100 },
      { id: 'soder', name: 'Södra området', distributed: 50 },
    ];
    await liveServer.createSurvey({
      id: previousId,
      areas,
      extra: { name: 'Hyresgästenkät 2025', opensAt: '2025-11-24T07:00:00Z', closesAt: '2025-12-20T17:00:00Z' },
    });
    const csv = 'date;areaId;responses\n2025-11-24;norr;15\n2025-11-25;norr;15\n2025-11-26;soder;15\n2025-11-27;norr;15\n';
    const imported = await liveServer.admin('POST', `/surveys/${previousId}/history`, csv, 'text/csv');
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    const opensAt = Date.now() - 3 * DAY - HOUR;
    const extra = { opensAt: new Date(opensAt).toISOString(), closesAt: new Date(Date.now() + 4 * DAY).toISOString(), compareTo: previousId };
    const { surveyId, statsToken } = await liveServer.createSurvey({ areas, extra });
    /** Changes Norr's hand-out count, as an admin does with a PUT. */
    const handOut = async (norr: number) => {
      const survey = {
        id: surveyId,
        name: 'Hyresgästenkät 2026',
        target: 0.6,
        textQuestions: ['comment'],
        ...extra,
        areas: [{ ...areas[0]!, distributed: norr }, areas[1]!],
      };
      const { status, body } = await liveServer.admin('PUT', `/surveys/${surveyId}`, survey);
      expect(status, JSON.stringify(body)).to.equal(200);
    };
    return { surveyId, statsToken, opensAt, handOut };
  }

  it('draws reminder rounds as labelled markers on the hourly timeline, live', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    // Five minutes into the hour three hours ago: every time below stays in the hour the test
    // names, whenever it runs (from now - 3 h, a run at hh:59:30 put the second round an hour on).
    const start = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR + 5 * 60_000;
    await liveServer.send({ surveyId, areaId: 'norr', submittedAt: new Date(start).toISOString() });
    await liveServer.send({ surveyId, areaId: 'norr' });
    await addEvent(surveyId, { at: new Date(start + HOUR).toISOString(), kind: 'phone', label: 'Telefonrunda Norr', areaIds: ['norr'] });
    const element = chartElement(`survey="${surveyId}" token="${statsToken}" kind="timeline" lang="sv"`);
    const chart = await drawnChart(element);
    await until(() => marks(chart).markers.length === 1, 'the marker');
    expect(marks(chart).markers).to.deep.equal([{ index: 1, label: 'Telefonrunda Norr' }]);
    expect(textOf(element, '[part~="legend"]')).to.contain('Påminnelseomgång');
    // In words too, for screen readers: when and what.
    expect(plain(element.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label'))).to.match(/ Påminnelser: (\S+ )?\d\d:\d\d Telefonrunda Norr\.$/);

    // A round added later reaches the chart with the next snapshot.
    await addEvent(surveyId, { at: new Date(start + 2 * HOUR + 60_000).toISOString(), kind: 'letter', label: 'Brev' });
    await until(() => marks(chart).markers.length === 2, 'the second marker');
    expect(marks(chart).markers[1]).to.deep.equal({ index: 2, label: 'Brev' });
    expect(Chart.getChart(element.shadowRoot!.querySelector('canvas')!)).to.equal(chart);
  });

  it('range="day": the whole survey by day through closing, last campaign on the same day as a second line, markers, today live', async () => {
    const { surveyId, statsToken, opensAt, handOut } = await campaigns();
    await liveServer.send({ surveyId, areaId: 'norr', count: 3, submittedAt: new Date(opensAt + 30 * 60_000).toISOString() });
    await liveServer.send({ surveyId, areaId: 'soder', count: 2 });
    await addEvent(surveyId, { at: new Date(opensAt + DAY).toISOString(), kind: 'door', label: 'Dörrknackning Norr', areaIds: ['norr'] });
    const element = chartElement(`survey="${surveyId}" token="${statsToken}" kind="timeline" range="day" lang="sv"`);
    const chart = await drawnChart(element);

    const first = stockholmDate(opensAt);
    const last = stockholmDate(Date.now() + 4 * DAY);
    const days = Math.round((Date.parse(last) - Date.parse(first)) / DAY) + 1;
    const today = Math.round((Date.parse(stockholmDate(Date.now())) - Date.parse(first)) / DAY);
    await until(() => chart.data.labels!.length === days, `${days} days, opening to closing`);
    const bars = chart.data.datasets[0]!.data as (number | null)[];
    expect(bars[0]).to.equal(3);
    expect(bars[today]).to.equal(2);
    // Days still to come have no bar.
    expect(bars.slice(today + 1).every((bar) => bar === null)).to.equal(true);
    // This year's cumulative rate, and last year's on the same day since its opening.
    expect(chart.data.datasets[1]!.data[today]).to.equal(3.3);
    expect(chart.data.datasets[2]!.label).to.equal('Hyresgästenkät 2025, samma dag');
    expect(chart.data.datasets[2]!.data.slice(0, 4)).to.deep.equal([10, 20, 30, 40]);
    expect(marks(chart).markers).to.deep.equal([
      { index: Math.round((Date.parse(stockholmDate(opensAt + DAY)) - Date.parse(first)) / DAY), label: 'Dörrknackning Norr' },
    ]);
    expect(textOf(element, '[part~="legend"]')).to.equal('Svar per dagSvarsfrekvens (totalt)Hyresgästenkät 2025, samma dagPåminnelseomgångmål 60 %');
    const summary = plain(element.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label'));
    expect(summary).to.match(/^Svar dag för dag: 5 svar, svarsfrekvens 3,3 %, mål 60 %\. Hyresgästenkät 2025 hade \d+(,\d)? % samma dag\. Påminnelser: /);
    expect(summary).to.contain('Dörrknackning, Dörrknackning Norr');

    // Today's point follows the live snapshots.
    await liveServer.send({ surveyId, areaId: 'norr', count: 4 });
    await until(() => (chart.data.datasets[0]!.data as number[])[today] === 6, "today's bar from the live snapshot");
    expect(chart.data.datasets[1]!.data[today]).to.equal(6);
    expect(Chart.getChart(element.shadowRoot!.querySelector('canvas')!)).to.equal(chart);

    // New hand-out counts change every rate: the series is fetched again, and today's rate uses the new count.
    const fetches = () => performance.getEntriesByType('resource').filter((entry) => entry.name.includes(`/surveys/${surveyId}/daily`)).length;
    const before = fetches();
    await handOut(50);
    await until(() => fetches() > before, 'the daily series fetched again');
    await until(() => chart.data.datasets[1]!.data[today] === 9, "today's rate of 9 answers over 100 handed out");
    // Plus the dates as labels, in the element's language.
    expect(chart.data.labels![0]).to.equal(new Intl.DateTimeFormat('sv', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.parse(first)));
    expect(chart.data.labels!.at(-1)).to.equal(
      new Intl.DateTimeFormat('sv', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.parse(plusDays(first, days - 1))),
    );
  });

  it('the counter says how far ahead of (or behind) the last campaign it is on the same day, in percentage points', async () => {
    const { surveyId, statsToken } = await campaigns();
    await liveServer.send({ surveyId, areaId: 'norr', count: 40 });
    await liveServer.send({ surveyId, areaId: 'soder', count: 10 });
    const sv = counter(`survey="${surveyId}" token="${statsToken}" lang="sv"`);
    const en = counter(`survey="${surveyId}" token="${statsToken}" lang="en"`);
    const area = counter(`survey="${surveyId}" token="${statsToken}" area="soder" lang="sv"`);
    let snapshot: SurveySnapshot | undefined;
    sv.addEventListener('survey-live-update', (event) => {
      snapshot = (event as CustomEvent<{ snapshot: SurveySnapshot }>).detail.snapshot;
    });
    await until(() => textOf(sv, '[part~="comparison"]'), 'the comparison line');
    const comparison = snapshot!.comparison as Comparison;
    expect(comparison.name).to.equal('Hyresgästenkät 2025');
    expect(comparison.day).to.equal(3);
    const points = (now: number, then: number) => Math.round((now - then) * 1000) / 10;
    const expected = points(snapshot!.responseRate!, comparison.sameDay.responseRate!);
    const signed = (lang: string, value: number) =>
      new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
    expect(textOf(sv, '[part~="comparison"]')).to.equal(plain(`${signed('sv', expected)} p.e. mot samma dag 2025`));
    await until(() => textOf(en, '[part~="comparison"]'), 'the English line');
    expect(textOf(en, '[part~="comparison"]')).to.equal(`${signed('en', expected)} pp vs same day 2025`);
    // One area: against that area's rate on the same day.
    await until(() => textOf(area, '[part~="comparison"]'), "the area's line");
    const soder = comparison.areas.find((candidate) => candidate.id === 'soder')!;
    expect(textOf(area, '[part~="comparison"]')).to.equal(plain(`${signed('sv', points(10 / 50, soder.sameDayRate!))} p.e. mot samma dag 2025`));
    // Readable: the line has the detail's muted colour, AA on the card.
    const line = part(sv, 'comparison')!;
    const card = part(sv, 'base')!;
    expect(contrast(getComputedStyle(line).color, getComputedStyle(card).backgroundColor)).to.be.greaterThan(4.5);
  });

  it('a survey without an earlier campaign has no comparison line', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr' });
    const element = counter(`survey="${surveyId}" token="${statsToken}" lang="sv"`);
    await until(() => textOf(element, '[part~="value"]') === '1 svar', 'the count');
    expect(part(element, 'comparison')).to.equal(null);
  });

  it("the areas chart has a tick at each area's same-day rate of the last campaign", async () => {
    const { surveyId, statsToken } = await campaigns();
    await liveServer.send({ surveyId, areaId: 'soder', count: 25 });
    await liveServer.send({ surveyId, areaId: 'norr', count: 10 });
    const element = chartElement(`survey="${surveyId}" token="${statsToken}" kind="areas" lang="sv"`);
    let snapshot: SurveySnapshot | undefined;
    element.addEventListener('survey-live-update', (event) => {
      snapshot = (event as CustomEvent<{ snapshot: SurveySnapshot }>).detail.snapshot;
    });
    const chart = await drawnChart(element);
    await until(() => marks(chart).ticks.length === 2 && snapshot?.comparison, 'the ticks');
    expect(chart.data.labels).to.deep.equal(['Södra området', 'Norra området']);
    const then = new Map(snapshot!.comparison!.areas.map((area) => [area.id, area.sameDayRate]));
    const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10);
    expect(marks(chart).ticks).to.deep.equal([percent(then.get('soder')), percent(then.get('norr'))]);
    expect(marks(chart).ticks.every((tick) => tick !== null)).to.equal(true);
    expect(textOf(element, '[part~="legend"]')).to.contain('Hyresgästenkät 2025, samma dag');
    expect(plain(element.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label'))).to.contain('(Hyresgästenkät 2025, samma dag ');
  });
});
