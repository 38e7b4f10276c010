/** Words only a drawn chart needs; kept in the chart chunk so pages without charts never load them. */
import type { Lang, Messages } from '../../i18n.js';

const sv = {
  cumulativeRate: 'Svarsfrekvens (totalt)',
  responsesPerBucket: (minute: boolean): string => (minute ? 'Svar per minut' : 'Svar per timme'),
  targetReached: 'Nått målet',
  timelineSummary: (responses: string, rate: string, target: string) => `${responses} svar, svarsfrekvens ${rate}, mål ${target}.`,
  areasSummary: (areas: string, target: string) => `${areas}. Mål ${target}.`,
  noAreas: 'Inga områden med utdelade enkäter',
};

const en: typeof sv = {
  cumulativeRate: 'Response rate (total)',
  responsesPerBucket: (minute) => (minute ? 'Responses per minute' : 'Responses per hour'),
  targetReached: 'Target reached',
  timelineSummary: (responses, rate, target) => `${responses} responses, response rate ${rate}, target ${target}.`,
  areasSummary: (areas, target) => `${areas}. Target ${target}.`,
  noAreas: 'No areas with surveys handed out',
};

export type ChartMessages = Messages & typeof sv;

export const chartMessagesFor = (lang: Lang, t: Messages): ChartMessages => ({ ...t, ...(lang === 'en' ? en : sv) });

/** Bucket labels: a clock time, with the weekday when the chart spans more than a day. */
export function clockFor(lang: Lang): (at: number, withDay: boolean) => string {
  const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
  const dayClock = new Intl.DateTimeFormat(lang, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return (at, withDay) => (withDay ? dayClock : clock).format(at);
}
