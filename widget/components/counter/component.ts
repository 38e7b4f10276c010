import { html, type PropertyValues } from 'lit';
import { LiveElement } from '../base/live-element.js';
import { cardStyles, themeStyles } from '../base/styles.js';
import { steeringView } from '../steering/lazy.js';
import { counterStyles } from './styles.js';

/** Screen readers hear the count at most this often: a busy survey must not talk over everything. */
export const ANNOUNCE_EVERY_MS = 10_000;

/**
 * Responses so far, the response rate, a progress bar toward the target and "x of y handed out",
 * for the whole survey or, with `area`, for one area. The number is announced politely to
 * screen readers at most every 10 seconds.
 *
 * @element survey-live-counter
 *
 * @attr server - Base URL of the survey-live server; defaults to where the script was loaded from.
 * @attr survey - Id of the survey (required).
 * @attr area - Id of one area; without it, the whole survey.
 * @attr token - A read token with the `stats` scope (not needed when the server has PUBLIC_STATS).
 * @attr lang - `sv` or `en`; defaults to the page's language, then Swedish.
 * @attr theme - `light` (default), `dark` or `auto` (follows the viewer's system setting).
 *
 * @fires survey-live-update - New data arrived; `detail.snapshot` is the survey's snapshot.
 * @fires survey-live-error - The server refused the subscription; `detail` is `{ code, message }`.
 *
 * @csspart base - The card.
 * @csspart header - Title and status row.
 * @csspart title - The survey's (or area's) name.
 * @csspart status - The connection status badge.
 * @csspart value - The number of responses.
 * @csspart rate - The response rate.
 * @csspart progress - The progress bar's track.
 * @csspart progress-bar - The filled part of the progress bar.
 * @csspart progress-target - The target marker on the progress bar.
 * @csspart detail - "x of y handed out · target z".
 * @csspart comparison - "+4.1 pp vs same day 2025": against the earlier campaign (`compareTo`) on the same day since opening; only with a comparison.
 * @csspart message - Loading text.
 * @csspart error - What went wrong, in words.
 *
 * @cssproperty --survey-live-accent - Rate and progress colour. Light #0b5fb8, dark #5eb1ff.
 * @cssproperty --survey-live-background - Card background. Light #ffffff, dark #111418.
 * @cssproperty --survey-live-text - Main text colour. Light #1b1f24, dark #f2f4f7.
 * @cssproperty --survey-live-muted - Secondary text colour. Light #52606d, dark #a7b1bc.
 * @cssproperty --survey-live-border - Card border colour. Light #d8dde3, dark #2a3139.
 * @cssproperty --survey-live-font - Font family. Defaults to the system UI font.
 * @cssproperty --survey-live-radius - Card corner radius. Defaults to 12px.
 * @cssproperty --survey-live-padding - Card padding. Grows with the card's width.
 */
export class SurveyLiveCounter extends LiveElement {
  static override styles = [themeStyles, cardStyles, counterStyles];

  #announced = '';
  #latest = '';
  #announcedAt = 0;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super({ renderOn: ['stats'] });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#announceTimer);
    this.#announceTimer = undefined;
  }

  get #figures() {
    const snapshot = this.live.state.snapshot;
    if (!snapshot) return undefined;
    if (!this.area) return { ...snapshot, title: snapshot.name, subtitle: '' };
    const area = snapshot.areas.find((candidate) => candidate.id === this.area);
    return area && { ...area, title: this.areaName(area), subtitle: snapshot.name, target: area.target ?? snapshot.target };
  }

  override render() {
    const { t, format } = this;
    const figures = this.#figures;
    const problem = this.renderProblem() ?? (figures ? undefined : this.renderError(t.unknownArea(this.area)));
    this.#announce(figures && t.announce(format.number(figures.responses), format.percent(figures.responseRate)));
    return html`<section class="card" part="base" aria-label=${figures?.title ?? t.responseRate}>
      <div class="header" part="header">
        <p class="title" part="title">${figures?.title}${figures?.subtitle ? html`<span class="subtitle">${figures.subtitle}</span>` : ''}</p>
        ${this.renderStatus()}
      </div>
      ${problem ?? this.#renderFigures()}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.#announced}</div>
    </section>`;
  }

  #renderFigures() {
    const { t, format } = this;
    const { responses, distributed, responseRate, target } = this.#figures!;
    const percent = responseRate === null ? 0 : Math.min(100, Math.round(responseRate * 1000) / 10);
    const rateText = format.percent(responseRate);
    const targetText = t.target(format.percent(target));
    return html`<p class="value" part="value"><span class="number">${format.number(responses)}</span> <span class="unit">${t.responses}</span></p>
      <p class="rate-row"><span class="rate" part="rate">${rateText}</span> <span class="rate-label">${t.responseRate}</span></p>
      <div
        class="progress"
        part="progress"
        role="progressbar"
        aria-label=${t.responseRate}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${percent}
        aria-valuetext=${`${rateText}, ${targetText}`}
      >
        <div class="bar" part="progress-bar"></div>
        <div class="target" part="progress-target"></div>
      </div>
      <p class="detail" part="detail">
        ${distributed > 0 ? t.ofDistributed(format.number(responses), format.number(distributed)) : t.noneDistributed} · ${targetText}
      </p>
      ${this.#comparison()}`;
  }

  /** Against the earlier campaign on the same day; its words come with the steering chunk, loaded only when there is a comparison. */
  #comparison() {
    const snapshot = this.live.state.snapshot!;
    const line = snapshot.comparison && steeringView(this)?.comparisonText({ lang: this.langCode, snapshot }, this.area);
    return line ? html`<p class="detail" part="comparison">${line}</p>` : '';
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // Widths through the CSSOM, not a style attribute: pages with a strict CSP allow only the former.
    const figures = this.#figures;
    const bar = this.renderRoot.querySelector<HTMLElement>('.bar');
    if (!figures || !bar) return;
    bar.style.width = `${Math.min(100, (figures.responseRate ?? 0) * 100)}%`;
    this.renderRoot.querySelector<HTMLElement>('.target')!.style.left = `${Math.min(100, figures.target * 100)}%`;
  }

  /** Keeps the polite live region to one announcement per ANNOUNCE_EVERY_MS, always ending on the latest. */
  #announce(text: string | undefined): void {
    if (!text || text === this.#latest) return;
    this.#latest = text;
    if (this.#announceTimer) return;
    const wait = Math.max(0, this.#announcedAt + ANNOUNCE_EVERY_MS - Date.now());
    this.#announceTimer = setTimeout(() => {
      this.#announceTimer = undefined;
      if (this.#announced === this.#latest) return;
      this.#announced = this.#latest;
      this.#announcedAt = Date.now();
      this.requestUpdate();
    }, wait);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'survey-live-counter': SurveyLiveCounter;
  }
}
