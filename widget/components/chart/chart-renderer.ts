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

type MixedChart = Chart<'bar' | 'line', number[], string>;

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
      id: 'survey-live-target',
      afterDatasetsDraw: (chart) => this.drawTarget(chart as MixedChart),
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
    const bars: ChartDataset<'bar', number[]> = {
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
    const datasets: ChartDataset<'bar' | 'line', number[]>[] = [bars];
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
    const rateMax = Math.max(model.target, ...(areas ? model.bars : model.line), 1) * 1.1;
    const options: ChartOptions<'bar' | 'line'> = {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      layout: { padding: ({ chart }) => ({ top: fontSizeFor(chart) + 8, right: 4 }) },
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
