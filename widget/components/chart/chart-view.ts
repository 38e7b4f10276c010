/**
 * The lazily loaded half of <survey-live-chart>: works out what to draw from a snapshot and
 * keeps one Chart.js chart per element up to date. Lives in the chart chunk with Chart.js, so
 * pages without charts never download any of it.
 */
import type { SurveySnapshot } from '../../../shared/schemas.js';
import type { Formatters } from '../../format.js';
import type { Lang, Messages } from '../../i18n.js';
import { chartMessagesFor, clockFor } from './chart-i18n.js';
import { areasModel, type ChartKind, type ChartModel, channelsModel, timelineModel } from './chart-model.js';
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

export class ChartView {
  #chart: LiveChart | undefined;
  #kind: ChartKind | undefined;
  #drawn = '';

  constructor(
    private readonly host: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
  ) {}

  model({ kind, range, area, lang, snapshot, t, format, areaName }: ChartRequest): ChartModel {
    const words = chartMessagesFor(lang, t);
    if (kind === 'channels') return channelsModel(snapshot, area, words, format);
    return kind === 'areas' ? areasModel(snapshot, area, areaName, words, format) : timelineModel(snapshot, range, words, format, clockFor(lang));
  }

  /** Draws the model on the existing chart, or creates the chart on first use (or when the kind changed). */
  draw(model: ChartModel, { t, lang, format, range }: ChartRequest): void {
    const look = this.#look();
    const words: ChartWords = {
      responses: model.kind === 'channels' ? chartMessagesFor(lang, t).responsesLabel : chartMessagesFor(lang, t).responsesPerBucket(range === 'hour'),
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
