/// <reference types="mocha" />
import { expect } from 'chai';
import '../../widget/survey-live.js';
import type { SurveyLiveChart } from '../../widget/survey-live.js';
import { contrast, liveServer, mount, part, plain, textOf, unmountAll, until } from './support/helpers.js';

type ChartJs = typeof import('chart.js');

const loaded = (what: string) => performance.getEntriesByType('resource').some((entry) => entry.name.includes(what));

describe('<survey-live-chart>', () => {
  let server: string;
  let Chart: ChartJs['Chart'];
  before(async () => {
    server = await liveServer.url();
  });
  afterEach(unmountAll);

  const chartElement = (attributes: string) => mount<SurveyLiveChart>(`<survey-live-chart server="${server}" ${attributes}></survey-live-chart>`);
  const canvasOf = (element: SurveyLiveChart) => element.shadowRoot!.querySelector('canvas')!;
  const drawnChart = (element: SurveyLiveChart) => until(() => Chart.getChart(canvasOf(element)), 'the chart to be drawn');

  it('loads Chart.js only once a chart is shown, then draws the timeline with its quiet hours filled in', async () => {
    expect(loaded('/chart.js/'), 'Chart.js before any chart').to.equal(false);
    expect(loaded('chart-view'), 'the chart chunk before any chart').to.equal(false);

    const { surveyId, statsToken } = await liveServer.createSurvey();
    // The snapshot's timeline is sparse: these two hours have responses, the two between do not.
    await liveServer.send({ surveyId, areaId: 'norr', submittedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() });
    await liveServer.send({ surveyId, areaId: 'norr' });
    const element = chartElement(`survey="${surveyId}" token="${statsToken}" kind="timeline" lang="sv"`);
    await until(() => loaded('chart-view'), 'the chart chunk');
    ({ Chart } = await import('chart.js'));
    const chart = await drawnChart(element);

    expect(loaded('/chart.js/')).to.equal(true);
    expect(chart.data.labels).to.have.length(4);
    expect(chart.data.datasets[0]!.data).to.deep.equal([1, 0, 0, 1]);
    expect(chart.data.datasets[1]!.data).to.deep.equal([0.7, 0.7, 0.7, 1.3]);
    expect(plain(canvasOf(element).getAttribute('aria-label'))).to.equal('Svar över tid: 2 svar, svarsfrekvens 1,3 %, mål 60 %.');
    expect(textOf(element, '[part~="legend"]')).to.equal('Svar per timmeSvarsfrekvens (totalt)mål 60 %');
    // Only the parts the charts use are registered.
    expect(Chart.registry.controllers.get('bar')).to.not.equal(undefined);
    expect(() => Chart.registry.getController('doughnut')).to.throw();
    expect(() => Chart.registry.getScale('time')).to.throw();
  });

  it('applies survey:stats to the existing chart with update("none"), never a new chart', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr' });
    const element = chartElement(`survey="${surveyId}" token="${statsToken}"`);
    ({ Chart } = await import('chart.js'));
    const chart = await drawnChart(element);
    const modes: unknown[] = [];
    const update = chart.update.bind(chart);
    chart.update = (mode) => {
      modes.push(mode);
      update(mode);
    };
    await liveServer.send({ surveyId, areaId: 'norr', count: 2 });
    await until(() => chart.data.datasets[0]!.data.at(-1) === 3, 'the pushed count on the chart');
    expect(Chart.getChart(canvasOf(element))).to.equal(chart);
    expect(modes.length).to.be.greaterThan(0);
    expect(modes, 'updates from messages').to.satisfy((all: unknown[]) => all.every((mode) => mode === 'none' || mode === 'resize'));
    expect(modes).to.include('none');
  });

  it('shows the last hour in minute buckets with range="hour"', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'soder', count: 2 });
    const element = chartElement(`survey="${surveyId}" token="${statsToken}" range="hour" lang="en"`);
    ({ Chart } = await import('chart.js'));
    const chart = await drawnChart(element);
    expect(chart.data.labels).to.have.length(60);
    const bars = chart.data.datasets[0]!.data as number[];
    expect(bars.reduce((sum, n) => sum + n, 0)).to.equal(2);
    // The server sends only the minutes with responses; the chart fills the hour up to now
    // (the last two bars, should the minute turn while the test runs).
    expect(bars.slice(-2).reduce((sum, n) => sum + n, 0)).to.equal(2);
    expect(textOf(element, '[part~="title"]')).to.match(/^Responses in the last hour/);
    expect(textOf(element, '[part~="legend"]')).to.match(/^Responses per minute/);
  });

  it('ranks areas by response rate with the target, leaves out areas with nothing handed out, and re-ranks live', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey({
      target: 0.6,
      areas: [
        { id: 'a', name: 'Allén', distributed: 10 },
        { id: 'b', name: 'Backen', distributed: 20 },
        { id: 'c', name: 'Centrum', distributed: 40 },
      ],
    });
    await liveServer.send({ surveyId, areaId: 'a', count: 5 });
    await liveServer.send({ surveyId, areaId: 'b', count: 2 });
    await liveServer.send({ surveyId, areaId: 'c', count: 30 });
    await liveServer.send({ surveyId, areaId: 'elsewhere' });
    const sv = chartElement(`survey="${surveyId}" token="${statsToken}" kind="areas" area="a" lang="sv"`);
    const en = chartElement(`survey="${surveyId}" token="${statsToken}" kind="areas" lang="en"`);
    ({ Chart } = await import('chart.js'));
    const chart = await drawnChart(sv);
    expect(chart.data.labels).to.deep.equal(['Centrum', 'Allén', 'Backen']);
    expect(chart.data.datasets[0]!.data).to.deep.equal([75, 50, 10]);
    expect(chart.options.indexAxis).to.equal('y');
    const colors = chart.data.datasets[0]!.backgroundColor as string[];
    expect(colors[0], 'the area past the target stands out').to.not.equal(colors[1]);
    expect(colors[1]).to.equal(colors[2]);
    expect((chart.data.datasets[0] as unknown as { borderWidth: number[] }).borderWidth).to.deep.equal([0, 2, 0]);
    expect(plain(canvasOf(sv).getAttribute('aria-label'))).to.equal('Svarsfrekvens per område: Centrum 75 %, Allén 50 %, Backen 10 %. Mål 60 %.');
    await until(
      () => plain(canvasOf(en).getAttribute('aria-label')) === 'Response rate per area: Centrum 75%, Allén 50%, Backen 10%. Target 60%.',
      'the English summary',
    );

    await liveServer.send({ surveyId, areaId: 'b', count: 14 });
    // The 14 may come in more than one snapshot: at 15 of 20 Backen ties Centrum (75 %) and already leads by name.
    await until(() => (chart.data.datasets[0]!.data as number[])[0] === 80, 'Backen at 80 %');
    expect(chart.data.labels).to.deep.equal(['Backen', 'Centrum', 'Allén']);
    expect(chart.data.datasets[0]!.data).to.deep.equal([80, 75, 50]);
    expect(Chart.getChart(canvasOf(sv))).to.equal(chart);
  });

  it('says in words when the token is bad or the survey unknown, instead of an empty chart', async () => {
    const { surveyId } = await liveServer.createSurvey();
    const ghostToken = await liveServer.mintToken('no-such-survey', ['stats']);
    const badToken = chartElement(`survey="${surveyId}" token="nope" lang="sv"`);
    const badTokenEn = chartElement(`survey="${surveyId}" token="nope" lang="en" kind="areas"`);
    const unknown = chartElement(`survey="no-such-survey" token="${ghostToken}" lang="sv"`);
    const unknownEn = chartElement(`survey="no-such-survey" token="${ghostToken}" lang="en"`);
    await until(() => textOf(badToken, '[part~="error"]') === 'Nyckeln (token) saknas, är ogiltig eller har gått ut.', 'the Swedish token error');
    await until(() => textOf(badTokenEn, '[part~="error"]') === 'The token is missing, invalid or expired.', 'the English token error');
    await until(() => textOf(unknown, '[part~="error"]') === 'Enkäten ”no-such-survey” finns inte.', 'the Swedish unknown survey');
    await until(() => textOf(unknownEn, '[part~="error"]') === 'There is no survey “no-such-survey”.', 'the English unknown survey');
    expect(part(badToken, 'chart')!.hidden).to.equal(true);
  });

  it('is accessible and readable: the canvas is a labelled image, text meets AA contrast in both themes', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr' });
    for (const theme of ['light', 'dark']) {
      const element = chartElement(`survey="${surveyId}" token="${statsToken}" kind="areas" theme="${theme}"`);
      await until(() => part(element, 'legend'), 'the legend');
      expect(canvasOf(element).getAttribute('role')).to.equal('img');
      expect(plain(canvasOf(element).getAttribute('aria-label'))).to.equal('Svarsfrekvens per område: Norra området 1 %, Södra området 0 %. Mål 60 %.');
      const background = getComputedStyle(part(element, 'base')!).backgroundColor;
      for (const name of ['title', 'legend', 'status']) {
        const color = getComputedStyle(part(element, name)!).color;
        expect(contrast(color, background), `${theme} ${name}`).to.be.at.least(4.5);
      }
      // The axis labels are drawn in the theme's muted colour, which passes too.
      const chart = await drawnChart(element);
      const tickColor = (chart.options.scales!.x!.ticks as { color: string }).color;
      const probe = document.createElement('span');
      probe.style.color = tickColor;
      document.body.append(probe);
      const tickRgb = getComputedStyle(probe).color;
      probe.remove();
      expect(contrast(tickRgb, background), `${theme} axis labels ${tickColor}`).to.be.at.least(4.5);
    }
  });
});
