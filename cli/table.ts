/** Plain-text tables for the terminal: padded columns, numbers right-aligned. */

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** Code points, not UTF-16 units: "Södermalm" is 9 wide. */
const width = (text: string) => [...text].length;

export function formatTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, i) => Math.max(width(column.header), ...rows.map((row) => width(row[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
        return columns[i]?.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map(line)].join('\n');
}

/** A share 0..1 as a bar of `size` cells. */
export function bar(share: number, size = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, share)) * size);
  return '█'.repeat(filled) + '░'.repeat(size - filled);
}

export const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)}%`);
