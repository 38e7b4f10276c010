/** TEXT_FILTER: insults and slurs in Swedish and English masked or held; Swedish words that look English untouched. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { filterText } from '../../../server/privacy/text-filter.js';
import type { TextAnswer } from '../../../shared/schemas.js';
import { ADMIN_TOKEN, response, sampleSurvey, startTestApp, TEST_SECRET, type TestApp } from '../../support/harness.js';
import { CORPUS } from './redact-corpus.js';

/** [what a tenant wrote, what a public screen shows with TEXT_FILTER=mask]. */
const INSULTS: [string, string][] = [
  ['vaktmästaren är en idiot', 'vaktmästaren är en i***'],
  ['idioter på kontoret', 'i*** på kontoret'],
  ['din jävla hora', 'din jävla h***'],
  ['kuken på trean spelar hög musik', 'k*** på trean spelar hög musik'],
  ['fittan på kontoret', 'f*** på kontoret'],
  ['förvaltaren e ett svin', 'förvaltaren e ett s***'],
  ['dumskalle!', 'd***!'],
  ['grannen är en idiotjävel', 'grannen är en i***'],
  ['h0ra', 'h***'],
  ['fiiittan', 'f***'],
  ['$ubba', '$***'],
  ['blattar överallt', 'b*** överallt'],
  ['svartskallarna i huset', 's*** i huset'],
  ['neger', 'n***'],
  ['efterblivna handläggare', 'e*** handläggare'],
  ['the janitor is a fucking idiot', 'the janitor is a f***ing i***'],
  ['what the fuuuck', 'what the f***'],
  ['sh1t service', 's*** service'],
  ['you bitch', 'you b***'],
  ['the manager is an asshole', 'the manager is an a***hole'],
  ['bastards', 'b***s'],
  ['cunt', 'c***'],
  ['porn on the tv all night', 'p*** on the tv all night'],
  ['fags', 'f***'],
  ['kukhuvud', 'k***'],
];

/** Swedish (and some English) that must stay as written. */
const CLEAN = [
  'sex rum och kök',
  'vi är sex personer i lägenheten',
  'beslutet kom alldeles för sent',
  'slut på tvättider hela veckan',
  'slutet av månaden',
  'titta på gården en gång till',
  'tittar ni nån gång på trapporna',
  'grattis till nya fönster',
  'en snabb titt räckte',
  'en prick på väggen',
  'kassa service',
  'klassrummet i skolan bredvid',
  'fittja centrum behöver en ny lekplats',
  'skitbra service',
  'jävlar vad bra det blev',
  'fan vad skönt med nya hissen',
  'bög och stolt, trivs i området',
  'analysen av enkäten',
  'kocken på restaurangen',
  'semestern var lugn',
  'horisonten syns från balkongen',
  'subbekvämt',
  'lamporna i trapporna är trasiga',
  'fåglarna i fågelholken',
  'pissoaren i tvättstugan',
  'kukumber', // misspelt cucumber, not an insult
  'assistans i trapphuset',
  'passagen mellan husen',
  'scunthorpe is a town',
];

describe('filterText', () => {
  it.each(INSULTS)('masks %j', (text, masked) => {
    expect(filterText(text, 'mask')).toEqual({ text: masked, flagged: true });
    expect(filterText(text, 'hold')).toEqual({ text, flagged: true });
    expect(filterText(text, 'off')).toEqual({ text, flagged: false });
  });

  it.each(CLEAN)('leaves %j untouched', (text) => {
    expect(filterText(text, 'mask')).toEqual({ text, flagged: false });
  });

  it('flags none of the redactor corpus, tenant sentences of every kind', () => {
    const flagged = CORPUS.map((line) => line.replace(/\{\w+:([^}]*)\}/g, '$1')).filter((text) => filterText(text, 'mask').flagged);
    expect(flagged).toEqual([]);
  });

  it('is idempotent and never lengthens a text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...INSULTS.map(([t]) => t), ...CLEAN, ' ', 'ö', '1', '!', '-'), { maxLength: 20 }), (parts) => {
        const text = parts.join(' ');
        const once = filterText(text, 'mask').text;
        expect(filterText(once, 'mask').text).toBe(once);
        expect(once.length).toBeLessThanOrEqual(text.length + 3 * parts.length);
      }),
      { numRuns: 200 },
    );
  });

  it('costs linear time: per KiB at 64 KiB within 8× the cost at 1 KiB, or a plain linear pass', () => {
    const linearPass = (text: string) => text.normalize('NFKC').replace(/[\p{L}\p{N}]/gu, 'x');
    const perKiB = (text: string, work: (text: string) => unknown, runs: number) => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        work(text);
        best = Math.min(best, performance.now() - started);
      }
      return best / (text.length / 1024);
    };
    fc.assert(
      fc.property(fc.constantFrom('fuuuu', 'idiot', 'h0ra ', 'a', 'f u c k ', '$$$$', 'sh1t', 'kukkukkuk', '-', 'ö'), (unit) => {
        const small = unit.repeat(Math.ceil(1024 / unit.length));
        const large = unit.repeat(Math.ceil((64 * 1024) / unit.length));
        perKiB(small, (t) => filterText(t, 'mask'), 3);
        const base = perKiB(small, (t) => filterText(t, 'mask'), 7);
        perKiB(large, (t) => filterText(t, 'mask'), 1);
        const cost = perKiB(large, (t) => filterText(t, 'mask'), 5);
        expect(cost, `${unit}: ${cost} vs ${base}`).toBeLessThanOrEqual(8 * Math.max(base, perKiB(large, linearPass, 3)));
      }),
      { numRuns: 10 },
    );
  });
});

describe('TEXT_FILTER', () => {
  it('defaults to mask and takes off, mask or hold only', () => {
    const env = { ADMIN_TOKEN, WEBHOOK_SECRETS: TEST_SECRET };
    expect(loadConfig(env).textFilter).toBe('mask');
    expect(loadConfig({ ...env, TEXT_FILTER: 'hold' }).textFilter).toBe('hold');
    expect(() => loadConfig({ ...env, TEXT_FILTER: 'maybe' })).toThrow(/TEXT_FILTER: must be off, mask or hold/);
  });

  async function boardTexts(t: TestApp, surveyId: string): Promise<string[]> {
    const { token } = await t.app.tokens.mint(surveyId, ['stats', 'text'], 600);
    const res = await fetch(`${t.url}/api/v1/surveys/${surveyId}/texts`, { headers: { Authorization: `Bearer ${token}` } });
    return ((await res.json()) as { texts: TextAnswer[] }).texts.map((text) => text.text).sort();
  }

  describe('mask (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ store: 'memory' });
    });
    afterAll(() => t.close());

    it('shows a board token the text masked, after redaction', async () => {
      const survey = sampleSurvey();
      await t.putSurvey(survey);
      await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'anna svensson är en idiot' }] }));
      await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'sex rum och beslut om slutstädning' }] }));
      expect(await boardTexts(t, survey.id)).toEqual(['[namn] är en i***', 'sex rum och beslut om slutstädning']);
    });
  });

  describe('hold', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ store: 'redis', env: { TEXT_FILTER: 'hold' } });
    });
    afterAll(() => t.close());

    it('holds a text with an insult for moderation; clean texts show at once', async () => {
      const survey = sampleSurvey();
      await t.putSurvey(survey);
      await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'förvaltaren är en idiot' }] }));
      await t.sendResponse(response(survey.id, { answers: [{ questionId: 'comment', text: 'bra service' }] }));
      expect(await boardTexts(t, survey.id)).toEqual(['bra service']);
      const pending = ((await (await t.admin('GET', `/api/v1/surveys/${survey.id}/texts/pending`)).json()) as { texts: TextAnswer[] }).texts;
      expect(pending.map((text) => text.text)).toEqual(['förvaltaren är en idiot']);
      expect((await t.admin('POST', `/api/v1/texts/${pending[0]!.id}/approve`)).status).toBe(200);
      expect(await boardTexts(t, survey.id)).toEqual(['bra service', 'förvaltaren är en idiot']);
    });
  });
});
