/**
 * The campaign report (/report/:surveyId?token=…): fills the server's skeleton from the REST API
 * with the page's read token: the headline figures (responses, rate, target, forecast, against
 * the last campaign), the area table and the reminder rounds with their effect. The daily curve
 * is the widget's `<survey-live-chart range="day">`, in the page already. Made to be printed:
 * pages/styles/report.css lays it out on A4. When everything is drawn, <html> gets
 * `data-ready="true"` (what a PDF printer waits for).
 */
import { UNASSIGNED_AREA_ID, UNASSIGNED_AREA_NAME } from '../../shared/constants.js';
import type { DailySeries, SurveyEventWithEffect, SurveySnapshot } from '../../shared/schemas.js';
import { chartMessagesFor } from '../../widget/components/chart/chart-i18n.js';
import { campaignName, signedPoints, steeringMessagesFor } from '../../widget/components/steering/steering-i18n.js';
import { formattersFor } from '../../widget/format.js';
import { messagesFor } from '../../widget/i18n.js';
import { serverRoot } from '../shared/read-token.js';
import { type ReportWords, reportWordsFor } from './words.js';

const root = document.documentElement;
const lang = root.lang === 'en' ? 'en' : 'sv';
const locale = lang === 'en' ? 'en-GB' : 'sv';
const words = reportWordsFor(lang);
const format = formattersFor(lang);
/** Rates in the area table with one decimal each, so a column lines up (18,0 % above 17,5 %). */
const rateFormat = new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const tableRate = (rate: number | null | undefined) => (rate === null || rate === undefined ? '–' : rateFormat.format(rate));
const chartWords = chartMessagesFor(lang, messagesFor(lang));
const { survey = '', token = '' } = document.body.dataset;
const api = new URL(`api/v1/surveys/${encodeURIComponent(survey)}/`, serverRoot(import.meta.url));

const slot = <T extends HTMLElement = HTMLElement>(name: string) => document.querySelector<T>(`[data-report="${name}"]`)!;

/** An element with text or child nodes; every value goes in as text, never as markup. */
function el(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

class ReadError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function read<T>(path: string): Promise<T> {
  const res = await fetch(new URL(path, api), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ReadError(res.status);
  return (await res.json()) as T;
}

/** Percentage points with a sign, against the earlier campaign's rate; empty when either has none. */
function pointsAgainst(now: number | null, then: number | null | undefined): string {
  if (now === null || then === null || then === undefined) return '';
  return signedPoints(lang, Math.round((now - then) * 1000) / 10);
}

function renderHead(snapshot: SurveySnapshot, timezone: string): void {
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: timezone });
  const stamp = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: timezone });
  document.title = `${snapshot.name} · ${words.kicker}`;
  slot('kicker').textContent = words.kicker;
  slot('title').textContent = snapshot.name;
  const period =
    snapshot.opensAt && snapshot.closesAt ? words.period(date.format(Date.parse(snapshot.opensAt)), date.format(Date.parse(snapshot.closesAt))) : '';
  slot('meta').textContent = [words.state[snapshot.state], period].filter(Boolean).join(' · ');
  slot('foot').textContent = words.generated(stamp.format(Date.now()));
}

function figure(term: string, value: string, detail: string, wide = false): HTMLElement {
  return el(
    'div',
    { class: wide ? 'report-figure wide' : 'report-figure' },
    el('dt', {}, term),
    el('dd', { class: 'report-value' }, value),
    el('dd', { class: 'report-detail' }, detail),
  );
}

function renderFigures(snapshot: SurveySnapshot, timezone: string): void {
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: timezone });
  const { pace, comparison } = snapshot;
  const closed = snapshot.state === 'closed';
  const list = slot('figures');
  list.replaceChildren(
    figure(words.responses, format.number(snapshot.responses), words.ofDistributed(format.number(snapshot.distributed))),
    figure(closed ? words.finalResult : words.responseRate, format.percent(snapshot.responseRate), ''),
    figure(words.target, format.percent(snapshot.target), words.targetResponses(format.number(pace.targetResponses))),
  );
  if (!closed && snapshot.closesAt) {
    list.append(
      figure(
        words.forecast,
        format.percent(pace.forecastRate),
        words.forecastDetail(format.number(Math.round(pace.forecastResponses)), date.format(Date.parse(snapshot.closesAt))),
      ),
    );
  }
  if (comparison) {
    // As the counter says it: against the earlier campaign on the same day since opening.
    const points = pointsAgainst(snapshot.responseRate, comparison.sameDay.responseRate);
    const line = points ? steeringMessagesFor(lang).vsSameDay(points, campaignName(comparison.name)) : '–';
    list.append(
      figure(
        words.vsLast,
        line,
        words.lastDetail(comparison.name, format.percent(comparison.sameDay.responseRate), format.percent(comparison.final.responseRate)),
        true,
      ),
    );
  } else {
    list.append(figure(words.vsLast, '–', words.noComparison, true));
  }
}

function renderAreas(snapshot: SurveySnapshot): void {
  const { comparison } = snapshot;
  const campaign = comparison ? campaignName(comparison.name) : '';
  const then = new Map(comparison?.areas.map((area) => [area.id, area]));
  const areaName = (area: { id: string; name: string }) => (area.id === UNASSIGNED_AREA_ID ? UNASSIGNED_AREA_NAME[lang] : area.name);
  const number = (value: string) => el('td', { class: 'num' }, value);
  const head = [
    words.area,
    words.distributed,
    words.responses,
    words.responseRate,
    words.target,
    ...(comparison ? [words.sameDay(campaign), words.final(campaign)] : []),
  ];
  const rows = [...snapshot.areas]
    .sort((a, b) => (b.responseRate ?? -1) - (a.responseRate ?? -1) || a.name.localeCompare(b.name, locale))
    .map((area) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, areaName(area)),
        number(format.number(area.distributed)),
        number(format.number(area.responses)),
        number(tableRate(area.responseRate)),
        number(format.percent(area.target ?? snapshot.target)),
        ...(comparison ? [number(tableRate(then.get(area.id)?.sameDayRate)), number(tableRate(then.get(area.id)?.finalRate))] : []),
      ),
    );
  const total = el(
    'tr',
    {},
    el('th', { scope: 'row' }, words.total),
    number(format.number(snapshot.distributed)),
    number(format.number(snapshot.responses)),
    number(tableRate(snapshot.responseRate)),
    number(format.percent(snapshot.target)),
    ...(comparison ? [number(tableRate(comparison.sameDay.responseRate)), number(tableRate(comparison.final.responseRate))] : []),
  );
  slot('areas').replaceChildren(
    el('thead', {}, el('tr', {}, ...head.map((text, i) => el('th', { scope: 'col', ...(i > 0 ? { class: 'num' } : {}) }, text)))),
    el('tbody', {}, ...rows),
    el('tfoot', {}, total),
  );
}

function renderEvents(events: SurveyEventWithEffect[], snapshot: SurveySnapshot, timezone: string): void {
  const when = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: timezone });
  const names = new Map(snapshot.areas.map((area) => [area.id, area.name]));
  const box = slot('events');
  if (events.length === 0) {
    box.replaceChildren(el('p', {}, words.noEvents));
    return;
  }
  const signed = new Intl.NumberFormat(locale, { signDisplay: 'exceptZero' });
  const head = [words.date, words.kind, words.what, words.where, words.before, words.after, words.effect];
  const rows = [...events]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((event) =>
      el(
        'tr',
        {},
        el('td', { class: 'nowrap' }, when.format(Date.parse(event.at))),
        el('td', { class: 'nowrap' }, chartWords.eventKind(event.kind)),
        el('th', { scope: 'row' }, event.label),
        el('td', {}, event.areaIds?.map((id) => names.get(id) ?? id).join(', ') || words.allAreas),
        el('td', { class: 'num' }, format.number(event.effect.before)),
        el('td', { class: 'num' }, format.number(event.effect.after)),
        el('td', { class: 'num' }, signed.format(event.effect.after - event.effect.before)),
      ),
    );
  box.replaceChildren(
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...head.map((text, i) => el('th', { scope: 'col', ...(i > 3 ? { class: 'num' } : {}) }, text)))),
      el('tbody', {}, ...rows),
    ),
    el('p', { class: 'report-note' }, words.eventsNote),
  );
}

function headings(w: ReportWords): void {
  const set = (id: string, text: string) => {
    document.getElementById(id)!.textContent = text;
  };
  set('report-figures', w.figures);
  set('report-curve', w.curve);
  set('report-areas', w.areas);
  set('report-events', w.events);
  const print = slot<HTMLButtonElement>('print');
  print.textContent = w.print;
  print.hidden = false;
  print.addEventListener('click', () => window.print());
}

/** Resolves once the chart element has drawn (its legend is there), and two frames later (the canvas painted). */
async function chartDrawn(): Promise<void> {
  const chart = document.querySelector('survey-live-chart');
  if (!chart) return;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (chart.shadowRoot?.querySelector('[part~="legend"], [part~="error"]')) resolve();
      else setTimeout(check, 100);
    };
    check();
  });
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

async function main(): Promise<void> {
  headings(words);
  let snapshot: SurveySnapshot;
  try {
    snapshot = await read<SurveySnapshot>('stats');
  } catch (error) {
    const status = error instanceof ReadError ? error.status : 0;
    const problem = slot('problem');
    problem.textContent = status === 401 || status === 403 || status === 404 ? words.problem[status] : words.problem.other;
    problem.hidden = false;
    root.dataset.ready = 'true';
    return;
  }
  // The survey's time zone comes with its daily series; the browser's when the server has none.
  const [daily, events] = await Promise.all([
    read<DailySeries>('daily').catch(() => undefined),
    read<{ events: SurveyEventWithEffect[] }>('events').catch(() => undefined),
  ]);
  const timezone = daily?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  renderHead(snapshot, timezone);
  renderFigures(snapshot, timezone);
  const caption = el('p', { class: 'report-caption' }, words.curveCaption(daily?.previous?.name ?? snapshot.comparison?.name ?? ''));
  document.querySelector('.report-curve')!.append(caption);
  renderAreas(snapshot);
  renderEvents(events?.events ?? [], snapshot, timezone);
  await chartDrawn();
  root.dataset.ready = 'true';
}

void main();
