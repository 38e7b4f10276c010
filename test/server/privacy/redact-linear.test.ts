/**
 * Hostile answers against the redactor and the webhook: cost grows linearly with the text, and
 * what comes out is well-formed. No absolute times: every budget is the same shape's cost per
 * KiB at 1 KiB, measured in the same run, times a generous factor (a quadratic pattern costs 64
 * times more per KiB at 64 KiB; noise on a busy 2-core machine a factor of two or three).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLISH_MARKERS, redactText, SWEDISH_MARKERS } from '../../../server/privacy/redact.js';
import { response, sampleSurvey, startTestApp, type TestApp } from '../../support/harness.js';

const KIB = 1024;
const BODY_LIMIT = 64 * KIB;
/** Per-KiB cost at 64 KiB may be this many times the cost at 1 KiB: linear is ~1, quadratic 64. */
const RATIO = 8;
const unbounded = { maxLength: Number.POSITIVE_INFINITY };

/** Pieces hostile answers are made of: long words, NFKC-expanding characters, digits, separators, other scripts. */
const PIECES = [
  'a',
  'A',
  'X',
  'ö',
  's',
  's gata 1',
  'gatan',
  'vägen 1',
  ' ',
  '\u00A0',
  '-',
  '–',
  '.',
  '/',
  ',',
  '+',
  '+1',
  '00',
  '(',
  ')',
  '@',
  '0',
  '1',
  '7',
  '070',
  '46',
  '1234',
  '\u3316', // ㌖, six letters after NFKC
  '\uFDFA', // eighteen characters after NFKC
  '\uFF10', // full-width 0
  '\u2011', // no-break hyphen
  '\u{1D400}', // mathematical bold A
  'ж',
  'ب',
  '中',
  'lgh ',
  'lägenhet nr ',
  'port C',
  'trappa',
  'Anna ',
  'Svensson',
  '\u0301', // combining acute accent
];
const piece = fc.constantFrom(...PIECES);
/** A hostile answer: a prefix, a unit repeated to the wanted length, a suffix. */
const shape = fc.record({
  prefix: fc.array(piece, { maxLength: 4 }).map((p) => p.join('')),
  unit: fc.oneof(
    fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  ),
  suffix: fc.array(piece, { maxLength: 4 }).map((p) => p.join('')),
});
type Shape = { prefix: string; unit: string; suffix: string };
const build = ({ prefix, unit, suffix }: Shape, length: number) =>
  prefix + unit.repeat(Math.max(1, Math.ceil((length - prefix.length - suffix.length) / unit.length))) + suffix;

/** The shapes that were quadratic or backtracked before, always among the cases tried. */
const KNOWN: Shape[] = [
  { prefix: 'X', unit: '\u3316', suffix: 's gata 1' },
  { prefix: 'A', unit: 'a', suffix: 's gata 1' },
  { prefix: '', unit: '+1234 ', suffix: '' },
  { prefix: '', unit: '+1 234 ', suffix: '' },
  { prefix: 'Östra ', unit: 'a', suffix: 'gatan 1' },
  { prefix: '1 ', unit: 'A', suffix: ' Street' },
  { prefix: '', unit: 'a.', suffix: '@example.se' },
];

/** Fastest of a few runs of `work` over a text, per KiB of the text after normalisation. */
function msPerKiB(text: string, work: (text: string) => void, runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work(text);
    best = Math.min(best, performance.now() - started);
  }
  return best / (text.normalize('NFKC').length / KIB);
}

const linearPass = (text: string) => {
  text.normalize('NFKC').replace(/[\p{L}\p{N}]/gu, 'x');
};

/** Asserts the per-KiB cost at 64 KiB is within RATIO of the cost at 1 KiB. */
function assertLinear(s: Shape, work: (text: string) => void): void {
  const small = build(s, KIB);
  const large = build(s, BODY_LIMIT);
  // 1 KiB runs are short: repeat them inside one timing so the clock's resolution does not count.
  const tenTimes = (text: string) => {
    for (let i = 0; i < 10; i++) work(text);
  };
  msPerKiB(small, tenTimes, 3); // warm-up: compile the patterns' paths for this shape
  const baseline = msPerKiB(small, tenTimes, 7) / 10;
  const cost = msPerKiB(large, work, 3);
  // A text with nothing to scan costs next to nothing at 1 KiB, where noise decides: the floor is a
  // plainly linear pass (normalise, then one regex replace) over the same 64 KiB.
  const floor = msPerKiB(large, linearPass, 3);
  expect(
    cost,
    `${JSON.stringify(s)}: ${cost.toFixed(4)} ms/KiB at 64 KiB vs ${baseline.toFixed(4)} at 1 KiB, linear pass ${floor.toFixed(4)}`,
  ).toBeLessThanOrEqual(RATIO * Math.max(baseline, floor));
}

describe('redactText on hostile input', () => {
  const redactLong = (text: string) => {
    redactText(text, SWEDISH_MARKERS, unbounded);
  };

  it.each(KNOWN)('costs linear time on %j', (s) => assertLinear(s, redactLong));

  it('costs linear time on random hostile shapes up to the body limit', () => {
    fc.assert(
      fc.property(shape, (s) => assertLinear(s, redactLong)),
      { numRuns: 25 },
    );
  });

  // Short inputs: the properties below are about what comes out, not time.
  const answer = fc.array(fc.oneof(piece, fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength: 40 }).map((p) => p.join(''));

  it('is idempotent: a redacted text has nothing left to redact', () => {
    fc.assert(
      fc.property(answer, (text) => {
        const once = redactText(text).text;
        expect(redactText(once)).toEqual({ text: once, found: [] });
      }),
      { numRuns: 400 },
    );
  });

  it('never puts a marker inside a marker, and never lengthens a text it finds nothing in', () => {
    const markers = [...Object.values(SWEDISH_MARKERS), ...Object.values(ENGLISH_MARKERS)];
    fc.assert(
      fc.property(answer, (text) => {
        const { text: out, found } = redactText(text);
        for (const marker of markers) {
          const inner = marker.slice(1, -1);
          // A marker's inside appears outside a whole marker only if the tenant wrote it.
          if (out.split(marker).join('').includes(`[${inner}`) || out.split(marker).join('').includes(`${inner}]`)) {
            expect(text.normalize('NFKC')).toContain(inner);
          }
        }
        if (found.length === 0) expect(out).toBe(text.normalize('NFKC').replace(/(\d)[\u2010-\u2015\u2212](?=\d)/g, '$1-'));
        expect(out.length).toBeLessThanOrEqual(Math.max(text.normalize('NFKC').length, 1) + found.length * 20 * 8);
        expect(out).toBe(out.toWellFormed());
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every text within the answer limit after normalisation', () => {
    fc.assert(
      fc.property(shape, (s) => {
        // What is scanned is cut to 5,000 characters; each marker may be longer than what it replaced.
        const out = redactText(build(s, 6000)).text;
        const markers = Object.values(SWEDISH_MARKERS).reduce((n, marker) => n + out.split(marker).length - 1, 0);
        expect(out.length).toBeLessThanOrEqual(5000 + markers * Math.max(...Object.values(SWEDISH_MARKERS).map((m) => m.length)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('the webhook on hostile text answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ store: 'memory' });
  });
  afterAll(() => t.close());

  /** Text answers filling about `bytes` of body, each within the schema's 5,000 characters. */
  function answers(s: Shape, bytes: number) {
    const perAnswer = Math.min(5000, bytes);
    const text = build(s, perAnswer).slice(0, 5000);
    const count = Math.max(1, Math.floor(bytes / (Buffer.byteLength(JSON.stringify(text)) + 40)));
    return Array.from({ length: count }, (_, i) => ({ questionId: `comment${i}`, text }));
  }

  async function assertWebhookLinear(s: Shape, matched: boolean): Promise<void> {
    const survey = { ...sampleSurvey(), textQuestions: Array.from({ length: 40 }, (_, i) => `comment${i}`) };
    if (matched) await t.putSurvey(survey);
    const timeOne = async (bytes: number) => {
      const body = response(matched ? survey.id : `unknown-${survey.id}`, { answers: answers(s, bytes) });
      const started = performance.now();
      const res = await t.sendResponse(body);
      const ms = performance.now() - started;
      expect(res.status, await res.text()).toBe(matched ? 200 : 202);
      return ms / (Buffer.byteLength(JSON.stringify(body)) / KIB);
    };
    await timeOne(KIB);
    const small = Math.min(await timeOne(KIB), await timeOne(KIB), await timeOne(KIB));
    const large = Math.min(await timeOne(BODY_LIMIT - 4 * KIB), await timeOne(BODY_LIMIT - 4 * KIB));
    expect(large, `${JSON.stringify(s)}: ${large.toFixed(3)} ms/KiB at 60 KiB vs ${small.toFixed(3)} at 1 KiB`).toBeLessThanOrEqual(RATIO * small);
  }

  it.each(KNOWN)('answers a body near the limit in linear time, survey known: %j', (s) => assertWebhookLinear(s, true), 60_000);
  it.each(KNOWN.slice(0, 2))('answers a body near the limit in linear time, survey unknown: %j', (s) => assertWebhookLinear(s, false), 60_000);
});
