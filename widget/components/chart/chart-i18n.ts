/** Words only a drawn chart needs; kept in the chart chunk so pages without charts never load them. */
import type { Lang, Messages } from '../../i18n.js';

// Channel names senders use, in both languages (DEFAULT_CHANNELS, plus other and unknown).
const CHANNELS_SV = new Map(
  Object.entries({
    door: 'Dörr',
    dorr: 'Dörr',
    phone: 'Telefon',
    telefon: 'Telefon',
    mail: 'Post',
    post: 'Post',
    brev: 'Brev',
    web: 'Webb',
    webb: 'Webb',
    paper: 'Papper',
    papper: 'Papper',
    email: 'E-post',
    epost: 'E-post',
    sms: 'Sms',
    link: 'Länk',
    kiosk: 'Kiosk',
    other: 'Övrigt',
    unknown: 'Okänd',
  }),
);
const CHANNELS_EN = new Map(
  Object.entries({
    door: 'Door',
    dorr: 'Door',
    phone: 'Phone',
    telefon: 'Phone',
    mail: 'Mail',
    post: 'Mail',
    brev: 'Letter',
    web: 'Web',
    webb: 'Web',
    paper: 'Paper',
    papper: 'Paper',
    email: 'E-mail',
    epost: 'E-mail',
    sms: 'SMS',
    link: 'Link',
    kiosk: 'Kiosk',
    other: 'Other',
    unknown: 'Unknown',
  }),
);

const sv = {
  cumulativeRate: 'Svarsfrekvens (totalt)',
  responsesPerBucket: (minute: boolean): string => (minute ? 'Svar per minut' : 'Svar per timme'),
  targetReached: 'Nått målet',
  timelineSummary: (responses: string, rate: string, target: string) => `${responses} svar, svarsfrekvens ${rate}, mål ${target}.`,
  areasSummary: (areas: string, target: string) => `${areas}. Mål ${target}.`,
  noAreas: 'Inga områden med utdelade enkäter',
  responsesLabel: 'Svar',
  noChannels: 'Inga svar än',
  channelName: (channel: string): string => CHANNELS_SV.get(channel) ?? channel,
};

const en: typeof sv = {
  cumulativeRate: 'Response rate (total)',
  responsesPerBucket: (minute) => (minute ? 'Responses per minute' : 'Responses per hour'),
  targetReached: 'Target reached',
  timelineSummary: (responses, rate, target) => `${responses} responses, response rate ${rate}, target ${target}.`,
  areasSummary: (areas, target) => `${areas}. Target ${target}.`,
  noAreas: 'No areas with surveys handed out',
  responsesLabel: 'Responses',
  noChannels: 'No responses yet',
  channelName: (channel) => CHANNELS_EN.get(channel) ?? channel,
};

export type ChartMessages = Messages & typeof sv;

export const chartMessagesFor = (lang: Lang, t: Messages): ChartMessages => ({ ...t, ...(lang === 'en' ? en : sv) });

/** Bucket labels: a clock time, with the weekday when the chart spans more than a day. */
export function clockFor(lang: Lang): (at: number, withDay: boolean) => string {
  const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
  const dayClock = new Intl.DateTimeFormat(lang, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return (at, withDay) => (withDay ? dayClock : clock).format(at);
}
