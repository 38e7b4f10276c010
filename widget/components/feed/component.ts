import { html, type PropertyValues } from 'lit';
import type { TextAnswer } from '../../../shared/schemas.js';
import { LiveElement } from '../base/live-element.js';
import { cardStyles, themeStyles } from '../base/styles.js';
import { feedStyles } from './styles.js';

/**
 * Free-text answers as they arrive, newest first, each with its area (unless the server hides it
 * to protect a small group) and how long ago it came.
 * Answers are shown as text, never as HTML. New answers slide in (not with reduced motion);
 * an answer deleted on the server disappears.
 *
 * @element survey-live-feed
 *
 * @attr max-items - How many answers to show at most (default 20).
 * @attr server - Base URL of the survey-live server; defaults to where the script was loaded from.
 * @attr survey - Id of the survey (required).
 * @attr area - Id of one area: only its answers are shown.
 * @attr token - A read token with the `text` scope (free text is never public).
 * @attr lang - `sv` or `en`; defaults to the page's language, then Swedish.
 * @attr theme - `light` (default), `dark` or `auto` (follows the viewer's system setting).
 *
 * @fires survey-live-update - New data arrived; `detail.snapshot` is the survey's snapshot.
 * @fires survey-live-error - The server refused the subscription; `detail` is `{ code, message }`.
 *
 * @csspart base - The card.
 * @csspart header - Title and status row.
 * @csspart title - The feed's title.
 * @csspart status - The connection status badge.
 * @csspart list - The list of answers.
 * @csspart item - One answer.
 * @csspart text - The answer's text.
 * @csspart meta - The answer's area and time.
 * @csspart empty - Shown while there are no answers.
 * @csspart message - Loading text.
 * @csspart error - What went wrong, in words.
 *
 * @cssproperty --survey-live-accent - The answers' edge colour. Light #0b5fb8, dark #5eb1ff.
 * @cssproperty --survey-live-background - Card background. Light #ffffff, dark #111418.
 * @cssproperty --survey-live-text - Main text colour. Light #1b1f24, dark #f2f4f7.
 * @cssproperty --survey-live-muted - Secondary text colour. Light #52606d, dark #a7b1bc.
 * @cssproperty --survey-live-border - Card border colour. Light #d8dde3, dark #2a3139.
 * @cssproperty --survey-live-font - Font family. Defaults to the system UI font.
 * @cssproperty --survey-live-radius - Card corner radius. Defaults to 12px.
 * @cssproperty --survey-live-padding - Card padding. Grows with the card's width.
 */
export class SurveyLiveFeed extends LiveElement {
  static override styles = [themeStyles, cardStyles, feedStyles];
  static override properties = { maxItems: { type: Number, attribute: 'max-items' } };

  declare maxItems: number;

  /** Answers already on screen: any other answer is new and slides in. */
  #shown = new Set<string>();
  #primed = false;

  constructor() {
    super({ texts: true, renderOn: ['stats', 'texts'] });
    this.maxItems = 20;
    this.showsRelativeTimes = true;
  }

  get #items(): readonly TextAnswer[] {
    const all = this.live.state.texts;
    const mine = this.area ? all.filter((text) => text.areaId === this.area) : all;
    return mine.slice(0, Math.max(1, this.maxItems || 20));
  }

  override render() {
    const { t } = this;
    const problem = this.renderProblem();
    const items = problem ? [] : this.#items;
    const areas = this.live.state.snapshot?.areas ?? [];
    const now = Date.now();
    return html`<section class="card" part="base" aria-label=${t.texts}>
      <div class="header" part="header">
        <p class="title" part="title">${t.texts}</p>
        ${this.renderStatus()}
      </div>
      ${
        problem ??
        (items.length === 0
          ? html`<p class="message" part="empty">${t.noTexts}</p>`
          : html`<ol class="list" part="list" aria-label=${t.textsLabel}>
              ${items.map(
                (item) =>
                  html`<li class="item" part="item" data-id=${item.id}>
                    <p class="text" part="text">${item.text}</p>
                    <p class="meta" part="meta">
                      ${item.areaId ? this.areaName(areas.find((area) => area.id === item.areaId)) : t.smallArea(this.live.state.snapshot?.minGroupSize ?? 5)} · <time datetime=${item.receivedAt}
                        >${this.format.relative(item.receivedAt, now)}</time
                      >
                    </p>
                  </li>`,
              )}
            </ol>`)
      }
    </section>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const rows = [...this.renderRoot.querySelectorAll<HTMLElement>('.item')];
    // The first list is shown as it is; answers that arrive later slide in, unless motion is reduced.
    const animate = this.#primed && !matchMedia('(prefers-reduced-motion: reduce)').matches;
    for (const row of rows) {
      if (animate && !this.#shown.has(row.dataset.id!)) {
        row.animate(
          [
            { opacity: 0, transform: 'translateY(-0.75rem)', background: 'color-mix(in srgb, var(--_accent) 18%, var(--_bg))' },
            { opacity: 1, transform: 'none' },
          ],
          { duration: 500, easing: 'ease-out' },
        );
      }
    }
    if (this.live.state.snapshot) this.#primed = true;
    this.#shown = new Set(this.live.state.texts.map((text) => text.id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'survey-live-feed': SurveyLiveFeed;
  }
}
