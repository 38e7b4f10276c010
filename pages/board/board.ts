/**
 * The office board (/board/:surveyId): the elements are in the page; this script makes it run
 * unattended. It adds the free-text feed when the token may read free text, names the survey,
 * keeps a clock, shows the stale banner, reloads after a deploy, keeps the screen awake and,
 * with `rotate=<seconds>`, rotates the big counter through the areas.
 *
 * It imports the widget module the page already loaded (the same URL, so the same instance and
 * the same connection); the build keeps it external.
 */
import type { SurveySnapshot } from '../../shared/schemas.js';
import { openConnections } from '../../widget/survey-live.js';
import { serverRoot, tokenScopes } from '../shared/read-token.js';
import { rotateAreas } from './area-rotation.js';
import { reloadWhenServed, watchServer } from './server-watch.js';
import { StaleBanner } from './stale-banner.js';
import { keepScreenAwake } from './wake-lock.js';

const HEALTH_EVERY_MS = 3_000;
const HEALTH_TIMEOUT_MS = 2_000;
const FEED_ITEMS = 6;

const root = document.documentElement;
const lang = root.lang === 'en' ? 'en' : 'sv';
const grid = document.querySelector<HTMLElement>('.board-grid')!;
// Any panel carries the survey and token (panels= may leave the counter out).
const first = grid.querySelector<HTMLElementTagNameMap['survey-live-counter']>('[survey]')!;
const counter = document.querySelector('survey-live-counter');
const leaderboard = document.querySelector<HTMLElementTagNameMap['survey-live-chart']>('survey-live-chart[kind="areas"]');

function addFeed(): void {
  if (grid.dataset.feed !== '1' || !tokenScopes(first.token).includes('text')) return;
  const feed = document.createElement('survey-live-feed');
  feed.className = 'board-feed';
  feed.survey = first.survey;
  feed.token = first.token;
  feed.theme = first.theme;
  feed.maxItems = FEED_ITEMS;
  grid.append(feed);
  grid.className = `board-grid panels-${grid.children.length}`;
  root.classList.add('with-feed');
}

function nameTheSurvey(): void {
  const name = document.querySelector('.board-name')!;
  first.addEventListener('survey-live-update', (event) => {
    const { snapshot } = (event as CustomEvent<{ snapshot: SurveySnapshot }>).detail;
    // A closed survey's figures are final: nothing is late, so nothing to warn about.
    banner.final = snapshot.state === 'closed';
    root.classList.toggle('closed', banner.final);
    if (name.textContent !== snapshot.name) {
      name.textContent = snapshot.name;
      document.title = `${snapshot.name} · survey-live`;
    }
  });
}

function runClock(): void {
  const clock = document.querySelector<HTMLTimeElement>('.board-clock time')!;
  const format = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const tick = () => {
    const now = new Date();
    clock.textContent = format.format(now);
    clock.dateTime = now.toISOString();
  };
  tick();
  setInterval(tick, 5_000);
}

const banner = new StaleBanner({ banner: document.querySelector<HTMLElement>('.board-banner')!, lang, connections: openConnections });

addFeed();
nameTheSurvey();
runClock();
keepScreenAwake();

let reloading = false;
const stopWatching = watchServer({
  healthUrl: new URL('healthz', serverRoot(import.meta.url)).href,
  pageVersion: document.querySelector<HTMLMetaElement>('meta[name="survey-live-version"]')?.content ?? '',
  everyMs: HEALTH_EVERY_MS,
  timeoutMs: HEALTH_TIMEOUT_MS,
  onReachable: (reachable) => {
    banner.reachable = reachable;
  },
  onNewVersion: () => {
    if (reloading) return;
    reloading = true;
    void reloadWhenServed().then((reloaded) => {
      if (reloaded) stopWatching();
      else reloading = false;
    });
  },
});

const rotate = Number(document.body.dataset.rotate);
if (rotate > 0 && counter) rotateAreas(counter, leaderboard, rotate);
