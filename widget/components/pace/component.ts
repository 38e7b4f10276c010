import { html } from 'lit';
import { LiveElement } from '../base/live-element.js';
import { cardStyles, themeStyles } from '../base/styles.js';
import { steeringView } from '../steering/lazy.js';

/**
 * Where the survey (or, with `area`, one area) is heading: its state and days left, the forecast
 * at closing against the target, and the answers a day needed against the recent pace. The
 * verdict (on track or behind) and the state are announced politely when they change.
 *
 * @element survey-live-pace
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
 * @csspart title - "Pace" and the survey's (or area's) name.
 * @csspart status - The connection status badge.
 * @csspart state - "12 days left", "Opens in 3 days" or "Closed 4 Nov: final result".
 * @csspart verdict - "On track" or "Behind" (carries `data-on-track`).
 * @csspart forecast - The forecast and the answers a day needed, in words.
 * @csspart message - Loading text.
 * @csspart error - What went wrong, in words.
 *
 * @cssproperty --survey-live-on-track - Verdict colour when on track. Light #1a7f37, dark #4ac26b.
 * @cssproperty --survey-live-behind - Verdict colour when behind. Light #b42318, dark #ff8b80.
 * @cssproperty --survey-live-background - Card background. Light #ffffff, dark #111418.
 * @cssproperty --survey-live-text - Main text colour. Light #1b1f24, dark #f2f4f7.
 * @cssproperty --survey-live-muted - Secondary text colour. Light #52606d, dark #a7b1bc.
 * @cssproperty --survey-live-border - Card border colour. Light #d8dde3, dark #2a3139.
 * @cssproperty --survey-live-font - Font family. Defaults to the system UI font.
 * @cssproperty --survey-live-radius - Card corner radius. Defaults to 12px.
 * @cssproperty --survey-live-padding - Card padding. Grows with the card's width.
 */
export class SurveyLivePace extends LiveElement {
  static override styles = [themeStyles, cardStyles];

  constructor() {
    super({ renderOn: ['stats'] });
    // "12 days left" counts down between snapshots too.
    this.showsRelativeTimes = true;
  }

  override render() {
    const { t } = this;
    const snapshot = this.live.state.snapshot;
    const figures = this.area ? snapshot?.areas.find((candidate) => candidate.id === this.area) : snapshot;
    const problem = this.renderProblem() ?? (figures ? undefined : this.renderError(t.unknownArea(this.area)));
    const name = this.area && figures && 'id' in figures ? this.areaName(figures) : snapshot?.name;
    const view = problem ? undefined : steeringView(this, 'pace');
    return html`<section class="card" part="base" aria-label=${t.pace}>
      <div class="header" part="header">
        <p class="title" part="title">${t.pace}${name ? html`<span class="subtitle">${name}</span>` : ''}</p>
        ${this.renderStatus()}
      </div>
      ${
        problem ??
        (view
          ? view.paceBody({ html, lang: this.langCode, snapshot: snapshot!, format: this.format, areaName: (area) => this.areaName(area) }, figures!)
          : html`<p class="message" part="message">${t.loading}</p>`)
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'survey-live-pace': SurveyLivePace;
  }
}
