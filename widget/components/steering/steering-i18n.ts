/**
 * Words and formats of the steering elements (pace, call list, index), in the steering chunk:
 * pages that show only a counter never download them.
 */
import type { Lang } from '../../i18n.js';

const sv = {
  opens: (when: string) => `Öppnar ${when}`,
  left: (days: string) => `${days} kvar`,
  closed: (date: string) => `Stängde ${date}: slutresultat`,
  atThisPace: (forecast: string, date: string, target: string) => `I den här takten ${forecast} till ${date}, mål ${target}`,
  perDayNeeded: (needed: string, now: string) => `: ${needed} fler svar per dag behövs, nu ${now}`,
  targetReached: ': målet är nått',
  noClose: (now: string, target: string) => `Nu ${now} svar per dag, mål ${target}`,
  final: (rate: string, target: string) => `Slutresultat ${rate}, mål ${target}`,
  onTrack: 'I takt',
  behind: 'Efter',
  callItem: (needed: string, perDay: string) => `${needed} svar till målet · ${perDay} per dag`,
  allOnTrack: 'Alla områden håller takten.',
  indexHidden: (n: number) => `Dolt: färre än ${n} svar (skyddar små grupper)`,
  noAnswers: 'Inga svar än',
  answers: (n: string) => `n = ${n}`,
  area: 'Område',
  unknownIndex: (index: string) => `Enkäten har inget index ”${index}”.`,
  vsSameDay: (points: string, campaign: string) => `${points} p.e. mot samma dag ${campaign}`,
};

export type SteeringMessages = typeof sv;

const en: SteeringMessages = {
  opens: (when) => `Opens ${when}`,
  left: (days) => `${days} left`,
  closed: (date) => `Closed ${date}: final result`,
  atThisPace: (forecast, date, target) => `At this pace ${forecast} by ${date}, target ${target}`,
  perDayNeeded: (needed, now) => `: ${needed} more answers a day needed, now ${now}`,
  targetReached: ': target reached',
  noClose: (now, target) => `Now ${now} answers a day, target ${target}`,
  final: (rate, target) => `Final result ${rate}, target ${target}`,
  onTrack: 'On track',
  behind: 'Behind',
  callItem: (needed, perDay) => `${needed} answers to target · ${perDay} a day`,
  allOnTrack: 'Every area is on pace.',
  indexHidden: (n) => `Hidden: fewer than ${n} answers (protects small groups)`,
  noAnswers: 'No answers yet',
  answers: (n) => `n = ${n}`,
  area: 'Area',
  unknownIndex: (index) => `The survey has no index “${index}”.`,
  vsSameDay: (points, campaign) => `${points} pp vs same day ${campaign}`,
};

/** An earlier campaign as the comparison names it: the year in its name ("Hyresgästenkät 2025" → "2025"), else the whole name. */
export const campaignName = (name: string): string => name.match(/\b(?:19|20)\d\d\b/g)?.at(-1) ?? name;

/** Percentage points with one decimal and a sign (sv "+4,1", en "+4.1"; "0,0" unsigned). */
export const signedPoints = (lang: Lang, points: number): string =>
  new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(points);

export const steeringMessagesFor = (lang: Lang): SteeringMessages => (lang === 'en' ? en : sv);

export interface DateFormats {
  /** "4 nov." / "4 Nov". */
  date(iso: string): string;
  /** "12 dagar" / "12 days"; hours under a day. */
  days(days: number): string;
  /** "om 3 dagar" / "in 3 days"; hours under a day. */
  inDays(days: number): string;
}

export function dateFormatsFor(lang: Lang): DateFormats {
  const dates = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { day: 'numeric', month: 'short' });
  // Intl's Swedish unit for a day is "dygn"; people say "dagar".
  const number = new Intl.NumberFormat(lang);
  const [day, dayPlural, hour, hourPlural] = lang === 'en' ? ['day', 'days', 'hour', 'hours'] : ['dag', 'dagar', 'timme', 'timmar'];
  const count = (n: number, one: string, many: string) => `${number.format(n)} ${n === 1 ? one : many}`;
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  return {
    date: (iso) => dates.format(Date.parse(iso)),
    days: (n) => (n >= 1 ? count(Math.floor(n), day!, dayPlural!) : count(Math.ceil(n * 24), hour!, hourPlural!)),
    inDays: (n) => (n >= 1 ? relative.format(Math.ceil(n), 'day') : relative.format(Math.ceil(n * 24), 'hour')),
  };
}
