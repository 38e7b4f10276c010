/** Words only a drawn chart needs; kept in the chart chunk so pages without charts never load them. */
import type { EventKind } from '../../../shared/schemas.js';
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

/** What a reminder round was, in words (EVENT_KINDS). */
const KINDS_SV: Record<EventKind, string> = {
  door: 'Dörrknackning',
  phone: 'Telefonrunda',
  letter: 'Påminnelsebrev',
  sms: 'Sms-påminnelse',
  email: 'E-postpåminnelse',
  other: 'Påminnelse',
};
const KINDS_EN: Record<EventKind, string> = {
  door: 'Door-knocking',
  phone: 'Phone round',
  letter: 'Reminder letter',
  sms: 'Text reminder',
  email: 'E-mail reminder',
  other: 'Reminder',
};

const sv = {
  cumulativeRate: 'Svarsfrekvens (totalt)',
  responsesPerDay: 'Svar per dag',
  responsesByDay: 'Svar dag för dag',
  reminderRound: 'Påminnelseomgång',
  reminders: 'Påminnelser',
  eventKind: (kind: EventKind): string => KINDS_SV[kind] ?? kind,
  /** The earlier campaign's line and ticks: "Hyresgästenkät 2025, samma dag". */
  sameDayThen: (name: string) => `${name}, samma dag`,
  previousSummary: (name: string, rate: string) => `${name} hade ${rate} samma dag.`,
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
  responsesPerDay: 'Responses per day',
  responsesByDay: 'Responses day by day',
  reminderRound: 'Reminder round',
  reminders: 'Reminders',
  eventKind: (kind) => KINDS_EN[kind] ?? kind,
  sameDayThen: (name) => `${name}, same day`,
  previousSummary: (name, rate) => `${name} had ${rate} on the same day.`,
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

/** Day labels ("1 dec." / "1 Dec") of YYYY-MM-DD dates, which are calendar days already (no time zone to apply). */
export function dayFor(lang: Lang): (date: string) => string {
  const day = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return (date) => day.format(Date.parse(`${date}T00:00:00Z`));
}

/** Bucket labels: a clock time, with the weekday when the chart spans more than a day. */
export function clockFor(lang: Lang): (at: number, withDay: boolean) => string {
  const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
  const dayClock = new Intl.DateTimeFormat(lang, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return (at, withDay) => (withDay ? dayClock : clock).format(at);
}
