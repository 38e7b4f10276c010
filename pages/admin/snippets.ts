/**
 * What the embed builder hands out: the script-tag form (pages that allow scripts), the iframe
 * form (SharePoint's Embed web part and other script-free intranets), the board link and the
 * report link.
 */

export type ElementChoice = 'counter' | 'areas' | 'timeline' | 'feed' | 'pace' | 'call-list' | 'index' | 'index-areas' | 'channels';

export interface EmbedChoice {
  /** The server's root URL, ending in "/". */
  server: string;
  survey: string;
  element: ElementChoice;
  area: string;
  lang: 'sv' | 'en';
  theme: 'light' | 'dark' | 'auto';
  token: string;
  /** The index an index element shows (the survey's first). */
  index?: string;
}

const CHARTS: ElementChoice[] = ['areas', 'timeline', 'channels'];

const TAGS: Record<ElementChoice, string> = {
  counter: 'survey-live-counter',
  areas: 'survey-live-chart',
  timeline: 'survey-live-chart',
  feed: 'survey-live-feed',
  pace: 'survey-live-pace',
  'call-list': 'survey-live-call-list',
  index: 'survey-live-index',
  'index-areas': 'survey-live-index',
  channels: 'survey-live-chart',
};

/** A height that shows the element whole in an iframe of a typical column's width. */
export const IFRAME_HEIGHTS: Record<ElementChoice, number> = {
  counter: 300,
  areas: 420,
  timeline: 400,
  feed: 520,
  pace: 300,
  'call-list': 460,
  index: 260,
  'index-areas': 420,
  channels: 360,
};

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The element's attributes, in the order a reader expects them. */
export function elementAttributes(choice: EmbedChoice): [string, string][] {
  const attributes: [string, string][] = [['survey', choice.survey]];
  if (CHARTS.includes(choice.element)) attributes.push(['kind', choice.element]);
  if (choice.element === 'index' || choice.element === 'index-areas') attributes.push(['index', choice.index ?? '']);
  if (choice.element === 'index-areas') attributes.push(['by', 'area']);
  if (choice.area) attributes.push(['area', choice.area]);
  attributes.push(['token', choice.token], ['lang', choice.lang], ['theme', choice.theme]);
  return attributes;
}

export const elementTag = (choice: EmbedChoice): string => TAGS[choice.element];

export function scriptSnippet(choice: EmbedChoice): string {
  const tag = elementTag(choice);
  const attributes = elementAttributes(choice)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  return `<script type="module" src="${escapeAttribute(new URL('widget/survey-live.js', choice.server).href)}"></script>\n<${tag}${attributes}></${tag}>`;
}

export function embedUrl(choice: EmbedChoice): string {
  const page = CHARTS.includes(choice.element) ? 'chart' : choice.element === 'index-areas' ? 'index' : choice.element;
  const url = new URL(`embed/${page}`, choice.server);
  for (const [name, value] of elementAttributes(choice)) url.searchParams.set(name, value);
  return url.href;
}

export function iframeSnippet(choice: EmbedChoice, title: string): string {
  return `<iframe src="${escapeAttribute(embedUrl(choice))}" title="${escapeAttribute(title)}" width="100%" height="${IFRAME_HEIGHTS[choice.element]}" style="border:0" loading="lazy"></iframe>`;
}

export function boardUrl(choice: Pick<EmbedChoice, 'server' | 'survey' | 'token' | 'lang'>): string {
  const url = new URL(`board/${encodeURIComponent(choice.survey)}`, choice.server);
  url.searchParams.set('token', choice.token);
  if (choice.lang !== 'sv') url.searchParams.set('lang', choice.lang);
  return url.href;
}

/** The print-ready campaign report (/report/:surveyId) for the same token and language. */
export function reportUrl(choice: Pick<EmbedChoice, 'server' | 'survey' | 'token' | 'lang'>): string {
  const url = new URL(`report/${encodeURIComponent(choice.survey)}`, choice.server);
  url.searchParams.set('token', choice.token);
  url.searchParams.set('lang', choice.lang);
  return url.href;
}
