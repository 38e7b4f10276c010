/// <reference types="mocha" />
import { emulateMedia } from '@web/test-runner-commands';
import { expect } from 'chai';
import '../../widget/survey-live.js';
import type { SurveyLiveCounter } from '../../widget/survey-live.js';
import { contrast, liveServer, mount, part, plain, textOf, unmountAll, until } from './support/helpers.js';

describe('<survey-live-counter>', () => {
  let server: string;
  before(async () => {
    server = await liveServer.url();
  });
  afterEach(unmountAll);

  const counter = (attributes: string) => mount<SurveyLiveCounter>(`<survey-live-counter server="${server}" ${attributes}></survey-live-counter>`);

  it('renders the snapshot the subscription ack brings, and is updated in place by survey:stats', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', count: 2 });
    await liveServer.send({ surveyId, areaId: 'soder' });
    const element = counter(`survey="${surveyId}" token="${statsToken}" lang="sv"`);

    await until(() => textOf(element, '[part~="value"]') === '3 svar', 'the first snapshot');
    expect(textOf(element, '[part~="title"]')).to.equal('Hyresgästenkät 2026');
    expect(textOf(element, '[part~="rate"]')).to.equal('2 %');
    expect(textOf(element, '[part~="detail"]')).to.equal('3 av 150 utdelade · mål 60 %');
    expect(part(element, 'progress-bar')!.style.width).to.equal('2%');
    expect(part(element, 'progress-target')!.style.left).to.equal('60%');

    const number = element.shadowRoot!.querySelector('.number');
    const updates: number[] = [];
    element.addEventListener('survey-live-update', (event) => updates.push((event as CustomEvent).detail.snapshot.responses));
    await liveServer.send({ surveyId, areaId: 'norr' });
    await until(() => textOf(element, '[part~="value"]') === '4 svar', 'the pushed update');
    // Updated in place: the same node, with the new number.
    expect(element.shadowRoot!.querySelector('.number')).to.equal(number);
    expect(updates).to.include(4);
  });

  it('shows one area with `area`, and the unassigned area under its translated name', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'soder', count: 5 });
    await liveServer.send({ surveyId, areaId: 'nowhere' });
    const soder = counter(`survey="${surveyId}" token="${statsToken}" area="soder"`);
    const unassigned = counter(`survey="${surveyId}" token="${statsToken}" area="unassigned" lang="sv"`);
    const unassignedEn = counter(`survey="${surveyId}" token="${statsToken}" area="unassigned" lang="en"`);
    await until(() => textOf(soder, '[part~="value"]') === '5 svar', 'the area count');
    expect(textOf(soder, '[part~="title"]')).to.equal('Södra områdetHyresgästenkät 2026');
    expect(textOf(soder, '[part~="rate"]')).to.equal('10 %');
    expect(textOf(soder, '[part~="detail"]')).to.equal('5 av 50 utdelade · mål 60 %');
    await until(() => textOf(unassigned, '[part~="value"]') === '1 svar', 'the unassigned count');
    expect(textOf(unassigned, '[part~="title"]')).to.match(/^Okänt område/);
    expect(textOf(unassigned, '[part~="rate"]')).to.equal('–');
    expect(textOf(unassigned, '[part~="detail"]')).to.equal('Inga enkäter utdelade än · mål 60 %');
    await until(() => textOf(unassignedEn, '[part~="title"]').startsWith('Unknown area'), 'the English name of the unassigned area');
  });

  it('formats numbers and percentages in Swedish and English, and follows the page language by default', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey({
      areas: [
        { id: 'a', name: 'A-huset', distributed: 30 },
        { id: 'b', name: 'B-huset', distributed: 1204 },
      ],
    });
    await liveServer.send({ surveyId, areaId: 'a', count: 17 });
    const sv = counter(`survey="${surveyId}" token="${statsToken}" lang="sv"`);
    const en = counter(`survey="${surveyId}" token="${statsToken}" lang="en"`);
    const svArea = counter(`survey="${surveyId}" token="${statsToken}" area="a" lang="sv"`);
    const enArea = counter(`survey="${surveyId}" token="${statsToken}" area="a" lang="en"`);
    await until(() => textOf(enArea, '[part~="rate"]') === '56.7%', 'the English area rate');
    expect(textOf(svArea, '[part~="rate"]')).to.equal('56,7 %');
    expect(textOf(sv, '[part~="detail"]')).to.equal('17 av 1 234 utdelade · mål 60 %');
    expect(textOf(en, '[part~="detail"]')).to.equal('17 of 1,234 handed out · target 60%');
    expect(textOf(sv, '[part~="rate"]')).to.equal('1,4 %');
    expect(textOf(en, '[part~="rate"]')).to.equal('1.4%');

    // Without its own lang, the element speaks the page's language, and Swedish without one.
    document.documentElement.lang = 'en-GB';
    try {
      const pageLang = counter(`survey="${surveyId}" token="${statsToken}"`);
      await until(() => textOf(pageLang, '[part~="detail"]') === '17 of 1,234 handed out · target 60%', 'the page language');
      document.documentElement.lang = '';
      const noLang = counter(`survey="${surveyId}" token="${statsToken}"`);
      await until(() => textOf(noLang, '[part~="detail"]') === '17 av 1 234 utdelade · mål 60 %', 'Swedish by default');
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('says in words, in both languages, when the token is bad, the survey unknown, the token for another survey or the area unknown', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    const other = await liveServer.createSurvey();
    const ghostToken = await liveServer.mintToken('no-such-survey', ['stats']);
    const cases: [string, string, string][] = [
      [`survey="${surveyId}" token="not-a-token"`, 'Nyckeln (token) saknas, är ogiltig eller har gått ut.', 'The token is missing, invalid or expired.'],
      [`survey="${surveyId}"`, 'Nyckeln (token) saknas, är ogiltig eller har gått ut.', 'The token is missing, invalid or expired.'],
      [`survey="no-such-survey" token="${ghostToken}"`, 'Enkäten ”no-such-survey” finns inte.', 'There is no survey “no-such-survey”.'],
      [`survey="${surveyId}" token="${other.statsToken}"`, 'Nyckeln (token) ger inte tillgång till detta.', 'The token does not give access to this.'],
      [`survey="${surveyId}" token="${statsToken}" area="vaster"`, 'Området ”vaster” finns inte i enkäten.', 'The survey has no area “vaster”.'],
      [
        `survey="bad id!" token="${statsToken}"`,
        'Felaktig inställning: kontrollera attributen survey och token.',
        'Wrong settings: check the survey and token attributes.',
      ],
      ['', 'Ange enkät i attributet survey.', 'Name a survey in the survey attribute.'],
    ];
    for (const [attributes, sv, en] of cases) {
      const svElement = counter(`${attributes} lang="sv"`);
      const enElement = counter(`${attributes} lang="en"`);
      await until(() => textOf(svElement, '[part~="error"]').startsWith(sv), `"${sv}" for ${attributes}`);
      await until(() => textOf(enElement, '[part~="error"]').startsWith(en), `"${en}" for ${attributes}`);
      expect(part(svElement, 'error')!.getAttribute('role')).to.equal('alert');
      expect(part(svElement, 'value'), 'no number next to an error').to.equal(null);
    }
  });

  it('fires survey-live-error with the code the server gave', async () => {
    const { surveyId } = await liveServer.createSurvey();
    const element = counter(`survey="${surveyId}" token="forged"`);
    const event = await new Promise<CustomEvent>((resolve) => element.addEventListener('survey-live-error', (e) => resolve(e as CustomEvent)));
    expect(event.detail.code).to.equal('unauthorized');
  });

  it('is accessible: a labelled progress bar, a status, and a polite announcement at most every 10 s', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr', count: 3 });
    const element = counter(`survey="${surveyId}" token="${statsToken}" lang="sv"`);
    await until(() => textOf(element, '[aria-live]') === '3 svar, svarsfrekvens 2 %', 'the first announcement');
    const live = element.shadowRoot!.querySelector('[aria-live]')!;
    expect(live.getAttribute('aria-live')).to.equal('polite');

    const progress = element.shadowRoot!.querySelector('[role="progressbar"]')!;
    expect(progress.getAttribute('aria-label')).to.equal('Svarsfrekvens');
    expect(progress.getAttribute('aria-valuenow')).to.equal('2');
    expect(plain(progress.getAttribute('aria-valuetext'))).to.equal('2 %, mål 60 %');
    expect(part(element, 'status')!.getAttribute('role')).to.equal('status');
    expect(textOf(element, '[part~="status"]')).to.equal('Live');
    expect(part(element, 'base')!.getAttribute('aria-label')).to.equal('Hyresgästenkät 2026');

    // The number on screen follows at once; the announcement waits out its 10 s.
    await liveServer.send({ surveyId, areaId: 'norr' });
    await until(() => textOf(element, '[part~="value"]') === '4 svar', 'the new number');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(element.shadowRoot!.querySelector('[aria-live]')).to.equal(live);
    expect(textOf(element, '[aria-live]')).to.equal('3 svar, svarsfrekvens 2 %');
  });

  it('meets WCAG AA contrast in the light and dark themes', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    await liveServer.send({ surveyId, areaId: 'norr' });
    for (const theme of ['light', 'dark']) {
      const element = counter(`survey="${surveyId}" token="${statsToken}" theme="${theme}"`);
      await until(() => part(element, 'value'), 'the figures');
      const background = getComputedStyle(part(element, 'base')!).backgroundColor;
      expect(background).to.equal(theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(17, 20, 24)');
      for (const name of ['title', 'value', 'rate', 'detail', 'status']) {
        const color = getComputedStyle(part(element, name)!).color;
        expect(contrast(color, background), `${theme} ${name}: ${color} on ${background}`).to.be.at.least(4.5);
      }
      const error = counter(`survey="${surveyId}" token="bad" theme="${theme}"`);
      const message = await until(() => part(error, 'error'), 'the error');
      const style = getComputedStyle(message);
      expect(contrast(style.color, style.backgroundColor), `${theme} error`).to.be.at.least(4.5);
    }
  });

  it('follows the viewer’s colour scheme with theme="auto"', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey();
    const element = counter(`survey="${surveyId}" token="${statsToken}" theme="auto"`);
    await until(() => part(element, 'base'), 'the card');
    try {
      await emulateMedia({ colorScheme: 'dark' });
      expect(getComputedStyle(part(element, 'base')!).backgroundColor).to.equal('rgb(17, 20, 24)');
      await emulateMedia({ colorScheme: 'light' });
      expect(getComputedStyle(part(element, 'base')!).backgroundColor).to.equal('rgb(255, 255, 255)');
    } finally {
      await emulateMedia({ colorScheme: 'no-preference' });
    }
  });

  it('lets the page restyle it through custom properties and parts', async () => {
    const style = document.createElement('style');
    style.textContent = `.branded { --survey-live-accent: rgb(200, 0, 100); --survey-live-font: Georgia, serif; } survey-live-counter::part(value) { color: rgb(1, 2, 3); }`;
    document.head.append(style);
    try {
      const { surveyId, statsToken } = await liveServer.createSurvey();
      const box = mount<HTMLDivElement>(
        `<div class="branded"><survey-live-counter server="${server}" survey="${surveyId}" token="${statsToken}"></survey-live-counter></div>`,
      );
      const element = box.querySelector('survey-live-counter')!;
      await until(() => part(element, 'rate'), 'the figures');
      expect(getComputedStyle(part(element, 'rate')!).color).to.equal('rgb(200, 0, 100)');
      expect(getComputedStyle(part(element, 'value')!).color).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(part(element, 'base')!).fontFamily).to.equal('Georgia, serif');
    } finally {
      style.remove();
    }
  });
});
