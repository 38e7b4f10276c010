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
const counter = document.querySelector('survey-live-counter')!;
const leaderboard = document.querySelector<HTMLElementTagNameMap['survey-live-chart']>('survey-live-chart[kind="areas"]');

function addFeed(): void {
  if (!tokenScopes(counter.token).includes('text')) return;
  const feed = document.createElement('survey-live-feed');
  feed.className = 'board-feed';
  feed.survey = counter.survey;
  feed.token = counter.token;
  feed.theme = counter.theme;
  feed.maxItems = FEED_ITEMS;
  document.querySelector('.board-grid')!.append(feed);
  root.classList.add('with-feed');
}

function nameTheSurvey(): void {
  const name = document.querySelector('.board-name')!;
  counter.addEventListener('survey-live-update', (event) => {
    const { snapshot } = (event as CustomEvent<{ snapshot: SurveySnapshot }>).detail;
    if (name.textContent !== snapshot.name) {
      name.textContent = snapshot.name;
      document.title = `${snapshot.name} · survey-live`;
    }
  });
}

function runClock(): void {
  const clock = document.querySelector<HTMLTimeElement>('.board-clock')!;
  const format = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const tick = () => {
    const now = new Date();
    clock.textContent = format.format(now);
    clock.dateTime = now.toISOString();
  };
  tick();
  setInterval(tick, 5_000);
}

addFeed();
nameTheSurvey();
runClock();
keepScreenAwake();

const banner = new StaleBanner({ banner: document.querySelector<HTMLElement>('.board-banner')!, lang, connections: openConnections });
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
if (rotate > 0) rotateAreas(counter, leaderboard, rotate);
