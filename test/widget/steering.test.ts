/// <reference types="mocha" />
import { expect } from 'chai';
import '../../widget/survey-live.js';
import { contrast, liveServer, mount, part, textOf, unmountAll, until } from './support/helpers.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('steering elements: pace, call list, index, channels', () => {
  let server: string;
  before(async () => {
    server = await liveServer.url();
  });
  afterEach(unmountAll);

  const element = <T extends HTMLElement = HTMLElement>(tag: string, attributes: string) => mount<T>(`<${tag} server="${server}" ${attributes}></${tag}>`);

  /** Ten days left; norr (100 handed out, target 60 %) and soder (50, its own target 80 %). */
  const campaign = (extra: Record<string, unknown> = {}) =>
    liveServer.createSurvey({
      areas: [
        { id: 'norr', name: 'Norra området', distributed: 100 },
        { id: 'soder', name: 'Södra området', distributed: 50, target: 0.8 },
      ],
      extra: { closesAt: iso(Date.now() + 10 * DAY_MS + 3_600_000), ...extra },
    });

  it('<survey-live-pace> says days left, the forecast against the target and the answers a day needed, live, in sv and en', async () => {
    const { surveyId, statsToken } = await campaign();
    await liveServer.send({ surveyId, areaId: 'norr', count: 3 });
    const sv = element('survey-live-pace', `survey="${surveyId}" token="${statsToken}" lang="sv"`);
    const en = element('survey-live-pace', `survey="${surveyId}" token="${statsToken}" lang="en"`);
    await until(() => textOf(en, '[part~="state"]') === '10 days left', 'days left in English');
    expect(textOf(sv, '[part~="state"]')).to.equal('10 dagar kvar');
    // 3 answers in the last 72–73 h: about 1 a day; 10 days on: about 13 of 150 (8.6–8.7 %); 87 needed over 10.04 days.
    expect(textOf(en, '[part~="forecast"]')).to.match(/^At this pace 8\.\d% by \d{1,2} [A-Z][a-z]{2}, target 60%: 9 more answers a day needed, now 1$/);
    expect(textOf(sv, '[part~="forecast"]')).to.match(/^I den här takten 8,\d % till \d{1,2} [a-z]{3}\.?, mål 60 %: 9 fler svar per dag behövs, nu 1$/);
    expect(textOf(sv, '[part~="verdict"]')).to.equal('Efter');
    expect(part(sv, 'verdict')!.closest('[aria-live]')!.getAttribute('aria-live')).to.equal('polite');
    expect(part(sv, 'base')!.getAttribute('aria-label')).to.equal('Takt');

    await liveServer.send({ surveyId, areaId: 'norr', count: 3 });
    await until(() => textOf(en, '[part~="forecast"]').endsWith('now 2'), 'the pushed update');

    // One area, against its own target (80 % of 50 = 40).
    const soder = element('survey-live-pace', `survey="${surveyId}" token="${statsToken}" area="soder" lang="en"`);
    await until(() => textOf(soder, '[part~="forecast"]').includes('target 80%'), 'the area’s own target');
    expect(textOf(soder, '[part~="title"]')).to.equal('PaceSödra området');
  });

  it('<survey-live-pace> says when the survey opens and that a closed one shows its final result', async () => {
    const scheduled = await campaign({ opensAt: iso(Date.now() + 3 * DAY_MS - 60_000) });
    const closesAt = Date.now() - DAY_MS;
    const closed = await campaign({ opensAt: iso(closesAt - 30 * DAY_MS), closesAt: iso(closesAt) });
    await liveServer.send({ surveyId: closed.surveyId, areaId: 'norr', count: 2 });
    const opens = element('survey-live-pace', `survey="${scheduled.surveyId}" token="${scheduled.statsToken}" lang="en"`);
    const opensSv = element('survey-live-pace', `survey="${scheduled.surveyId}" token="${scheduled.statsToken}" lang="sv"`);
    const final = element('survey-live-pace', `survey="${closed.surveyId}" token="${closed.statsToken}" lang="en"`);
    const finalSv = element('survey-live-pace', `survey="${closed.surveyId}" token="${closed.statsToken}" lang="sv"`);
    await until(() => textOf(opens, '[part~="state"]') === 'Opens in 3 days', 'opens in 3 days');
    await until(() => textOf(opensSv, '[part~="state"]') === 'Öppnar om 3 dagar', 'öppnar om 3 dagar');
    const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' }).format(closesAt);
    const daySv = new Intl.DateTimeFormat('sv', { day: 'numeric', month: 'short' }).format(closesAt);
    await until(() => textOf(final, '[part~="state"]') === `Closed ${day}: final result`, 'closed: final result');
    await until(() => textOf(finalSv, '[part~="state"]') === `Stängde ${daySv}: slutresultat`, 'stängde: slutresultat');
    // Both answers arrived after closing: late, not counted.
    expect(textOf(final, '[part~="forecast"]')).to.equal('Final result 0%, target 60%');
    expect(part(final, 'verdict')).to.equal(null);
  });

  it('<survey-live-call-list> lists areas behind pace, most behind first, with needed and needed a day; limit cuts it', async () => {
    const { surveyId, statsToken } = await liveServer.createSurvey({
      areas: [
        { id: 'a', name: 'Alfa', distributed: 100 },
        { id: 'b', name: 'Beta', distributed: 300 },
        { id: 'c', name: 'Gamma', distributed: 10 },
      ],
      extra: { closesAt: iso(Date.now() + 10 * DAY_MS + 3_600_000) },
    });
    await liveServer.send({ surveyId, areaId: 'a', count: 5 });
    await liveServer.send({ surveyId, areaId: 'c', count: 9 });
    const list = element('survey-live-call-list', `survey="${surveyId}" token="${statsToken}" lang="en"`);
    await until(() => list.shadowRoot!.querySelectorAll('[part~="item"]').length === 2, 'two areas behind');
    const names = () => [...list.shadowRoot!.querySelectorAll('[part~="name"]')].map((node) => node.textContent);
    expect(names()).to.deep.equal(['Beta', 'Alfa']);
    expect(textOf(list, '[part~="needed"]')).to.equal('180 answers to target · 18 a day');
    const sv = element('survey-live-call-list', `survey="${surveyId}" token="${statsToken}" lang="sv" limit="1"`);
    await until(() => textOf(sv, '[part~="needed"]') === '180 svar till målet · 18 per dag', 'Swedish words');
    expect(sv.shadowRoot!.querySelectorAll('[part~="item"]').length).to.equal(1);
    expect(textOf(sv, '[part~="title"]')).to.match(/^Ringlista: efter takten/);

    // Beta's pace now carries it past its target: it leaves the list, live.
    await liveServer.send({ surveyId, areaId: 'b', count: 170 });
    await until(() => names().join() === 'Alfa', 'Beta off the list');
  });

  it('<survey-live-index> shows the value with n, per area, and hides a small area with the words for why', async () => {
    await liveServer.minGroupSize(3);
    try {
      const { surveyId, statsToken } = await liveServer.createSurvey({
        extra: { indexes: [{ id: 'safety', name: 'Trygghetsindex', questions: ['q1'], scale: [1, 5] }] },
      });
      await liveServer.send({ surveyId, areaId: 'norr', count: 4 });
      await liveServer.send({ surveyId, areaId: 'soder', count: 1 });
      const whole = element('survey-live-index', `survey="${surveyId}" token="${statsToken}" index="safety" lang="sv"`);
      const byArea = element('survey-live-index', `survey="${surveyId}" token="${statsToken}" index="safety" by="area" lang="en"`);
      await until(() => textOf(whole, '[part~="value"]') === '75', 'the index value');
      expect(textOf(whole, '[part~="n"]')).to.equal('n = 4');
      expect(textOf(whole, '[part~="title"]')).to.match(/^Trygghetsindex/);
      await until(() => byArea.shadowRoot!.querySelectorAll('tbody tr').length === 2, 'a row per area');
      const rows = [...byArea.shadowRoot!.querySelectorAll('tbody tr')].map((row) => row.textContent!.replace(/\s+/g, ' ').trim());
      expect(rows).to.deep.equal(['Norra området 75 4', 'Södra området Hidden: fewer than 3 answers (protects small groups) 1']);
      await liveServer.send({ surveyId, areaId: 'soder', count: 2 });
      await until(() => byArea.shadowRoot!.querySelectorAll('[part~="hidden"]').length === 0, 'the area shown once it has 3 answers');
    } finally {
      await liveServer.minGroupSize(1);
    }
  });

  it('<survey-live-chart kind="channels"> draws responses by channel for the survey or one area', async () => {
    const { surveyId, statsToken } = await campaign();
    await liveServer.send({ surveyId, areaId: 'norr', channel: 'door', count: 3 });
    await liveServer.send({ surveyId, areaId: 'soder', channel: 'phone', count: 2 });
    const chart = element('survey-live-chart', `survey="${surveyId}" token="${statsToken}" kind="channels" lang="sv"`);
    const soder = element('survey-live-chart', `survey="${surveyId}" token="${statsToken}" kind="channels" area="soder" lang="en"`);
    const label = (node: HTMLElement) => node.shadowRoot!.querySelector('canvas')?.getAttribute('aria-label') ?? '';
    await until(() => label(chart) === 'Svar per kanal: Dörr 3, Telefon 2.', 'the channels summary');
    await until(() => label(soder) === 'Responses by channel: Phone 2.', 'one area’s channels');
    expect(textOf(chart, '[part~="title"]')).to.match(/^Svar per kanal/);
    await liveServer.send({ surveyId, areaId: 'soder', channel: 'phone', count: 2 });
    await until(() => label(chart) === 'Svar per kanal: Telefon 4, Dörr 3.', 'the pushed update');
  });

  it('meets WCAG AA contrast in the light and dark themes', async () => {
    const { surveyId, statsToken } = await campaign({ indexes: [{ id: 'safety', name: 'Trygghetsindex', questions: ['q1'], scale: [1, 5] }] });
    await liveServer.send({ surveyId, areaId: 'norr', count: 2 });
    for (const theme of ['light', 'dark']) {
      const checks: [string, string[]][] = [
        ['survey-live-pace', ['title', 'state', 'verdict', 'forecast', 'status']],
        ['survey-live-call-list', ['title', 'name', 'rate', 'needed']],
        ['survey-live-index', ['title', 'value', 'n']],
      ];
      for (const [tag, parts] of checks) {
        const node = element(tag, `survey="${surveyId}" token="${statsToken}" theme="${theme}" index="safety"`);
        await until(() => part(node, parts[1]!), `${tag} figures`);
        const background = getComputedStyle(part(node, 'base')!).backgroundColor;
        for (const name of parts) {
          const target = part(node, name)!;
          // The call list's items sit on the track colour.
          const behind = name === 'name' || name === 'rate' || name === 'needed' ? getComputedStyle(part(node, 'item')!).backgroundColor : background;
          const color = getComputedStyle(target).color;
          expect(contrast(color, behind), `${theme} ${tag} ${name}: ${color} on ${behind}`).to.be.at.least(4.5);
        }
      }
    }
  });
});
