/** CSV as spreadsheets export it, for hand-out lists and backfills: "," or ";" (Swedish Excel). */
import { parse } from 'csv-parse/sync';

export { CsvError } from 'csv-parse/sync';

export interface CsvRecord {
  record: string[];
  /** `lines`: the line the record ends on (1-based, the header is line 1). */
  info: { lines: number };
}

/** The separator the header line uses: ";" when it has more of those than ",", else ",". */
export function detectDelimiter(text: string): ';' | ',' {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (char: string) => header.split(char).length - 1;
  return count(';') >= count(',') && count(';') > 0 ? ';' : ',';
}

/** Parses every record with the line it ends on; throws csv-parse's CsvError for broken quoting. */
export function readCsvRecords(text: string): CsvRecord[] {
  // With `info`, each record comes with its line (csv-parse's typings do not say so).
  return parse(text, {
    delimiter: detectDelimiter(text),
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
  }) as unknown as CsvRecord[];
}
