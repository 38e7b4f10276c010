/**
 * The lazily loaded half of <survey-live-chart>: works out what to draw from a snapshot and
 * keeps one Chart.js chart per element up to date. Lives in the chart chunk with Chart.js, so
 * pages without charts never download any of it.
 */
import type { DailySeries, SurveySnapshot } from '../../../shared/schemas.js';
import { serverBase } from '../../connection/registry.js';
import type { Formatters } from '../../format.js';
import type { Lang, Messages } from '../../i18n.js';
import { chartMessagesFor, clockFor, dayFor } from './chart-i18n.js';
import { areasModel, type ChartKind, type ChartModel, channelsModel, dailyModel, dateIn, timelineModel } from './chart-model.js';
import { type ChartLook, type ChartWords, LiveChart } from './chart-renderer.js';

export type { ChartModel };

/** What the element tells the view each time it renders. */
export interface ChartRequest {
  kind: ChartKind;
  range: string;
  area: string;
  lang: Lang;
  snapshot: SurveySnapshot;
  t: Messages;
  format: Formatters;
  areaName: (area: { id: string; name: string }) => string;
}

/** The element: what the view redraws, and where GET …/daily goes (its server, survey and token). */
export interface ChartHost extends HTMLElement {
  requestUpdate(): void;
  server: string;
  survey: string;
  token: string;
}

/**
 * Legend swatches of the history marks (the earlier campaign's dashed line, reminder markers, area
 * ticks): adopted from the chart chunk, so pages without charts pay nothing for them.
 */
const SWATCHES =
  '.swatch.previous{height:0;border-top:2px dashed var(--_muted);border-radius:0;background:none}' +
  '.swatch.marker{width:2px;height:1.1em;border-radius:0;background:var(--_fg)}' +
  '.swatch.tick{width:.55em;height:.55em;border-radius:0;background:var(--_fg);transform:rotate(45deg)}';
let swatches: CSSStyleSheet | undefined;

function adoptSwatches(root: ShadowRoot): void {
  if (!swatches) {
    swatches = new CSSStyleSheet();
    swatches.replaceSync(SWATCHES);
  }
  if (!root.adoptedStyleSheets.includes(swatches)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, swatches];
}

/** After a failed GET …/daily, the next try waits this long (the hourly view shows meanwhile). */
const DAILY_RETRY_MS = 60_000;

/**
 * The daily series of one survey for `range="day"`: fetched at start, and again when a snapshot
 * shows a new day (in the series' time zone) or changed hand-out counts, which change every
 * rate; between fetches, today's point follows the live snapshots (chart-model's withToday).
 */
class DailySource {
  series: DailySeries | undefined;
  #for = '';
  #freshFor = '';
  #failedAt = 0;
  #loading = false;

  constructor(private readonly onLoaded: () => void) {}

  /** The series to draw (possibly one fetch old), fetching when it is missing or stale. */
  get({ server, survey, token }: ChartHost, snapshot: SurveySnapshot, now = Date.now()): DailySeries | undefined {
    const source = JSON.stringify([serverBase(server), survey, token]);
    if (source !== this.#for) {
      this.#for = source;
      this.series = undefined;
      this.#freshFor = '';
      this.#failedAt = 0;
    }
    // What a fetched series depends on besides the day: hand-out counts (every rate) and the state (closing ends the days).
    const figures = `${snapshot.distributed}|${snapshot.state}`;
    const fresh = this.series ? `${dateIn(this.series.timezone, now)}|${figures}` : '';
    if ((!this.series || fresh !== this.#freshFor) && !this.#loading && now - this.#failedAt >= DAILY_RETRY_MS)
      void this.#fetch(source, server, survey, token, figures, now);
    return this.series;
  }

  get failed(): boolean {
    return this.#failedAt > 0 && !this.series;
  }

  async #fetch(source: string, server: string, survey: string, token: string, figures: string, askedAt: number): Promise<void> {
    this.#loading = true;
    try {
      const res = await fetch(new URL(`api/v1/surveys/${encodeURIComponent(survey)}/daily`, serverBase(server)), {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
      if (!res.ok) throw new Error(`GET daily: ${res.status}`);
      const series = (await res.json()) as DailySeries;
      if (source !== this.#for) return;
      this.series = series;
      // Stamped with the day and figures it was asked for: a change while it was on its way fetches again.
      this.#freshFor = `${dateIn(series.timezone, askedAt)}|${figures}`;
      this.#failedAt = 0;
    } catch {
      if (source === this.#for) this.#failedAt = Date.now();
    } finally {
      this.#loading = false;
      this.onLoaded();
    }
  }
}

export class ChartView {
  #chart: LiveChart | undefined;
  #kind: ChartKind | undefined;
  #drawn = '';
  readonly #daily: DailySource;

  constructor(
    private readonly host: ChartHost,
    private readonly canvas: HTMLCanvasElement,
  ) {
    this.#daily = new DailySource(() => this.host.requestUpdate());
    if (host.shadowRoot) adoptSwatches(host.shadowRoot);
  }

  /** What to draw; undefined while the daily series loads for the first time. */
  model(request: ChartRequest): ChartModel | undefined {
    const { kind, range, area, lang, snapshot, t, format, areaName } = request;
    const words = chartMessagesFor(lang, t);
    if (kind === 'channels') return channelsModel(snapshot, area, words, format);
    if (kind === 'areas') return areasModel(snapshot, area, areaName, words, format);
    if (range === 'day') {
      const series = this.#daily.get(this.host, snapshot);
      if (series) return dailyModel(series, snapshot, words, format, { day: dayFor(lang) });
      // A server without the daily series (or unreachable for it): the hourly view, rather than nothing.
      if (!this.#daily.failed) return undefined;
    }
    return timelineModel(snapshot, range === 'hour' ? 'hour' : '', words, format, clockFor(lang));
  }

  /** Draws the model on the existing chart, or creates the chart on first use (or when the kind changed). */
  draw(model: ChartModel, { t, format }: ChartRequest): void {
    const look = this.#look();
    const words: ChartWords = {
      // The bars' own words come first in the legend: per minute, hour or day, or responses by channel.
      responses: model.legend[0]?.label ?? '',
      responseRate: t.responseRate,
      target: t.target(format.percent(model.target / 100)),
      number: format.number,
      percent: (value) => format.percent(value / 100),
    };
    // Messages that change nothing on screen leave the chart alone.
    const drawn = JSON.stringify([model, look, words.target, words.responses]);
    if (this.#chart && drawn === this.#drawn) return;
    this.#drawn = drawn;
    if (this.#chart && this.#kind === model.kind) {
      this.#chart.update(model, look, words);
      return;
    }
    this.#chart?.destroy();
    this.#chart = new LiveChart(this.canvas, model, look, words);
    this.#kind = model.kind;
  }

  destroy(): void {
    this.#chart?.destroy();
    this.#chart = undefined;
    this.#drawn = '';
  }

  /** Colours and font from the element's computed theme, so the chart follows CSS custom properties. */
  #look(): ChartLook {
    const style = getComputedStyle(this.host);
    const read = (name: string) => style.getPropertyValue(name).trim();
    return {
      text: read('--_fg'),
      muted: read('--_muted'),
      grid: read('--_border'),
      accent: read('--_accent'),
      good: read('--_good'),
      targetLine: read('--_warn'),
      font: read('--_font'),
      animate: !matchMedia('(prefers-reduced-motion: reduce)').matches,
    };
  }
}
