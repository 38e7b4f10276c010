import { html } from 'lit';
import { LiveElement } from '../base/live-element.js';
import { cardStyles, themeStyles } from '../base/styles.js';
import { steeringView } from '../steering/lazy.js';

/**
 * The areas behind pace, most behind first (the snapshot's `callList`): for staff choosing whom
 * to phone or visit next, with the answers each still needs and how many a day. Counts only, so
 * small areas are named too.
 *
 * @element survey-live-call-list
 *
 * @attr server - Base URL of the survey-live server; defaults to where the script was loaded from.
 * @attr survey - Id of the survey (required).
 * @attr limit - Show at most this many areas (default 10).
 * @attr token - A read token with the `stats` scope (not needed when the server has PUBLIC_STATS).
 * @attr lang - `sv` or `en`; defaults to the page's language, then Swedish.
 * @attr theme - `light` (default), `dark` or `auto` (follows the viewer's system setting).
 *
 * @fires survey-live-update - New data arrived; `detail.snapshot` is the survey's snapshot.
 * @fires survey-live-error - The server refused the subscription; `detail` is `{ code, message }`.
 *
 * @csspart base - The card.
 * @csspart header - Title and status row.
 * @csspart title - The list's title.
 * @csspart status - The connection status badge.
 * @csspart list - The ordered list of areas.
 * @csspart item - One area.
 * @csspart name - The area's name.
 * @csspart rate - Its response rate.
 * @csspart needed - Answers still needed for its target, and how many a day.
 * @csspart empty - "Every area is on pace."
 * @csspart message - Loading text.
 * @csspart error - What went wrong, in words.
 *
 * @cssproperty --survey-live-behind - The mark beside each area. Light #b42318, dark #ff8b80.
 * @cssproperty --survey-live-background - Card background. Light #ffffff, dark #111418.
 * @cssproperty --survey-live-text - Main text colour. Light #1b1f24, dark #f2f4f7.
 * @cssproperty --survey-live-muted - Secondary text colour. Light #52606d, dark #a7b1bc.
 * @cssproperty --survey-live-border - Card border colour. Light #d8dde3, dark #2a3139.
 * @cssproperty --survey-live-font - Font family. Defaults to the system UI font.
 * @cssproperty --survey-live-radius - Card corner radius. Defaults to 12px.
 * @cssproperty --survey-live-padding - Card padding. Grows with the card's width.
 */
export class SurveyLiveCallList extends LiveElement {
  static override styles = [themeStyles, cardStyles];
  static override properties = { limit: { type: Number } };

  declare limit: number;

  constructor() {
    super({ renderOn: ['stats'] });
    this.limit = 10;
  }

  override render() {
    const { t } = this;
    const snapshot = this.live.state.snapshot;
    const problem = this.renderProblem();
    const view = problem ? undefined : steeringView(this, 'callList');
    return html`<section class="card" part="base" aria-label=${t.callList}>
      <div class="header" part="header">
        <p class="title" part="title">${t.callList}${snapshot ? html`<span class="subtitle">${snapshot.name}</span>` : ''}</p>
        ${this.renderStatus()}
      </div>
      ${
        problem ??
        (view
          ? view.callListBody({ html, lang: this.langCode, snapshot: snapshot!, format: this.format, areaName: (area) => this.areaName(area) }, this.limit)
          : html`<p class="message" part="message">${t.loading}</p>`)
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'survey-live-call-list': SurveyLiveCallList;
  }
}
