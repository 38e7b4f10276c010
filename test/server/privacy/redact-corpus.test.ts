/**
 * Recall and precision of the redactor per kind on a labelled corpus of tenant-style sentences,
 * printed as a table. A span counts as found when its text is gone from the output and a marker of
 * its kind stands in the sentence (as many markers as spans); every other marker of the kind is a
 * false alarm. Ordinary sentences (no span) must come out unchanged.
 */
import { afterAll, expect, it } from 'vitest';
import { type RedactionKind, redactText, SWEDISH_MARKERS } from '../../../server/privacy/redact.js';
import { AREAS, CORPUS } from './redact-corpus.js';

const KINDS = Object.keys(SWEDISH_MARKERS) as RedactionKind[];
const MARK_RE = /\{(\w+):([^}]*)\}/g;

interface Labelled {
  plain: string;
  spans: { kind: RedactionKind; text: string }[];
}
const parse = (line: string): Labelled => ({
  plain: line.replace(MARK_RE, (_all, _kind, text: string) => text),
  spans: [...line.matchAll(MARK_RE)].map((m) => ({ kind: m[1] as RedactionKind, text: m[2] as string })),
});
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

const labelled = CORPUS.map(parse);
const tally = new Map(KINDS.map((kind) => [kind, { spans: 0, found: 0, markers: 0 }]));
const ordinary = { sentences: 0, changed: [] as string[] };
const missed: string[] = [];

for (const { plain, spans } of labelled) {
  const out = redactText(plain, SWEDISH_MARKERS, { areaNames: AREAS }).text;
  if (spans.length === 0) {
    ordinary.sentences += 1;
    if (out !== plain) ordinary.changed.push(`${plain} -> ${out}`);
    continue;
  }
  for (const kind of KINDS) {
    const t = tally.get(kind)!;
    const ofKind = spans.filter((span) => span.kind === kind);
    const markers = count(out, SWEDISH_MARKERS[kind]);
    const gone = ofKind.filter((span) => !out.includes(span.text));
    const found = Math.min(gone.length, markers);
    t.spans += ofKind.length;
    t.markers += markers;
    t.found += found;
    if (found < ofKind.length) missed.push(`${kind}: ${plain} -> ${out}`);
  }
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
afterAll(() => {
  const rows = KINDS.map((kind) => {
    const t = tally.get(kind)!;
    return `| ${kind} | ${t.spans} | ${t.found} | ${t.markers} | ${ratio(t.found, t.spans).toFixed(3)} | ${ratio(t.found, t.markers).toFixed(3)} |`;
  });
  console.log(
    [
      `redactor corpus: ${labelled.length} sentences, ${ordinary.sentences} ordinary`,
      '| kind | spans | found | markers | recall | precision |',
      '|---|---|---|---|---|---|',
      ...rows,
      `ordinary sentences changed: ${ordinary.changed.length} of ${ordinary.sentences} (${((100 * ordinary.changed.length) / ordinary.sentences).toFixed(1)} %)`,
      ...ordinary.changed.map((line) => `  changed: ${line}`),
      ...missed.map((line) => `  missed ${line}`),
    ].join('\n'),
  );
});

it('has a corpus of at least 200 sentences, ordinary ones and every kind among them', () => {
  expect(labelled.length).toBeGreaterThanOrEqual(200);
  expect(ordinary.sentences).toBeGreaterThanOrEqual(80);
  for (const kind of ['name', 'apartment', 'address', 'phone'] as const) expect(tally.get(kind)!.spans).toBeGreaterThanOrEqual(15);
});

it.each(KINDS)('finds %s with recall ≥ 0.95', (kind) => {
  const t = tally.get(kind)!;
  expect(ratio(t.found, t.spans)).toBeGreaterThanOrEqual(0.95);
});

it('changes at most 2 % of ordinary sentences', () => {
  expect(ordinary.changed.length / ordinary.sentences).toBeLessThanOrEqual(0.02);
});
