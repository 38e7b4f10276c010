/**
 * Chart.js, loaded only by <survey-live-chart> as its own chunk, with only the parts the two
 * charts use. One Chart per element; new data goes through chart.update('none').
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  type ChartOptions,
  type ChartType,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  type ScriptableScaleContext,
  Tooltip,
} from 'chart.js';
import type { ChartModel } from './chart-model.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip);

/** Reminder rounds and the earlier campaign's area ticks, as Chart.js plugin options (what tests read back). */
export interface HistoryMarks {
  markers: ChartModel['markers'];
  ticks: ChartModel['ticks'];
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** survey-live's own marks: a few lines of canvas instead of chartjs-plugin-annotation. */
    surveyLiveMarks?: HistoryMarks & { type?: TType };
  }
}

export interface ChartLook {
  text: string;
  muted: string;
  grid: string;
  accent: string;
  good: string;
  targetLine: string;
  font: string;
  animate: boolean;
}

export interface ChartWords {
  responses: string;
  responseRate: string;
  target: string;
  number: (value: number) => string;
  /** A percentage (0–100) as text. */
  percent: (value: number) => string;
}

type MixedChart = Chart<'bar' | 'line', (number | null)[], string>;

/** How much the page scales its root font (a board on a 4K screen at device scale 1 doubles it); never below 1. */
const rootScale = () => Math.max(1, Number.parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1);

/** Text grows with the chart: readable across a room on a TV, never below 12px on a phone. */
const fontSizeFor = (chart: { width: number }) => Math.round(Math.min(22 * rootScale(), Math.max(12, chart.width / 45)));

export class LiveChart {
  private readonly chart: MixedChart;
  private model: ChartModel;
  private look: ChartLook;
  private words: ChartWords;

  constructor(canvas: HTMLCanvasElement, model: ChartModel, look: ChartLook, words: ChartWords) {
    this.model = model;
    this.look = look;
    this.words = words;
    // The target is drawn across the whole plot, which a line dataset cannot do for one area.
    const targetLine: Plugin<'bar' | 'line'> = {
      id: 'surveyLiveMarks',
      afterDatasetsDraw: (chart) => {
        this.drawMarkers(chart as MixedChart);
        this.drawTarget(chart as MixedChart);
        this.drawTicks(chart as MixedChart);
      },
    };
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {},
      plugins: [targetLine],
    }) as MixedChart;
    this.apply();
    this.chart.update(look.animate ? undefined : 'none');
  }

  update(model: ChartModel, look: ChartLook, words: ChartWords): void {
    this.model = model;
    this.look = look;
    this.words = words;
    this.apply();
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }

  /** Puts model, look and words into the existing chart's data and options. */
  private apply(): void {
    const { model, look, words } = this;
    const areas = model.kind === 'areas';
    // Channels are horizontal bars too, of counts rather than rates.
    const horizontal = model.kind !== 'timeline';
    const bars: ChartDataset<'bar', (number | null)[]> = {
      type: 'bar',
      label: areas ? words.responseRate : words.responses,
      data: model.bars,
      backgroundColor: areas ? model.reached.map((reached) => (reached ? look.good : look.accent)) : look.accent,
      borderColor: look.text,
      borderWidth: areas ? model.bars.map((_, i) => (i === model.highlight ? 2 : 0)) : 0,
      borderRadius: 4,
      maxBarThickness: horizontal ? 36 : 48,
      yAxisID: horizontal ? 'y' : 'counts',
      order: 2,
    };
    const datasets: ChartDataset<'bar' | 'line', (number | null)[]>[] = [bars];
    if (!horizontal && model.line.length > 0) {
      datasets.push({
        type: 'line',
        label: words.responseRate,
        data: model.line,
        borderColor: look.text,
        backgroundColor: look.text,
        borderWidth: 2.5,
        pointRadius: 0,
        pointHoverRadius: 4,
        tension: 0.25,
        yAxisID: 'rate',
        order: 1,
      });
    }
    if (!horizontal && model.previous.length > 0) {
      // The earlier campaign: dashed and muted, so the two lines differ by more than colour.
      datasets.push({
        type: 'line',
        label: model.previousLabel,
        data: model.previous,
        borderColor: look.muted,
        backgroundColor: look.muted,
        borderWidth: 2,
        borderDash: [7, 4],
        pointRadius: 0,
        pointHoverRadius: 4,
        tension: 0.25,
        spanGaps: true,
        yAxisID: 'rate',
        order: 0,
      });
    }
    this.chart.data.labels = model.labels;
    // Datasets are updated in place: Chart.js keeps its controllers for datasets it already knows.
    const current = this.chart.data.datasets;
    current.length = Math.min(current.length, datasets.length);
    datasets.forEach((dataset, i) => {
      if (current[i]) Object.assign(current[i], dataset);
      else current.push(dataset);
    });

    // Scriptable, so sizes follow the chart when it is resized without new data.
    const ticks = { color: look.muted, font: ({ chart }: ScriptableScaleContext) => ({ family: look.font, size: fontSizeFor(chart) }) };
    const grid = { color: look.grid };
    const percentTicks = { ...ticks, callback: (value: string | number) => words.percent(Number(value)) };
    const rates = (areas ? [...model.bars, ...model.ticks] : [...model.line, ...model.previous]).filter((rate): rate is number => rate !== null);
    const rateMax = Math.max(model.target, ...rates, 1) * 1.1;
    const options: ChartOptions<'bar' | 'line'> = {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      // Room above the plot for the target's label, and a row per stacked reminder label.
      layout: { padding: ({ chart }) => ({ top: (fontSizeFor(chart) + 8) * (1 + this.markerRows(chart as MixedChart)), right: 4 }) },
      interaction: { mode: 'index', intersect: false },
      scales: horizontal
        ? {
            x: areas
              ? { type: 'linear', min: 0, suggestedMax: Math.min(100, rateMax), ticks: percentTicks, grid, border: { display: false } }
              : { type: 'linear', beginAtZero: true, ticks: { ...ticks, precision: 0 }, grid, border: { display: false } },
            y: { type: 'category', ticks: { ...ticks, color: look.text }, grid: { display: false } },
          }
        : {
            x: { type: 'category', ticks: { ...ticks, maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false } },
            counts: { type: 'linear', position: 'left', beginAtZero: true, ticks: { ...ticks, precision: 0 }, grid, border: { display: false } },
            rate: {
              type: 'linear',
              position: 'right',
              min: 0,
              suggestedMax: Math.min(100, rateMax),
              ticks: percentTicks,
              grid: { display: false },
              border: { display: false },
            },
          },
      plugins: {
        surveyLiveMarks: { markers: model.markers, ticks: model.ticks },
        tooltip: {
          titleFont: { family: look.font },
          bodyFont: { family: look.font },
          callbacks: {
            label: (item) => {
              const value = Number(item.raw);
              const asPercent = areas || item.dataset.yAxisID === 'rate';
              const own = areas ? model.targets[item.dataIndex] : undefined;
              if (own !== undefined && own !== model.target) return `${item.dataset.label}: ${words.percent(value)} (${words.percent(own)})`;
              return `${item.dataset.label}: ${asPercent ? words.percent(value) : words.number(value)}`;
            },
          },
        },
      },
    };
    this.chart.options = options as typeof this.chart.options;
  }

  /**
   * Marker labels placed left to right, each in the first row where it does not overlap a label
   * already there; a label that would run off the chart's right edge goes left of its line.
   * `xOf` gives a marker's x.
   */
  private markerLayout(chart: MixedChart, xOf: (index: number) => number): { x: number; row: number; label: string; flip: boolean }[] {
    if (this.model.kind !== 'timeline') return [];
    const { ctx } = chart;
    ctx.save();
    ctx.font = `600 ${Math.round(fontSizeFor(chart) * 0.85)}px ${this.look.font}`;
    const ends: number[] = [];
    const placed = this.model.markers.map(({ index, label }) => {
      const x = xOf(index);
      const width = ctx.measureText(label).width;
      const flip = x + 4 + width > chart.width;
      const [from, to] = flip ? [x - 4 - width, x] : [x, x + 4 + width];
      let row = ends.findIndex((end) => end < from - 6);
      if (row < 0) row = ends.length;
      ends[row] = to;
      return { x, row, label, flip };
    });
    ctx.restore();
    return placed;
  }

  /**
   * Where a category sits across the plot (bars are offset by half a category), from the last
   * layout's plot area, or the whole canvas before the first: what the padding is worked out
   * from while Chart.js lays the chart out, before the scale is placed.
   */
  private categoryX(chart: MixedChart): (index: number) => number {
    const n = Math.max(1, this.model.labels.length);
    const area = chart.chartArea?.width > 0 ? chart.chartArea : { left: 0, width: chart.width };
    return (index) => area.left + ((index + 0.5) / n) * area.width;
  }

  /** Rows of marker labels above the plot (at most three; more overlap): reserved in the layout's top padding. */
  private markerRows(chart: MixedChart): number {
    if (this.model.kind !== 'timeline' || this.model.markers.length === 0) return 0;
    const needed = Math.max(0, ...this.markerLayout(chart, this.categoryX(chart)).map((marker) => marker.row + 1));
    return Math.min(3, Math.max(needed, this.#rowsSeen));
  }

  /** Rows the last drawing needed: a first layout (with no plot area yet to go by) may reserve too few; the next reserves them. */
  #rowsSeen = 0;

  /** Reminder rounds: a solid vertical line through the plot with its label above, stacked when labels would overlap. */
  private drawMarkers(chart: MixedChart): void {
    const { look } = this;
    const { ctx, chartArea } = chart;
    const size = Math.round(fontSizeFor(chart) * 0.85);
    const rowHeight = fontSizeFor(chart) + 8;
    const scale = chart.scales.x;
    if (!scale || this.model.kind !== 'timeline' || this.model.markers.length === 0) return;
    const placed = this.markerLayout(chart, (index) => scale.getPixelForValue(index));
    const needed = Math.min(3, Math.max(...placed.map((marker) => marker.row + 1)));
    const rows = this.markerRows(chart);
    if (needed > rows || needed > this.#rowsSeen) {
      // Too few rows reserved: lay the chart out again once (never more often than rows grow, at most three).
      this.#rowsSeen = Math.max(this.#rowsSeen, needed);
      if (needed > rows) requestAnimationFrame(() => chart.canvas && chart.update('none'));
    }
    ctx.save();
    ctx.font = `600 ${size}px ${look.font}`;
    ctx.textBaseline = 'bottom';
    ctx.strokeStyle = look.text;
    ctx.fillStyle = look.text;
    ctx.lineWidth = 1.5;
    for (const { x, label, flip, ...marker } of placed) {
      const row = Math.min(marker.row, rows - 1);
      const top = chartArea.top - rowHeight * (row + 1) + size;
      ctx.beginPath();
      ctx.moveTo(x, top - size + 2);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.textAlign = flip ? 'right' : 'left';
      ctx.fillText(label, flip ? x - 4 : x + 4, top + 2);
    }
    ctx.restore();
  }

  /** Areas: a short upright tick across each bar at the earlier campaign's rate on the same day. */
  private drawTicks(chart: MixedChart): void {
    const { model, look } = this;
    const x = chart.scales.x;
    const rows = chart.scales.y;
    if (model.kind !== 'areas' || !x || !rows || model.ticks.length === 0) return;
    const { ctx } = chart;
    const half = ((rows.bottom - rows.top) / Math.max(1, model.ticks.length)) * 0.3;
    ctx.save();
    ctx.strokeStyle = look.text;
    ctx.fillStyle = look.text;
    ctx.lineWidth = 2;
    model.ticks.forEach((tick, i) => {
      if (tick === null) return;
      const at = x.getPixelForValue(tick);
      const y = rows.getPixelForTick(i);
      ctx.beginPath();
      ctx.moveTo(at, y - half);
      ctx.lineTo(at, y + half);
      ctx.stroke();
      // A small diamond on the tick: it reads as a mark of its own beside the target's line.
      ctx.beginPath();
      ctx.moveTo(at, y - half - 4);
      ctx.lineTo(at + 4, y - half);
      ctx.lineTo(at, y - half + 4);
      ctx.lineTo(at - 4, y - half);
      ctx.closePath();
      ctx.fill();
    });
    ctx.restore();
  }

  private drawAreaTargets(chart: MixedChart, scale: MixedChart['scales'][string]): void {
    const { model, look } = this;
    const rows = chart.scales.y;
    if (!rows) return;
    const { ctx } = chart;
    const half = ((rows.bottom - rows.top) / Math.max(1, model.targets.length)) * 0.45;
    ctx.save();
    ctx.strokeStyle = look.targetLine;
    ctx.lineWidth = 3;
    model.targets.forEach((target, i) => {
      const x = scale.getPixelForValue(target);
      const y = rows.getPixelForTick(i);
      ctx.beginPath();
      ctx.moveTo(x, y - half);
      ctx.lineTo(x, y + half);
      ctx.stroke();
    });
    ctx.restore();
  }

  private drawTarget(chart: MixedChart): void {
    const { model, look, words } = this;
    const areas = model.kind === 'areas';
    if (model.kind === 'channels') return;
    const scale = chart.scales[areas ? 'x' : 'rate'];
    if (!scale || (!areas && model.line.length === 0)) return;
    // Areas with targets of their own: a mark across each bar at its own target.
    if (areas && model.targets.some((target) => target !== model.target)) {
      this.drawAreaTargets(chart, scale);
      return;
    }
    const { ctx, chartArea } = chart;
    const at = scale.getPixelForValue(model.target);
    ctx.save();
    ctx.strokeStyle = look.targetLine;
    ctx.fillStyle = look.targetLine;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    if (areas) {
      ctx.moveTo(at, chartArea.top);
      ctx.lineTo(at, chartArea.bottom);
    } else {
      ctx.moveTo(chartArea.left, at);
      ctx.lineTo(chartArea.right, at);
    }
    ctx.stroke();
    ctx.font = `600 ${fontSizeFor(chart)}px ${look.font}`;
    ctx.textBaseline = 'bottom';
    const label = words.target;
    if (areas) {
      // Centred over the line, but kept inside the plot.
      const half = ctx.measureText(label).width / 2;
      ctx.textAlign = 'center';
      ctx.fillText(label, Math.min(Math.max(at, chartArea.left + half), chartArea.right - half), chartArea.top - 4);
    } else {
      ctx.textAlign = 'right';
      ctx.fillText(label, chartArea.right, at - 4);
    }
    ctx.restore();
  }
}
