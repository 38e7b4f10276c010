/**
 * The history CSV reader (server/ingest/history-import.ts) under fast-check: hostile strings
 * (quotes, separators, line breaks, BOMs, lone surrogates, control characters, Swedish letters)
 * only ever give rows a survey can count or an InvalidInputError naming lines and columns; any
 * well-formed file in Excel's spellings reads back as written; one bad line names its line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../server/ingest/errors.js';
import { MAX_DAY_RESPONSES, readHistoryCsv } from '../../../server/ingest/history-import.js';
import { addDays, isCalendarDate } from '../../../server/store/daily.js';

const TODAY = '2026-12-01';
const survey = {
  id: 'enkat-2025',
  areas: [
    { id: 'norr', name: 'Norra området', distributed: 100 },
    { id: 'soder', name: 'Södra området', distributed: 50 },
    { id: 'ostra', name: 'Östra Ängby', distributed: 10 },
    { id: 'a.b_c-1', name: 'Åkerby "gamla"; del 1', distributed: 10 },
  ],
};
const areaIds = new Set(survey.areas.map((area) => area.id));

/** Either rows a survey can count, or an InvalidInputError whose every error names a line and column. */
function readOrRefuse(text: string) {
  try {
    return { rows: readHistoryCsv(text, survey, TODAY) };
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    const refused = error as InvalidInputError;
    expect(refused.message).toMatch(/Nothing was changed\.$/);
    expect(refused.errors?.length).toBeGreaterThan(0);
    expect(refused.errors?.length).toBeLessThanOrEqual(50);
    for (const field of refused.errors ?? []) expect(field.path).toMatch(/^line [1-9]\d*, column [1-9]\d*$/);
    return { error: refused };
  }
}

const hostileChar = fc.constantFrom(
  ';',
  ',',
  '"',
  '\n',
  '\r',
  '\r\n',
  '\uFEFF',
  '\u0000',
  '\u202f',
  '\u00a0',
  'å',
  'Ä',
  'ö',
  '\uD800',
  '\uDC00',
  '\t',
  ' ',
  '-',
  '0',
  '9',
);
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: fc.oneof(hostileChar, fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 200 }),
);

describe('readHistoryCsv under hostile input', () => {
  it('gives countable rows or an error naming lines and columns, never anything else', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const outcome = readOrRefuse(text);
        if (!outcome.rows) return;
        const keys = new Set<string>();
        for (const row of outcome.rows) {
          expect(isCalendarDate(row.date) && row.date <= TODAY).toBe(true);
          expect(areaIds.has(row.areaKey)).toBe(true);
          expect(Number.isInteger(row.responses) && row.responses >= 0 && row.responses <= MAX_DAY_RESPONSES).toBe(true);
          const key = `${row.date} ${row.areaKey}`;
          expect(keys.has(key)).toBe(false);
          keys.add(key);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads hostile lines after a good header the same way', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { maxLength: 8 }), (lines) => {
        readOrRefuse(['datum;område;svar', ...lines].join('\n'));
      }),
      { numRuns: 1000 },
    );
  });
});

interface Row {
  date: string;
  area: (typeof survey.areas)[number];
  byName: boolean;
  upper: boolean;
  responses: number;
  spaced: boolean;
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  date: fc.integer({ min: 0, max: 800 }).map((ago) => addDays(TODAY, -ago)),
  area: fc.constantFrom(...survey.areas),
  byName: fc.boolean(),
  upper: fc.boolean(),
  responses: fc.integer({ min: 0, max: MAX_DAY_RESPONSES }),
  spaced: fc.boolean(),
});

/** A field as Excel writes it: quoted when it holds the separator, a quote or a line break. */
const field = (value: string, delimiter: string, quoteAll: boolean) =>
  quoteAll || value.includes(delimiter) || value.includes('"') || /[\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

const fileArb = fc.record({
  rows: fc.uniqueArray(rowArb, { minLength: 1, maxLength: 30, selector: (row) => `${row.date} ${row.area.id}` }),
  delimiter: fc.constantFrom(';', ','),
  newline: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  quoteAll: fc.boolean(),
  trailingNewline: fc.boolean(),
});

type File = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

function render(file: File): string {
  const { delimiter, newline, quoteAll } = file;
  const line = (cells: string[]) => cells.map((cell) => field(cell, delimiter, quoteAll)).join(delimiter);
  const body = [
    line(['Datum', 'Område', 'Antal svar']),
    ...file.rows.map((row) => {
      const area = row.byName ? row.area.name : row.area.id;
      const count = row.spaced ? row.responses.toLocaleString('sv-SE') : String(row.responses);
      return line([row.date, row.upper ? area.toLocaleUpperCase('sv') : area, count]);
    }),
  ].join(newline);
  return `${file.bom ? '\uFEFF' : ''}${body}${file.trailingNewline ? newline : ''}`;
}

describe('readHistoryCsv on well-formed files', () => {
  it('reads back every row as written: separators, BOM, quoting, names in any case, "1 200"', () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const rows = readHistoryCsv(render(file), survey, TODAY);
        expect(rows).toEqual(file.rows.map((row) => ({ date: row.date, areaKey: row.area.id, responses: row.responses })));
      }),
      { numRuns: 500 },
    );
  });

  it('names the line of one bad line put anywhere, and reads nothing', () => {
    const badLine = fc.constantFrom(
      '2025-02-30;norr;1',
      '2025-10-06;Västra;1',
      '2025-10-06;norr;-1',
      '2025-10-06;norr;1,5',
      '06/10/2025;norr;1',
      `${addDays(TODAY, 1)};norr;1`,
      ';;',
    );
    fc.assert(
      fc.property(fileArb, badLine, fc.nat(), (file, bad, at) => {
        const good: File = { ...file, delimiter: ';', quoteAll: false, trailingNewline: false, bom: false };
        const lines = render(good).split(good.newline);
        const index = 1 + (at % lines.length);
        lines.splice(index, 0, bad);
        const outcome = readOrRefuse(lines.join(good.newline));
        expect(outcome.error?.errors?.[0]?.path).toMatch(new RegExp(`^line ${index + 1}, `));
      }),
      { numRuns: 300 },
    );
  });
});
