import { html } from 'lit';
import { LiveElement } from '../base/live-element.js';
import { cardStyles, themeStyles } from '../base/styles.js';
import { steeringView } from '../steering/lazy.js';

/**
 * An index (say, the safety index, trygghetsindex) on 0–100 with the number of answers behind
 * it, for the survey, one area (`area`), or every area (`by="area"`). Areas with fewer answers
 * than the server's MIN_GROUP_SIZE show no value, and say why.
 *
 * @element survey-live-index
 *
 * @attr server - Base URL of the survey-live server; defaults to where the script was loaded from.
 * @attr survey - Id of the survey (required).
 * @attr index - Id of the index (required), e.g. `safety`.
 * @attr by - `area` for a table with every area.
 * @attr area - Id of one area; without it (and without `by`), the whole survey.
 * @attr token - A read token with the `stats` scope (not needed when the server has PUBLIC_STATS).
 * @attr lang - `sv` or `en`; defaults to the page's language, then Swedish.
 * @attr theme - `light` (default), `dark` or `auto` (follows the viewer's system setting).
 *
 * @fires survey-live-update - New data arrived; `detail.snapshot` is the survey's snapshot.
 * @fires survey-live-error - The server refused the subscription; `detail` is `{ code, message }`.
 *
 * @csspart base - The card.
 * @csspart header - Title and status row.
 * @csspart title - The index's name.
 * @csspart status - The connection status badge.
 * @csspart value - The value (0–100), or the words for why there is none.
 * @csspart n - "n = 123": the answers behind the value.
 * @csspart table - With `by="area"`: one row per area.
 * @csspart hidden - Words saying a value is hidden to protect a small group.
 * @csspart message - Loading text.
 * @csspart error - What went wrong, in words.
 *
 * @cssproperty --survey-live-accent - The value's colour. Light #0b5fb8, dark #5eb1ff.
 * @cssproperty --survey-live-background - Card background. Light #ffffff, dark #111418.
 * @cssproperty --survey-live-text - Main text colour. Light #1b1f24, dark #f2f4f7.
 * @cssproperty --survey-live-muted - Secondary text colour. Light #52606d, dark #a7b1bc.
 * @cssproperty --survey-live-border - Card border and row lines. Light #d8dde3, dark #2a3139.
 * @cssproperty --survey-live-font - Font family. Defaults to the system UI font.
 * @cssproperty --survey-live-radius - Card corner radius. Defaults to 12px.
 * @cssproperty --survey-live-padding - Card padding. Grows with the card's width.
 */
export class SurveyLiveIndex extends LiveElement {
  static override styles = [themeStyles, cardStyles];
  static override properties = { index: {}, by: {} };

  declare index: string;
  declare by: string;

  constructor() {
    super({ renderOn: ['stats'] });
    this.index = '';
    this.by = '';
  }

  override render() {
    const { t } = this;
    const snapshot = this.live.state.snapshot;
    const name = snapshot?.indexNames?.[this.index] ?? this.index;
    const one = this.area ? snapshot?.areas.find((area) => area.id === this.area) : snapshot;
    const problem = this.renderProblem() ?? (one ? undefined : this.renderError(t.unknownArea(this.area)));
    const view = problem ? undefined : steeringView(this, 'index');
    const subtitle = this.area && one && 'id' in one ? this.areaName(one) : snapshot?.name;
    return html`<section class="card" part="base" aria-label=${name}>
      <div class="header" part="header">
        <p class="title" part="title">${name}${subtitle ? html`<span class="subtitle">${subtitle}</span>` : ''}</p>
        ${this.renderStatus()}
      </div>
      ${
        problem ??
        (view
          ? view.indexBody(
              { html, lang: this.langCode, snapshot: snapshot!, format: this.format, areaName: (area) => this.areaName(area) },
              this.index,
              this.by,
              this.area,
            )
          : html`<p class="message" part="message">${t.loading}</p>`)
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'survey-live-index': SurveyLiveIndex;
  }
}
