/// <reference types="mocha" />
import { expect } from 'chai';
import '../../widget/survey-live.js';
import { openConnections, type SurveyLiveChart, type SurveyLiveCounter, type SurveyLiveFeed, type SurveyLiveStatus } from '../../widget/survey-live.js';
import { liveServer, mount, part, plain, textOf, unmountAll, until } from './support/helpers.js';

describe('the page’s connection', () => {
  let server: string;
  before(async () => {
    server = await liveServer.url();
  });
  afterEach(async () => {
    unmountAll();
    // A stopped server or a failing store must not leak into the next test.
    await liveServer.start();
    await liveServer.storeDown(false);
  });

  const socketOfPage = () => {
    expect(openConnections().size, 'connections on the page').to.equal(1);
    return [...openConnections().values()][0]!.socket;
  };

  it('is one socket shared by three elements showing three surveys with three tokens', async () => {
    const [a, b, c] = await Promise.all([liveServer.createSurvey(), liveServer.createSurvey(), liveServer.createSurvey()]);
    await liveServer.send({ surveyId: a!.surveyId, areaId: 'norr' });
    await liveServer.send({ surveyId: b!.surveyId, areaId: 'norr', count: 2 });
    await liveServer.send({ surveyId: c!.surveyId, areaId: 'norr', text: 'Hej' });
    const counter = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${a!.surveyId}" token="${a!.statsToken}"></survey-live-counter>`);
    const chart = mount(`<survey-live-chart server="${server}" survey="${b!.surveyId}" token="${b!.statsToken}" kind="areas"></survey-live-chart>`);
    const feed = mount<SurveyLiveFeed>(`<survey-live-feed server="${server}" survey="${c!.surveyId}" token="${c!.textToken}"></survey-live-feed>`);
    await until(() => textOf(counter, '[part~="value"]') === '1 svar', 'the counter');
    await until(() => part(chart, 'legend'), 'the chart');
    await until(() => textOf(feed, '[part~="text"]') === 'Hej', 'the feed');

    const socket = socketOfPage();
    const { rooms } = await liveServer.subscribers([a!.surveyId, b!.surveyId, c!.surveyId]);
    // The server sees one socket, subscribed to all three surveys.
    expect(rooms[a!.surveyId]).to.deep.equal([socket.id]);
    expect(rooms[b!.surveyId]).to.deep.equal([socket.id]);
    expect(rooms[c!.surveyId]).to.deep.equal([socket.id]);
  });

  it('never steps back to an older snapshot arriving late (several instances)', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', count: 3 });
    const counter = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}"></survey-live-counter>`);
    await until(() => textOf(counter, '[part~="value"]') === '3 svar', 'three responses');
    await liveServer.emitStaleStats(surveyId);
    await liveServer.send({ surveyId, areaId: 'norr' });
    // The stale snapshot came first on the same socket: had it been applied, "2 svar" would have shown in between.
    await until(() => textOf(counter, '[part~="value"]') === '4 svar', 'the next real update');
    const seen: string[] = [];
    counter.addEventListener('survey-live-update', (event) => seen.push(String((event as CustomEvent).detail.snapshot.responses)));
    await liveServer.emitStaleStats(surveyId);
    await liveServer.send({ surveyId, areaId: 'norr' });
    await until(() => textOf(counter, '[part~="value"]') === '5 svar', 'five responses');
    expect(seen).to.deep.equal(['5']);
  });

  it("when one element's token expires, says so in words there, while the others on the socket go on", async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', text: 'Hej' });
    const shortText = await liveServer.mintToken(surveyId, ['stats', 'text'], 2);
    const counter = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}"></survey-live-counter>`);
    const feed = mount<SurveyLiveFeed>(`<survey-live-feed server="${server}" survey="${surveyId}" token="${shortText}"></survey-live-feed>`);
    await until(() => textOf(feed, '[part~="text"]') === 'Hej', 'the feed');
    await until(() => textOf(counter, '[part~="value"]') === '1 svar', 'the counter');
    await until(() => part(feed, 'error'), 'the feed saying its token expired', 6000);
    expect(textOf(feed, '[part~="error"]')).to.match(/gått ut/);
    await liveServer.send({ surveyId, areaId: 'norr', text: 'Efter' });
    await until(() => textOf(counter, '[part~="value"]') === '2 svar', 'the counter going on');
  });

  it('shares a subscription between equal elements, and unsubscribes when the last one goes', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    const one = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}"></survey-live-counter>`);
    const two = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}" lang="en"></survey-live-counter>`);
    await until(() => part(one, 'value') && part(two, 'value'), 'both counters');
    const socket = socketOfPage();
    expect((await liveServer.subscribers([surveyId])).rooms[surveyId]).to.deep.equal([socket.id]);

    one.remove();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await liveServer.subscribers([surveyId])).rooms[surveyId], 'still subscribed for the other').to.deep.equal([socket.id]);
    await liveServer.send({ surveyId, areaId: 'norr' });
    await until(() => textOf(two, '[part~="value"]') === '1 responses', 'the remaining counter updated');

    two.remove();
    await until(async () => (await liveServer.subscribers([surveyId])).rooms[surveyId]!.length === 0, 'the unsubscription');
  });

  it('follows changes of its survey attribute', async () => {
    const [a, b] = await Promise.all([liveServer.createSurvey(), liveServer.createSurvey()]);
    await liveServer.send({ surveyId: b!.surveyId, areaId: 'soder', count: 3 });
    const counter = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${a!.surveyId}" token="${a!.statsToken}"></survey-live-counter>`);
    await until(() => textOf(counter, '[part~="value"]') === '0 svar', 'the first survey');
    counter.setAttribute('token', b!.statsToken);
    counter.setAttribute('survey', b!.surveyId);
    await until(() => textOf(counter, '[part~="value"]') === '3 svar', 'the second survey');
    await until(async () => (await liveServer.subscribers([a!.surveyId])).rooms[a!.surveyId]!.length === 0, 'the first survey released');
  });

  it('shows reconnecting while the server is away, then resubscribes and goes on updating', async () => {
    const { surveyId, statsToken, textToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', text: 'Före' });
    const counter = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}"></survey-live-counter>`);
    const feed = mount<SurveyLiveFeed>(`<survey-live-feed server="${server}" survey="${surveyId}" token="${textToken}" lang="en"></survey-live-feed>`);
    const chart = mount<SurveyLiveChart>(`<survey-live-chart server="${server}" survey="${surveyId}" token="${statsToken}" kind="areas"></survey-live-chart>`);
    const status = mount<SurveyLiveStatus>(`<survey-live-status server="${server}"></survey-live-status>`);
    await until(() => textOf(counter, '[part~="value"]') === '1 svar' && textOf(feed, '[part~="text"]') === 'Före', 'both elements');
    const chartLabel = () => plain(chart.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label'));
    await until(() => chartLabel().includes('Norra området 1 %'), 'the chart');
    expect(textOf(status, '[part~="status"]')).to.equal('Live');
    const before = socketOfPage().id;

    await liveServer.stop();
    await until(() => textOf(counter, '[part~="status"]').startsWith('Återansluter… · uppdaterad nu'), 'the counter to say it is reconnecting');
    await until(() => textOf(feed, '[part~="status"]') === 'Reconnecting… · updated now', 'the feed to say it is reconnecting');
    await until(() => textOf(status, '[part~="status"]').startsWith('Återansluter…'), 'the status element');
    expect(part(status, 'status')!.dataset.status).to.equal('reconnecting');
    // What was shown stays shown while reconnecting.
    expect(textOf(counter, '[part~="value"]')).to.equal('1 svar');

    await liveServer.start();
    await until(() => textOf(counter, '[part~="status"]') === 'Live', 'live again', 15_000);
    const after = socketOfPage().id;
    expect(after).to.not.equal(before);
    // The restarted server knows nothing of the old socket: the subscription was sent again.
    await until(async () => (await liveServer.subscribers([surveyId])).rooms[surveyId]!.includes(after!), 'the resubscription');
    await liveServer.send({ surveyId, areaId: 'norr', text: 'Efter' });
    await until(() => textOf(counter, '[part~="value"]') === '2 svar', 'the counter updated after the reconnect');
    await until(() => textOf(feed, '[part~="text"]') === 'Efter', 'the feed updated after the reconnect');
    await until(() => chartLabel().includes('Norra området 2 %'), 'the chart updated after the reconnect');
    expect(textOf(chart, '[part~="status"]')).to.equal('Live');
    expect(textOf(status, '[part~="status"]')).to.equal('Live');
  });

  it('says so while the server cannot read its store, and retries until it can', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', count: 2 });
    await liveServer.storeDown(true);
    const counter = mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}"></survey-live-counter>`);
    const english = mount<SurveyLiveCounter>(
      `<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}" lang="en"></survey-live-counter>`,
    );
    await until(() => textOf(counter, '[part~="error"]') === 'Servern kan inte hämta svaren just nu. Försöker igen…', 'the Swedish words');
    await until(() => textOf(english, '[part~="error"]') === 'The server cannot fetch the responses right now. Retrying…', 'the English words');
    await liveServer.storeDown(false);
    await until(() => textOf(counter, '[part~="value"]') === '2 svar', 'the retried subscription', 10_000);
    expect(part(counter, 'error')).to.equal(null);
  });

  it('says "degraded" in Swedish and English while the server is connected but its store is away, and "Live" when it is back', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', count: 2 });
    const status = mount<SurveyLiveStatus>(`<survey-live-status server="${server}"></survey-live-status>`);
    const counter = mount<SurveyLiveCounter>(
      `<survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}" lang="en"></survey-live-counter>`,
    );
    await until(() => textOf(counter, '[part~="value"]') === '2 responses' && textOf(status, '[part~="status"]') === 'Live', 'live');

    await liveServer.storeDown(true);
    await until(() => textOf(status, '[part~="status"]').startsWith('Störning – siffrorna kan släpa efter'), 'the Swedish words', 10_000);
    await until(() => textOf(counter, '[part~="status"]').startsWith('Degraded – figures may lag behind'), 'the English words');
    expect(part(status, 'status')!.dataset.status).to.equal('degraded');
    // What was shown stays shown.
    expect(textOf(counter, '[part~="value"]')).to.equal('2 responses');

    await liveServer.storeDown(false);
    await until(() => textOf(status, '[part~="status"]') === 'Live' && textOf(counter, '[part~="status"]') === 'Live', 'live again', 10_000);
  });

  it('moves with its element: a status element taken out and put back watches the connection again', async () => {
    const status = mount<SurveyLiveStatus>(`<survey-live-status server="${server}" lang="en"></survey-live-status>`);
    await until(() => textOf(status, '[part~="status"]') === 'Live', 'live');
    const parent = status.parentElement!;
    status.remove();
    parent.append(status);
    await liveServer.stop();
    await until(() => textOf(status, '[part~="status"]').startsWith('Reconnecting…'), 'the status after the move');
  });
});
