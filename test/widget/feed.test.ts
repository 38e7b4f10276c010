/// <reference types="mocha" />
import { emulateMedia } from '@web/test-runner-commands';
import { expect } from 'chai';
import '../../widget/survey-live.js';
import { formattersFor } from '../../widget/format.js';
import type { SurveyLiveFeed } from '../../widget/survey-live.js';
import { contrast, liveServer, mount, part, textOf, unmountAll, until } from './support/helpers.js';

const XSS = '<img src=x onerror="window.__xss = true"><script>window.__xss = true</script>';

describe('<survey-live-feed>', () => {
  let server: string;
  before(async () => {
    server = await liveServer.url();
  });
  afterEach(async () => {
    unmountAll();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  const feed = (attributes: string) => mount<SurveyLiveFeed>(`<survey-live-feed server="${server}" ${attributes}></survey-live-feed>`);
  const rows = (element: SurveyLiveFeed) => [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')];
  const texts = (element: SurveyLiveFeed) => rows(element).map((row) => textOf(element, `[data-id="${row.dataset.id}"] [part~="text"]`));

  it('shows the answers the ack brings, newest first, with area and time, then new ones on top, animated in', async () => {
    const { surveyId, textToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', text: 'Första svaret' });
    await liveServer.send({ surveyId, areaId: 'soder', text: 'Andra svaret' });
    const element = feed(`survey="${surveyId}" token="${textToken}" lang="sv"`);
    await until(() => rows(element).length === 2, 'the two answers');
    expect(texts(element)).to.deep.equal(['Andra svaret', 'Första svaret']);
    expect(textOf(element, '[part~="meta"]')).to.equal('Södra området · nu');
    expect(
      rows(element).every((row) => row.getAnimations().length === 0),
      'the first list is not animated',
    ).to.equal(true);
    const first = rows(element)[0];

    await liveServer.send({ surveyId, areaId: 'norr', text: 'Tredje svaret' });
    await until(() => texts(element)[0] === 'Tredje svaret', 'the pushed answer on top');
    expect(texts(element)).to.deep.equal(['Tredje svaret', 'Andra svaret', 'Första svaret']);
    expect(rows(element)[0]!.getAnimations().length, 'the new answer slides in').to.equal(1);
    expect(
      rows(element)
        .slice(1)
        .every((row) => row.getAnimations().length === 0),
    ).to.equal(true);
    expect(rows(element)[0], 'rows are reused, not rebuilt').to.equal(first);
  });

  it('does not animate under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const { surveyId, textToken } = await liveServer.createSurvey();
    const element = feed(`survey="${surveyId}" token="${textToken}"`);
    await until(() => part(element, 'empty'), 'the empty feed');
    await liveServer.send({ surveyId, areaId: 'norr', text: 'Lugnt, tack' });
    await until(() => rows(element).length === 1, 'the pushed answer');
    expect(rows(element)[0]!.getAnimations()).to.have.length(0);
  });

  it('shows markup in an answer as text and runs none of it', async () => {
    const { surveyId, textToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', text: XSS });
    const element = feed(`survey="${surveyId}" token="${textToken}"`);
    await until(() => rows(element).length === 1, 'the answer from the ack');
    await liveServer.send({ surveyId, areaId: 'norr', text: `${XSS} (live)` });
    await until(() => rows(element).length === 2, 'the pushed answer');
    expect(texts(element)).to.deep.equal([`${XSS} (live)`, XSS]);
    expect(element.shadowRoot!.querySelector('img, script')).to.equal(null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((window as { __xss?: boolean }).__xss).to.equal(undefined);
  });

  it('keeps at most max-items, filters by area, and drops a removed answer', async () => {
    const { surveyId, textToken } = await liveServer.createSurvey();
    for (const n of [1, 2, 3, 4]) await liveServer.send({ surveyId, areaId: n % 2 ? 'norr' : 'soder', text: `Svar ${n}` });
    const limited = feed(`survey="${surveyId}" token="${textToken}" max-items="3"`);
    const norr = feed(`survey="${surveyId}" token="${textToken}" area="norr"`);
    await until(() => rows(limited).length === 3 && rows(norr).length === 2, 'both feeds');
    expect(texts(limited)).to.deep.equal(['Svar 4', 'Svar 3', 'Svar 2']);
    expect(texts(norr)).to.deep.equal(['Svar 3', 'Svar 1']);

    const removed = rows(limited)[1]!.dataset.id!;
    await liveServer.removeText(surveyId, removed);
    await until(() => texts(limited).join() === 'Svar 4,Svar 2,Svar 1', 'the removed answer gone');
    await until(() => texts(norr).join() === 'Svar 1', 'gone from the area feed too');
    // The answer that moved up into view was there all along: it does not slide in.
    expect(rows(limited)[2]!.getAnimations()).to.have.length(0);
  });

  it('names the unassigned area in the element’s language and writes relative times with Intl', async () => {
    const { surveyId, textToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'not-an-area', text: 'Var bor jag?' });
    const sv = feed(`survey="${surveyId}" token="${textToken}" lang="sv"`);
    const en = feed(`survey="${surveyId}" token="${textToken}" lang="en"`);
    await until(() => textOf(sv, '[part~="meta"]') === 'Okänt område · nu', 'the Swedish area name');
    await until(() => textOf(en, '[part~="meta"]') === 'Unknown area · now', 'the English area name');
    const twoMinutesAgo = Date.now() - 2 * 60_000 - 5_000;
    expect(formattersFor('sv').relative(twoMinutesAgo)).to.equal('för 2 minuter sedan');
    expect(formattersFor('en').relative(twoMinutesAgo)).to.equal('2 minutes ago');
    expect(formattersFor('sv').relative(Date.now() - 3 * 3_600_000)).to.equal('för 3 timmar sedan');
    expect(formattersFor('en').relative(Date.now() - 26 * 3_600_000)).to.equal('yesterday');
  });

  it('says "fewer than N answers" where it would name a small area', async () => {
    await liveServer.minGroupSize(3);
    try {
      const { surveyId, textToken } = await liveServer.createSurvey();
      await liveServer.send({ surveyId, areaId: 'norr', text: 'Lugnt och tyst' });
      const sv = feed(`survey="${surveyId}" token="${textToken}" lang="sv"`);
      const en = feed(`survey="${surveyId}" token="${textToken}" lang="en"`);
      await until(() => textOf(sv, '[part~="meta"]') === 'område med färre än 3 svar · nu', 'the Swedish small-area words');
      await until(() => textOf(en, '[part~="meta"]') === 'an area with fewer than 3 answers · now', 'the English small-area words');
    } finally {
      await liveServer.minGroupSize(1);
    }
  });

  it('says in words when the token may not read free text, is bad, or the survey is unknown', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    const ghostToken = await liveServer.mintToken('no-such-survey', ['stats', 'text']);
    const cases: [string, string, string][] = [
      [`survey="${surveyId}" token="${statsToken}"`, 'Fritextsvar kräver behörighet för fritext.', 'Free-text answers need the text scope.'],
      [`survey="${surveyId}" token="bad"`, 'Nyckeln (token) saknas, är ogiltig eller har gått ut.', 'The token is missing, invalid or expired.'],
      [`survey="no-such-survey" token="${ghostToken}"`, 'Enkäten ”no-such-survey” finns inte.', 'There is no survey “no-such-survey”.'],
    ];
    for (const [attributes, sv, en] of cases) {
      const svElement = feed(`${attributes} lang="sv"`);
      const enElement = feed(`${attributes} lang="en"`);
      await until(() => textOf(svElement, '[part~="error"]').includes(sv), `"${sv}"`);
      await until(() => textOf(enElement, '[part~="error"]').includes(en), `"${en}"`);
      expect(part(svElement, 'list')).to.equal(null);
    }
  });

  it('is accessible: a labelled list of answers, time elements, AA contrast in both themes', async () => {
    const { surveyId, textToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', text: 'Bra service' });
    for (const theme of ['light', 'dark']) {
      const element = feed(`survey="${surveyId}" token="${textToken}" theme="${theme}" lang="en"`);
      await until(() => rows(element).length === 1, 'the answer');
      const list = part(element, 'list')!;
      expect(list.tagName).to.equal('OL');
      expect(list.getAttribute('aria-label')).to.equal('Free-text answers, newest first');
      expect(element.shadowRoot!.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
      const itemBackground = getComputedStyle(rows(element)[0]!).backgroundColor;
      for (const name of ['text', 'meta']) {
        const color = getComputedStyle(part(element, name)!).color;
        expect(contrast(color, itemBackground), `${theme} ${name} on ${itemBackground}`).to.be.at.least(4.5);
      }
      const background = getComputedStyle(part(element, 'base')!).backgroundColor;
      expect(contrast(getComputedStyle(part(element, 'title')!).color, background)).to.be.at.least(4.5);
    }
  });
});
