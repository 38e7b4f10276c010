/**
 * A tagged template for server-rendered pages that escapes every interpolated value, so a query
 * parameter can never become markup. Only other `html` results (SafeHtml) are inserted as they are.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** Markup that is already safe: the result of `html`. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

const render = (value: Value): string => {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
};

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** ` name="value"` for every attribute with a value (`true` gives a bare attribute), in order. */
export function attributes(record: Record<string, string | number | boolean | undefined>): SafeHtml {
  let out = '';
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined || value === false || value === '') continue;
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`Not an attribute name: ${name}`);
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return new SafeHtml(out);
}
