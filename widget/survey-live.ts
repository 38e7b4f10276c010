/**
 * The one script a page includes:
 *   <script type="module" src="https://survey-live.example/widget/survey-live.js"></script>
 * It defines the elements; Chart.js is fetched separately, only when a chart is shown.
 */
import { SurveyLiveCallList } from './components/call-list/component.js';
import { SurveyLiveChart } from './components/chart/component.js';
import { SurveyLiveCounter } from './components/counter/component.js';
import { SurveyLiveFeed } from './components/feed/component.js';
import { SurveyLiveIndex } from './components/index/component.js';
import { SurveyLivePace } from './components/pace/component.js';
import { SurveyLiveStatus } from './components/status/component.js';
import { setDefaultServer } from './connection/registry.js';

// The script is served at <server>/widget/survey-live.js: its parent is the server's base URL.
const scriptUrl = import.meta.url;
setDefaultServer(new URL('..', scriptUrl).href);

const elements: [string, CustomElementConstructor][] = [
  ['survey-live-counter', SurveyLiveCounter],
  ['survey-live-chart', SurveyLiveChart],
  ['survey-live-feed', SurveyLiveFeed],
  ['survey-live-status', SurveyLiveStatus],
  ['survey-live-pace', SurveyLivePace],
  ['survey-live-call-list', SurveyLiveCallList],
  ['survey-live-index', SurveyLiveIndex],
];
// A page that includes the script twice (say, two CMS blocks) must not fail on the second.
for (const [name, element] of elements) if (!customElements.get(name)) customElements.define(name, element);

export { openConnections } from './connection/registry.js';
export { SurveyLiveCallList, SurveyLiveChart, SurveyLiveCounter, SurveyLiveFeed, SurveyLiveIndex, SurveyLivePace, SurveyLiveStatus };
