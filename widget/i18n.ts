/**
 * The widget's words in Swedish and English. Server error codes are translated here: the
 * server's own messages are English and meant for developers, not for the people watching.
 */
import type { LiveErrorCode } from '../shared/events.js';

export type Lang = 'sv' | 'en';

const sv = {
  responses: 'svar',
  responseRate: 'Svarsfrekvens',
  target: (percent: string) => `mål ${percent}`,
  ofDistributed: (responses: string, distributed: string) => `${responses} av ${distributed} utdelade`,
  noneDistributed: 'Inga enkäter utdelade än',
  announce: (responses: string, rate: string) => `${responses} svar, svarsfrekvens ${rate}`,
  responsesOverTime: 'Svar över tid',
  responsesLastHour: 'Svar senaste timmen',
  ratePerArea: 'Svarsfrekvens per område',
  texts: 'Fritextsvar',
  textsLabel: 'Fritextsvar, nyast först',
  noTexts: 'Inga fritextsvar än',
  smallArea: (n: number) => `område med färre än ${n} svar`,
  loading: 'Hämtar…',
  status: { connecting: 'Ansluter…', live: 'Live', degraded: 'Störning – siffrorna kan släpa efter', reconnecting: 'Återansluter…', offline: 'Frånkopplad' },
  updated: (when: string) => `uppdaterad ${when}`,
  missingSurvey: 'Ange enkät i attributet survey.',
  byChannel: 'Svar per kanal',
  pace: 'Takt',
  callList: 'Ringlista: efter takten',
  unknownArea: (area: string) => `Området ”${area}” finns inte i enkäten.`,
  errors: {
    unauthorized: 'Nyckeln (token) saknas, är ogiltig eller har gått ut.',
    forbidden: 'Nyckeln (token) ger inte tillgång till detta. Fritextsvar kräver behörighet för fritext.',
    not_found: (survey: string) => `Enkäten ”${survey}” finns inte.`,
    bad_request: 'Felaktig inställning: kontrollera attributen survey och token.',
    unavailable: 'Servern kan inte hämta svaren just nu. Försöker igen…',
  },
};

export type Messages = typeof sv;

const en: Messages = {
  responses: 'responses',
  responseRate: 'Response rate',
  target: (percent) => `target ${percent}`,
  ofDistributed: (responses, distributed) => `${responses} of ${distributed} handed out`,
  noneDistributed: 'No surveys handed out yet',
  announce: (responses, rate) => `${responses} responses, response rate ${rate}`,
  responsesOverTime: 'Responses over time',
  responsesLastHour: 'Responses in the last hour',
  ratePerArea: 'Response rate per area',
  texts: 'Free-text answers',
  textsLabel: 'Free-text answers, newest first',
  noTexts: 'No free-text answers yet',
  smallArea: (n) => `an area with fewer than ${n} answers`,
  loading: 'Loading…',
  status: { connecting: 'Connecting…', live: 'Live', degraded: 'Degraded – figures may lag behind', reconnecting: 'Reconnecting…', offline: 'Offline' },
  updated: (when) => `updated ${when}`,
  missingSurvey: 'Name a survey in the survey attribute.',
  byChannel: 'Responses by channel',
  pace: 'Pace',
  callList: 'Call list: behind pace',
  unknownArea: (area) => `The survey has no area “${area}”.`,
  errors: {
    unauthorized: 'The token is missing, invalid or expired.',
    forbidden: 'The token does not give access to this. Free-text answers need the text scope.',
    not_found: (survey) => `There is no survey “${survey}”.`,
    bad_request: 'Wrong settings: check the survey and token attributes.',
    unavailable: 'The server cannot fetch the responses right now. Retrying…',
  },
};

const messages: Record<Lang, Messages> = { sv, en };

/** The element's `lang`, else the page's, else Swedish. */
export function resolveLang(own: string | null | undefined): Lang {
  const tag = (own || document.documentElement.lang || 'sv').toLowerCase();
  return tag.startsWith('en') ? 'en' : 'sv';
}

export const messagesFor = (lang: Lang): Messages => messages[lang];

/** The error's words; survey names the survey for "not found". */
export function errorText(t: Messages, code: LiveErrorCode, survey: string): string {
  const text = t.errors[code] ?? t.errors.bad_request;
  return typeof text === 'function' ? text(survey) : text;
}
