/** Numbers, percentages and times in the element's language, through Intl (sv: `1 234`, `56,7 %`). */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../shared/constants.js';
import type { Lang } from './i18n.js';

export interface Formatters {
  number(value: number): string;
  /** A rate of 0..1 as a percentage with at most one decimal; a dash when there is no rate. */
  percent(rate: number | null | undefined): string;
  /** "för 2 minuter sedan" / "2 minutes ago", relative to now. */
  relative(iso: string | number, now?: number): string;
}

const cache = new Map<Lang, Formatters>();

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', DAY_MS],
  ['hour', HOUR_MS],
  ['minute', MINUTE_MS],
];

export function formattersFor(lang: Lang): Formatters {
  let formatters = cache.get(lang);
  if (formatters) return formatters;
  const numbers = new Intl.NumberFormat(lang);
  const percents = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const relatives = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  formatters = {
    number: (value) => numbers.format(value),
    percent: (rate) => (rate === null || rate === undefined ? '–' : percents.format(rate)),
    relative(iso, now = Date.now()) {
      const elapsed = now - (typeof iso === 'number' ? iso : Date.parse(iso));
      for (const [unit, ms] of UNITS) if (elapsed >= ms) return relatives.format(-Math.floor(elapsed / ms), unit);
      // Under a minute, "now" reads better than a count of seconds that is stale as soon as it is shown.
      return relatives.format(0, 'second');
    },
  };
  cache.set(lang, formatters);
  return formatters;
}
