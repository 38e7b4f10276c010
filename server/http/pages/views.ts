/**
 * The server-rendered pages: embeds, the office board, the admin page and the demo page. They
 * are shells: the elements come from the widget script, page behaviour from dist/pages scripts.
 * Every value reaches the markup through `html` or `attributes`, which escape it.
 */

import { attributes, html, SafeHtml } from './html.js';
import type { BoardPanel, EmbedElement, EmbedQuery } from './queries.js';

export interface Shell {
  /** Relative path from the page's URL to the server's root (`./` or `../`): works behind a path prefix too. */
  base: string;
  version: string;
  lang: string;
  title: string;
  /** Classes of <html>: the page's look in pages.css (the root's font size is part of it). */
  page: string;
  /** Page scripts under /pages/, besides the widget. */
  scripts?: string[];
  data?: Record<string, string | number | undefined>;
  body: SafeHtml;
}

export function shell({ base, version, lang, title, page, scripts = [], data = {}, body }: Shell): string {
  const dataAttributes = attributes(Object.fromEntries(Object.entries(data).map(([key, value]) => [`data-${key}`, value])));
  return html`<!doctype html>
<html lang="${lang}" class="${page}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="survey-live-version" content="${version}">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title}</title>
<link rel="stylesheet" href="${base}pages/pages.css">
<script type="module" src="${base}widget/survey-live.js"></script>
${scripts.map((script) => html`<script type="module" src="${base}pages/${script}"></script>\n`)}</head>
<body${dataAttributes}>
${body}
</body>
</html>
`.markup;
}

const TAGS: Record<EmbedElement, string> = {
  counter: 'survey-live-counter',
  chart: 'survey-live-chart',
  feed: 'survey-live-feed',
  pace: 'survey-live-pace',
  'call-list': 'survey-live-call-list',
  index: 'survey-live-index',
};

/** One element, full-bleed. */
export function embedBody(element: EmbedElement, query: EmbedQuery): SafeHtml {
  const attrs = attributes({
    survey: query.survey,
    area: query.area,
    token: query.token,
    theme: query.theme,
    kind: 'kind' in query ? query.kind : undefined,
    range: 'range' in query ? query.range : undefined,
    'max-items': 'max-items' in query ? query['max-items'] : undefined,
    limit: 'limit' in query ? query.limit : undefined,
    index: 'index' in query ? query.index : undefined,
    by: 'by' in query ? query.by : undefined,
  });
  // Tag names come from a fixed table, never from the request.
  const tag = new SafeHtml(TAGS[element]);
  // In a main landmark: a screen reader inside the iframe finds the element at once.
  return html`<main class="embed-main"><${tag}${attrs}></${tag}></main>`;
}

const BOARD_WORDS = {
  sv: { live: 'Live från enkäten', clock: 'Klockan' },
  en: { live: 'Live from the survey', clock: 'Time' },
};

/** The office board: elements server-rendered, behaviour (feed, rotation, banner, reloads) in board.js. */
export function boardBody({
  surveyId,
  token,
  theme,
  lang,
  panels,
}: {
  surveyId: string;
  token?: string;
  theme: string;
  lang: 'sv' | 'en';
  panels: BoardPanel[];
}): SafeHtml {
  const common = attributes({ survey: surveyId, token, theme });
  const words = BOARD_WORDS[lang];
  // Panels from a fixed table, in the order asked for; the feed is added by board.js (it needs the text scope).
  const markup: Record<Exclude<BoardPanel, 'feed'>, SafeHtml> = {
    counter: html`<survey-live-counter class="board-counter"${common}></survey-live-counter>`,
    pace: html`<survey-live-pace class="board-pace"${common}></survey-live-pace>`,
    calls: html`<survey-live-call-list class="board-calls" limit="6"${common}></survey-live-call-list>`,
    areas: html`<survey-live-chart class="board-areas" kind="areas"${common}></survey-live-chart>`,
    timeline: html`<survey-live-chart class="board-timeline" kind="timeline"${common}></survey-live-chart>`,
  };
  const shown = panels.filter((panel): panel is Exclude<BoardPanel, 'feed'> => panel !== 'feed');
  return html`<div class="board-banner" role="alert" hidden></div>
<header class="board-top">
  <h1 class="board-title"><span class="board-kicker">${words.live}</span> <span class="board-name"></span></h1>
  <div class="board-meta"><survey-live-status${attributes({ theme })}></survey-live-status><p class="board-clock"><span class="visually-hidden">${words.clock} </span><time></time></p></div>
</header>
<main class="board-grid panels-${String(shown.length)}"${attributes({ 'data-feed': panels.includes('feed') ? '1' : undefined })}>
  ${shown.map(
    (panel) => html`${markup[panel]}
`,
  )}</main>`;
}

/**
 * The report (/report/:surveyId): a skeleton of sections the report script fills from the REST
 * API with the page's token, and the daily timeline element. Words are the script's.
 */
export function reportBody({ surveyId, token, lang }: { surveyId: string; token?: string; lang: 'sv' | 'en' }): SafeHtml {
  return html`<main class="report-page">
  <header class="report-head">
    <p class="report-kicker" data-report="kicker"></p>
    <h1 data-report="title">${surveyId}</h1>
    <p class="report-meta" data-report="meta"></p>
    <p class="report-actions"><button type="button" data-report="print" hidden></button></p>
  </header>
  <p class="report-problem" data-report="problem" role="alert" hidden></p>
  <section class="report-figures" aria-labelledby="report-figures"><h2 id="report-figures"></h2><dl data-report="figures"></dl></section>
  <section class="report-curve" aria-labelledby="report-curve">
    <h2 id="report-curve"></h2>
    <survey-live-chart${attributes({ kind: 'timeline', range: 'day', survey: surveyId, token, lang, theme: 'light' })}></survey-live-chart>
  </section>
  <section class="report-areas" aria-labelledby="report-areas"><h2 id="report-areas"></h2><table data-report="areas"></table></section>
  <section class="report-events" aria-labelledby="report-events"><h2 id="report-events"></h2><div data-report="events"></div></section>
  <footer class="report-foot" data-report="foot"></footer>
</main>`;
}

export function adminBody(): SafeHtml {
  return html`<div id="admin-app"><noscript>The admin page needs JavaScript.</noscript></div>`;
}

const DEMO_WORDS = {
  sv: {
    title: 'Svarsfrekvens live för en hyresgästenkät',
    lead: 'Påhittade svar kommer varannan sekund som signerade webhooks, samma väg som en enkätplattforms. Allt nedan uppdateras av sig självt.',
    board: 'Öppna kontorsskärmen (tv)',
    report: 'Kampanjrapporten (skriv ut eller PDF)',
    admin: 'Admin: bygg inbäddningar',
    other: { lang: 'en', name: 'English' },
    privacy:
      'Fritextsvar når flödet efter en integritetsfördröjning (20 sekunder i demon, 10 minuter som standard) med grövre tider, och rensade: telefonnummer, e-postadresser och personnummer lämnar aldrig servern.',
    token: html`Admin-nyckeln (token) står i serverns logg. <code>DEMO=false</code> stänger av demon.`,
  },
  en: {
    title: 'Live response rates for a tenant survey',
    lead: 'Made-up responses arrive every second or two as signed webhooks, through the same ingest path a survey platform uses. Everything below updates by itself.',
    board: 'Open the office board (TV)',
    report: 'The campaign report (print or PDF)',
    admin: 'Admin: embed builder',
    other: { lang: 'sv', name: 'Svenska' },
    privacy:
      'Free-text answers reach the feed after a privacy delay (20 seconds in the demo, 10 minutes by default) with coarsened times, and redacted: phone numbers, e-mail addresses and personal identity numbers never leave the server.',
    token: html`The admin token is printed in the server's log. <code>DEMO=false</code> turns the demo off.`,
  },
};

/** The demo page in Swedish or English; its links (board, report, admin) keep the language. */
export function demoBody({
  surveyId,
  token,
  lang,
  boardUrl,
  reportUrl,
  adminUrl,
}: {
  surveyId: string;
  token: string;
  lang: 'sv' | 'en';
  boardUrl: string;
  reportUrl: string;
  adminUrl: string;
}): SafeHtml {
  const common = attributes({ survey: surveyId, token, lang });
  const words = DEMO_WORDS[lang];
  return html`<header class="demo-header">
  <div>
    <p class="demo-brand">survey-live <span>demo</span></p>
    <h1>${words.title}</h1>
    <p class="demo-lead">${words.lead}</p>
  </div>
  <nav class="demo-links">
    <a class="demo-button" href="${boardUrl}">${words.board}</a>
    <a class="demo-button secondary" href="${reportUrl}">${words.report}</a>
    <a class="demo-button secondary" href="${adminUrl}">${words.admin}</a>
    <a class="demo-lang"${attributes({ href: `demo?lang=${words.other.lang}`, lang: words.other.lang, hreflang: words.other.lang })}>${words.other.name}</a>
  </nav>
</header>
<main class="demo-grid">
  <survey-live-counter${common}></survey-live-counter>
  <survey-live-chart kind="areas"${common}></survey-live-chart>
  <survey-live-chart kind="timeline" range="day"${common}></survey-live-chart>
  <survey-live-feed max-items="4"${common}></survey-live-feed>
</main>
<footer class="demo-footer">
  <p>${words.privacy}</p>
  <p>${words.token}</p>
</footer>`;
}

export function errorBody(title: string, problems: string[]): SafeHtml {
  return html`<main class="page-error"><h1>${title}</h1><ul>${problems.map((problem) => html`<li>${problem}</li>`)}</ul></main>`;
}
