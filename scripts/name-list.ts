/**
 * `npx tsx scripts/name-list.ts`: writes server/privacy/data/names.json, the first names and
 * surnames the redactor looks for, from @faker-js/faker's locales (MIT licence; its Swedish lists
 * follow Statistics Sweden's common names, including names of Swedes of other origins). Run again
 * after upgrading faker; the redactor reads only the JSON, so faker stays a dev dependency.
 */
import { writeFileSync } from 'node:fs';
import { ar, fi, sv } from '@faker-js/faker';

type NameList = string[] | { female?: string[]; male?: string[]; generic?: string[] } | undefined;
const flatten = (list: NameList): string[] => (Array.isArray(list) ? list : [...(list?.female ?? []), ...(list?.male ?? []), ...(list?.generic ?? [])]);
const person = (locale: { person?: unknown }) => (locale.person ?? {}) as { first_name?: NameList; last_name?: NameList };

const locales = { sv, fi, ar };
const lower = (names: string[]) => [...new Set(names.map((name) => name.toLocaleLowerCase('sv')))].sort();
const firstNames = lower(Object.values(locales).flatMap((locale) => flatten(person(locale).first_name)));
const surnames = lower(Object.values(locales).flatMap((locale) => flatten(person(locale).last_name)));

const out = {
  source: `@faker-js/faker ${(await import('@faker-js/faker/package.json', { with: { type: 'json' } })).default.version}, locales ${Object.keys(locales).join(', ')} (person.first_name, person.last_name)`,
  licence: 'MIT (faker-js contributors)',
  firstNames,
  surnames,
};
writeFileSync(new URL('../server/privacy/data/names.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
console.log(`${firstNames.length} first names, ${surnames.length} surnames`);
