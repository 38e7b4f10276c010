import { html, type PropertyValues } from 'lit';
import { LiveElement } from '../base/live-element.js';
import { cardStyles, themeStyles } from '../base/styles.js';
import type { ChartKind } from './chart-model.js';
import type { ChartModel, ChartRequest, ChartView } from './chart-view.js';
import { chartStyles } from './styles.js';

/**
 * A Chart.js chart of a survey. This element is small; the chart itself (Chart.js and the code
 * that feeds it) is a separate chunk, fetched only by pages that show a chart.
 * - `kind="timeline"`: responses per hour over the survey's last five weeks (or per minute of the
 *   last hour with `range="hour"`), the response rate so far as a line, the target as a dashed
 *   line and reminder rounds as labelled markers. `range="day"`: the whole survey day by day
 *   (GET …/daily with the element's token, fetched again when the day turns or hand-out counts
 *   change; today's point follows the live figures), with the earlier campaign's rate on the
 *   same day since opening as a dashed second line (`compareTo`), through closing day.
 * - `kind="areas"`: the response rate per area as bars, best first, with the target as a dashed
 *   line: the leaderboard. Areas where nothing was handed out have no rate and are left out;
 *   the `area` attribute outlines that area's bar. Each area is measured against its own target.
 * - `kind="channels"`: responses by channel (door, phone, mail, web, paper…), most first, for
 *   the survey or, with `area`, one area.
 * - With a comparison (`compareTo`), the areas chart has a tick on each bar at that area's rate on
 *   the same day of the earlier campaign.
 *
 * @element survey-live-chart
 *
 * @attr kind - `timeline` (default), `areas` or `channels`.
 * @attr range - Timeline only: `hour` for minute buckets of the last hour, `day` for the whole survey by day; hourly buckets otherwise.
 * @attr server - Base URL of the survey-live server; defaults to where the script was loaded from.
 * @attr survey - Id of the survey (required).
 * @attr area - Id of an area to outline in the areas chart, or whose channels to show.
 * @attr token - A read token with the `stats` scope (not needed when the server has PUBLIC_STATS).
 * @attr lang - `sv` or `en`; defaults to the page's language, then Swedish.
 * @attr theme - `light` (default), `dark` or `auto` (follows the viewer's system setting).
 *
 * @fires survey-live-update - New data arrived; `detail.snapshot` is the survey's snapshot.
 * @fires survey-live-error - The server refused the subscription; `detail` is `{ code, message }`.
 *
 * @csspart base - The card.
 * @csspart header - Title and status row.
 * @csspart title - The chart's title.
 * @csspart status - The connection status badge.
 * @csspart chart - The box holding the canvas; size it with `--survey-live-chart-height`.
 * @csspart legend - The legend under the chart.
 * @csspart message - Loading text.
 * @csspart error - What went wrong, in words.
 *
 * @cssproperty --survey-live-accent - Bar colour. Light #0b5fb8, dark #5eb1ff.
 * @cssproperty --survey-live-background - Card background. Light #ffffff, dark #111418.
 * @cssproperty --survey-live-text - Text and rate line colour. Light #1b1f24, dark #f2f4f7.
 * @cssproperty --survey-live-muted - Axis and legend colour. Light #52606d, dark #a7b1bc.
 * @cssproperty --survey-live-border - Card border and grid colour. Light #d8dde3, dark #2a3139.
 * @cssproperty --survey-live-font - Font family. Defaults to the system UI font.
 * @cssproperty --survey-live-radius - Card corner radius. Defaults to 12px.
 * @cssproperty --survey-live-padding - Card padding. Grows with the card's width.
 * @cssproperty --survey-live-chart-height - Height of the timeline chart. Grows with the card's width.
 */
export class SurveyLiveChart extends LiveElement {
  static override styles = [themeStyles, cardStyles, chartStyles];
  static override properties = { kind: {}, range: {} };

  declare kind: ChartKind;
  declare range: string;

  #view: ChartView | undefined;
  #loading = false;
  #model: ChartModel | undefined;
  readonly #darkScheme = matchMedia('(prefers-color-scheme: dark)');
  readonly #onSchemeChange = () => this.requestUpdate();

  constructor() {
    super({ renderOn: ['stats'] });
    this.kind = 'timeline';
    this.range = '';
    // The last hour slides on in quiet times too; a redraw that changes nothing is skipped.
    this.showsRelativeTimes = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#darkScheme.addEventListener('change', this.#onSchemeChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#darkScheme.removeEventListener('change', this.#onSchemeChange);
    this.#view?.destroy();
  }

  #request(): ChartRequest | undefined {
    const snapshot = this.live.state.snapshot;
    if (this.renderProblem() || !snapshot) return undefined;
    return {
      kind: this.kind,
      range: this.range,
      area: this.area,
      lang: this.langCode,
      snapshot,
      t: this.t,
      format: this.format,
      areaName: (area) => this.areaName(area),
    };
  }

  protected override willUpdate(): void {
    const request = this.#request();
    this.#model = request && this.#view?.model(request);
  }

  override render() {
    const { t } = this;
    const model = this.#model;
    const snapshot = this.live.state.snapshot;
    const title =
      this.kind === 'channels' ? t.byChannel : this.kind === 'areas' ? t.ratePerArea : this.range === 'hour' ? t.responsesLastHour : t.responsesOverTime;
    return html`<section class="card" part="base" aria-label=${title}>
      <div class="header" part="header">
        <p class="title" part="title">${title}${snapshot ? html`<span class="subtitle">${snapshot.name}</span>` : ''}</p>
        ${this.renderStatus()}
      </div>
      ${this.renderProblem() ?? (model ? '' : html`<p class="message" part="message">${t.loading}</p>`)}
      <div class="plot" part="chart" ?hidden=${!model}>
        <canvas role="img" aria-label=${model?.summary ?? title}></canvas>
      </div>
      ${model ? html`<ul class="legend" part="legend">${model.legend.map((entry) => html`<li><span class="swatch ${entry.swatch}"></span>${entry.label}</li>`)}</ul>` : ''}
    </section>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const request = this.#request();
    const plot = this.renderRoot.querySelector<HTMLElement>('.plot')!;
    // The areas chart grows with the number of areas, so every name stays readable.
    plot.style.height = this.#model && this.#model.kind !== 'timeline' ? `max(160px, calc(${this.#model.labels.length} * 2.6em + 4em))` : '';
    if (this.#model && request) this.#view!.draw(this.#model, request);
    else if (request && !this.#loading) {
      this.#loading = true;
      import('./chart-view.js').then(
        ({ ChartView }) => {
          this.#view = new ChartView(this, this.renderRoot.querySelector('canvas')!);
          this.requestUpdate();
        },
        // A failed download is tried again with the next data.
        () => {
          this.#loading = false;
        },
      );
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'survey-live-chart': SurveyLiveChart;
  }
}
