/**
 * The scale figures as an SVG bar chart (bench/results/scale.svg, shown in docs/operations.md):
 * one panel per figure, a group of bars per client count, one bar per server. Plain SVG text,
 * so it reads in a browser, on GitHub and in a diff.
 */
import type { ScalePoint } from '../report.js';

interface Panel {
  title: string;
  value: (p: ScalePoint) => number;
  digits: number;
}

const PANELS: Panel[] = [
  { title: 'CPU µs per delivered message', value: (p) => p.microsPerMessage, digits: 1 },
  { title: 'CPU µs per webhook', value: (p) => p.microsPerWebhook, digits: 0 },
  // Heap, not RSS: RSS slopes are blurred by start-up's freed pages (bench/RESULTS.md).
  { title: 'KB heap per idle widget', value: (p) => p.kbHeapPerWidget, digits: 1 },
];
/** Colour-blind-safe (Okabe–Ito) and named in the legend, not only by colour. */
const SERIES: { target: ScalePoint['target']; label: string; colour: string }[] = [
  { target: 'bare', label: 'bare Socket.IO', colour: '#0072B2' },
  { target: 'app-split', label: 'app, ROLE split (ingest + live)', colour: '#D55E00' },
];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function scaleChart(points: ScalePoint[], caption: string): string {
  const clientCounts = [...new Set(points.map((p) => p.clients))].sort((a, b) => a - b);
  const panelWidth = 300;
  const panelHeight = 220;
  const top = 70;
  const left = 20;
  const plotHeight = 150;
  const width = left * 2 + panelWidth * PANELS.length;
  const height = top + panelHeight + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(caption)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="600" fill="#111">${escapeXml(caption)}</text>`,
  ];
  SERIES.forEach((series, i) => {
    const x = left + i * 260;
    parts.push(`<rect x="${x}" y="36" width="12" height="12" fill="${series.colour}"/>`);
    parts.push(`<text x="${x + 18}" y="46" fill="#111">${escapeXml(series.label)}</text>`);
  });
  PANELS.forEach((panel, p) => {
    const x0 = left + p * panelWidth + 40;
    const plotWidth = panelWidth - 60;
    const baseline = top + 20 + plotHeight;
    const max = Math.max(...points.map(panel.value).filter(Number.isFinite), 0) * 1.15 || 1;
    parts.push(`<text x="${x0}" y="${top + 6}" font-weight="600" fill="#111">${escapeXml(panel.title)}</text>`);
    parts.push(`<line x1="${x0}" y1="${baseline}" x2="${x0 + plotWidth}" y2="${baseline}" stroke="#444"/>`);
    const groupWidth = plotWidth / clientCounts.length;
    const barWidth = (groupWidth - 16) / SERIES.length;
    clientCounts.forEach((clients, g) => {
      const gx = x0 + g * groupWidth + 8;
      parts.push(`<text x="${gx + (groupWidth - 16) / 2}" y="${baseline + 16}" text-anchor="middle" fill="#111">${clients.toLocaleString('en-US')}</text>`);
      SERIES.forEach((series, s) => {
        const point = points.find((q) => q.clients === clients && q.target === series.target);
        if (!point || !Number.isFinite(panel.value(point))) return;
        const value = panel.value(point);
        const h = (value / max) * plotHeight;
        const bx = gx + s * barWidth;
        parts.push(
          `<rect x="${bx.toFixed(1)}" y="${(baseline - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${series.colour}"/>`,
        );
        parts.push(
          `<text x="${(bx + (barWidth - 2) / 2).toFixed(1)}" y="${(baseline - h - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#111">${value.toFixed(panel.digits)}</text>`,
        );
      });
    });
    parts.push(`<text x="${x0 + plotWidth / 2}" y="${baseline + 32}" text-anchor="middle" fill="#333">clients</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
