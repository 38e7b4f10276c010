/**
 * The lazily loaded half of <survey-live-pace>, <survey-live-call-list> and <survey-live-index>:
 * their words and markup, in one chunk shared by the three, so the entry stays within budget.
 * Lit's `html` comes in with the context, from the entry: imported here, the build would move
 * Lit into a chunk of its own that every page then loads as a second request.
 */
import type { html as litHtml, TemplateResult } from 'lit';
import type { AreaStats, IndexValue, SurveySnapshot } from '../../../shared/schemas.js';
import type { Formatters } from '../../format.js';
import type { Lang } from '../../i18n.js';
import { callListStyles } from '../call-list/styles.js';
import { indexStyles } from '../index/styles.js';
import { paceStyles } from '../pace/styles.js';
import { sheetOf } from './css.js';
import { campaignName, type DateFormats, dateFormatsFor, type SteeringMessages, signedPoints, steeringMessagesFor } from './steering-i18n.js';

export interface SteeringContext {
  html: typeof litHtml;
  lang: Lang;
  snapshot: SurveySnapshot;
  format: Formatters;
  areaName: (area: Pick<AreaStats, 'id' | 'name'>) => string;
  now?: number;
}

let sheets: Record<'pace' | 'callList' | 'index', CSSStyleSheet> | undefined;
/** Each element's own styles, made on first use (the chunk may load where there is no document yet). */
export function sheetFor(kind: 'pace' | 'callList' | 'index'): CSSStyleSheet {
  sheets ??= { pace: sheetOf(paceStyles), callList: sheetOf(callListStyles), index: sheetOf(indexStyles) };
  return sheets[kind];
}

const cache = new Map<Lang, { t: SteeringMessages; dates: DateFormats }>();
export function wordsFor(lang: Lang): { t: SteeringMessages; dates: DateFormats } {
  let words = cache.get(lang);
  if (!words) {
    words = { t: steeringMessagesFor(lang), dates: dateFormatsFor(lang) };
    cache.set(lang, words);
  }
  return words;
}

/** "Opens in 3 days", "12 days left", "Closed 4 Nov: final result"; empty without dates. */
export function stateText({ lang, snapshot, now = Date.now() }: Pick<SteeringContext, 'lang' | 'snapshot' | 'now'>): string {
  const { t, dates } = wordsFor(lang);
  const daysTo = (iso: string) => Math.max(0, (Date.parse(iso) - now) / 86_400_000);
  if (snapshot.state === 'scheduled' && snapshot.opensAt) return t.opens(dates.inDays(daysTo(snapshot.opensAt)));
  if (snapshot.state === 'closed' && snapshot.closesAt) return t.closed(dates.date(snapshot.closesAt));
  return snapshot.closesAt ? t.left(dates.days(daysTo(snapshot.closesAt))) : '';
}

/**
 * "+4.1 pp vs same day 2025": the response rate (the survey's, or the area's) minus the earlier
 * campaign's on the same day since its own opening, in percentage points; empty without a
 * comparison or when either side has no rate.
 */
export function comparisonText({ lang, snapshot }: Pick<SteeringContext, 'lang' | 'snapshot'>, area: string): string {
  const { comparison } = snapshot;
  if (!comparison) return '';
  const own = area ? snapshot.areas.find((candidate) => candidate.id === area)?.responseRate : snapshot.responseRate;
  const then = area ? comparison.areas.find((candidate) => candidate.id === area)?.sameDayRate : comparison.sameDay.responseRate;
  if (own === null || own === undefined || then === null || then === undefined) return '';
  const points = Math.round((own - then) * 1000) / 10;
  return wordsFor(lang).t.vsSameDay(signedPoints(lang, points), campaignName(comparison.name));
}

/** "At this pace 58 % by 15 Oct, target 65 %: 41 more answers a day needed, now 29". */
export function paceText({ lang, snapshot, format }: SteeringContext, figures: Pick<AreaStats, 'pace' | 'responseRate'>): string {
  const { t, dates } = wordsFor(lang);
  const { pace } = figures;
  const perDay = (n: number) => format.number(Math.round(n));
  const target = format.percent(pace.target);
  if (snapshot.state === 'closed') return t.final(format.percent(figures.responseRate), target);
  if (!snapshot.closesAt) return t.noClose(perDay(pace.recentPerDay), target);
  const line = t.atThisPace(format.percent(pace.forecastRate), dates.date(snapshot.closesAt), target);
  return line + (pace.needed > 0 ? t.perDayNeeded(perDay(Math.ceil(pace.neededPerDay ?? 0)), perDay(pace.recentPerDay)) : t.targetReached);
}

export function paceBody(context: SteeringContext, figures: Pick<AreaStats, 'pace' | 'responseRate'>): TemplateResult {
  const { html } = context;
  const { t } = wordsFor(context.lang);
  const { onTrack } = figures.pace;
  // State and verdict change rarely and matter: announced. The forecast's numbers change with every answer: not.
  return html`<div aria-live="polite" aria-atomic="true">
      <p class="state" part="state">${stateText(context)}</p>
      ${context.snapshot.state === 'closed' ? '' : html`<p class="verdict" part="verdict" data-on-track=${String(onTrack)}>${onTrack ? t.onTrack : t.behind}</p>`}
    </div>
    <p class="forecast" part="forecast">${paceText(context, figures)}</p>`;
}

export function callListBody(context: SteeringContext, limit: number): TemplateResult {
  const { t } = wordsFor(context.lang);
  const { snapshot, format, html } = context;
  const byId = new Map(snapshot.areas.map((area) => [area.id, area]));
  const behind = snapshot.callList
    .map((id) => byId.get(id))
    .filter((area): area is AreaStats => area !== undefined && !area.pace.onTrack)
    .slice(0, Math.max(1, limit || 10));
  if (behind.length === 0) return html`<p class="message" part="empty">${t.allOnTrack}</p>`;
  const perDay = (n: number | null) => (n === null ? '–' : format.number(Math.ceil(n)));
  return html`<ol class="list" part="list">
    ${behind.map(
      (area) => html`<li class="item" part="item">
        <span class="name" part="name">${context.areaName(area)}</span>
        <span class="rate" part="rate">${format.percent(area.responseRate)}</span>
        <span class="needed" part="needed">${t.callItem(format.number(area.pace.needed), perDay(area.pace.neededPerDay))}</span>
      </li>`,
    )}
  </ol>`;
}

/** The value in words: the number, "hidden" with why, or "no answers yet". */
function indexValue({ lang, snapshot, format, html }: SteeringContext, value: IndexValue | undefined, responses: number) {
  const { t } = wordsFor(lang);
  if (value && value.value !== null) return format.number(value.value);
  if (responses > 0 && responses < snapshot.minGroupSize) return html`<span class="why" part="hidden">${t.indexHidden(snapshot.minGroupSize)}</span>`;
  return html`<span class="why">${t.noAnswers}</span>`;
}

export function indexBody(context: SteeringContext, index: string, by: string, area: string): TemplateResult {
  const { t } = wordsFor(context.lang);
  const { snapshot, format, html } = context;
  if (!(index in snapshot.indexes)) return html`<p class="message error" part="error" role="alert">${t.unknownIndex(index)}</p>`;
  if (by === 'area') {
    return html`<table part="table">
      <thead>
        <tr><th scope="col">${t.area}</th><th scope="col">0–100</th><th scope="col">n</th></tr>
      </thead>
      <tbody>
        ${snapshot.areas.map(
          (row) => html`<tr>
            <th scope="row">${context.areaName(row)}</th>
            <td part="value">${indexValue(context, row.indexes[index], row.responses)}</td>
            <td part="n">${format.number(row.indexes[index]?.n ?? 0)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
  const one = area ? snapshot.areas.find((candidate) => candidate.id === area) : snapshot;
  if (!one) return html``;
  const value = one.indexes[index];
  return html`<p class="value" part="value"><span class="number">${indexValue(context, value, one.responses)}</span></p>
    <p class="n" part="n">${t.answers(format.number(value?.n ?? 0))}</p>`;
}
