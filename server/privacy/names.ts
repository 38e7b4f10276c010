/**
 * Personal names in free text, for the redactor. Tenants write "anna svensson i trappan
 * bredvid" as often as "Anna Svensson": names are found in any letter case from lists of common
 * first names and surnames (data/names.json, made by scripts/name-list.ts), and by surname shape
 * (-sson). Names that are also words ("björn", "rosa", "per", "holm": data/name-words.json) count
 * only when capitalised inside a sentence, next to another name, or after a word that introduces a
 * person ("grannen", "heter"). Words of the survey's own area names are never taken for names.
 *
 * One pass over the words (a token regex and Set look-ups), so the cost is linear in the text.
 */
import { readFileSync } from 'node:fs';

const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8')) as T;
const lists = readJson<{ firstNames: string[]; surnames: string[] }>('names.json');
/** Single words only: a list entry of two words ("عبد الله") is found by its parts when they are names. */
const FIRST_NAMES = new Set(lists.firstNames.filter((name) => !name.includes(' ')));
const SURNAMES = new Set(lists.surnames.filter((name) => !name.includes(' ')));
const NAME_WORDS = new Set(readJson<{ words: string[] }>('name-words.json').words);

/** Words after which the next word, if a name or capitalised, names a person. */
const INTRODUCERS = new Set([
  'grannen',
  'granne',
  'grannarna',
  'vaktmästaren',
  'vaktmästare',
  'vaktis',
  'vicevärden',
  'vicevärd',
  'förvaltaren',
  'förvaltare',
  'bovärden',
  'bovärd',
  'husvärden',
  'städaren',
  'fastighetsskötaren',
  'kvartersvärden',
  'handläggaren',
  'heter',
  'hette',
  'kallas',
  'herr',
  'fru',
  'mr',
  'mrs',
  'ms',
  'miss',
  'neighbour',
  'neighbor',
  'caretaker',
  'janitor',
  'named',
  'called',
]);
/** Surnames by shape: Svensson, Johansson; "lesson" is not one. */
const SURNAME_SHAPE = /^\p{L}{2,}sson$/u;
const NOT_SURNAMES = new Set(['lesson', 'lessons']);

/** Words, with the hyphen of double names ("Ann-Marie") and the apostrophe of "O'Brien". */
const WORD_RE = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;
const MAX_NAME_LENGTH = 30;

interface Word {
  start: number;
  end: number;
  lower: string;
  capitalised: boolean;
  /** First word of the text or of a sentence: capitalised there by grammar, not because it is a name. */
  sentenceStart: boolean;
}

function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const start = m.index;
    const word = m[0];
    let before = start - 1;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\u00A0' || text[before] === '"' || text[before] === '(')) before--;
    const lower = word.toLocaleLowerCase('sv');
    out.push({
      start,
      end: start + word.length,
      lower,
      capitalised: word[0] !== lower[0],
      sentenceStart: before < 0 || '.!?\n:;'.includes(text[before] ?? ''),
    });
  }
  return out;
}

/** Lower-cased words of the survey's area names: never names. */
export function areaWords(areaNames: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const name of areaNames) for (const m of name.matchAll(WORD_RE)) set.add(m[0].toLocaleLowerCase('sv'));
  return set;
}

/** Character ranges [start, end) of the names in the text, adjacent name words merged into one. */
export function findNames(text: string, keep: ReadonlySet<string>): [number, number][] {
  const list = words(text);
  const known = (w: Word) =>
    w.lower.length <= MAX_NAME_LENGTH &&
    !keep.has(w.lower) &&
    (FIRST_NAMES.has(w.lower) || SURNAMES.has(w.lower) || NAME_WORDS.has(w.lower) || (SURNAME_SHAPE.test(w.lower) && !NOT_SURNAMES.has(w.lower)));
  const ambiguous = (w: Word) => NAME_WORDS.has(w.lower);
  // Whether two words stand next to each other, with only a space or a hyphen between them.
  const adjacent = (a: Word | undefined, b: Word | undefined) =>
    a !== undefined && b !== undefined && b.start - a.end === 1 && /[ \u00A0-]/.test(text[a.end] ?? '');
  const isName: boolean[] = list.map((w) => known(w) && !ambiguous(w));
  for (let i = 0; i < list.length; i++) {
    const w = list[i] as Word;
    if (isName[i] || keep.has(w.lower) || w.lower.length > MAX_NAME_LENGTH) continue;
    const prev = list[i - 1];
    const introduced = prev !== undefined && INTRODUCERS.has(prev.lower) && adjacent(prev, w);
    const capitalisedInside = w.capitalised && !w.sentenceStart;
    if (known(w)) {
      // A name that is also a word: "Björn", "grannen björn", "björn svensson".
      const besideName = (adjacent(prev, w) && isName[i - 1]) || (adjacent(w, list[i + 1]) && known(list[i + 1] as Word) && !ambiguous(list[i + 1] as Word));
      if (capitalisedInside || introduced || besideName) isName[i] = true;
    } else if (capitalisedInside && (introduced || (adjacent(prev, w) && isName[i - 1] && prev?.capitalised))) {
      // An unknown surname after a capitalised first name ("Anna Bergkvist"), or a name after "grannen".
      isName[i] = true;
    }
  }
  const spans: [number, number][] = [];
  for (let i = 0; i < list.length; i++) {
    if (!isName[i]) continue;
    const w = list[i] as Word;
    const last = spans[spans.length - 1];
    if (last && i > 0 && isName[i - 1] && adjacent(list[i - 1], w)) last[1] = w.end;
    else spans.push([w.start, w.end]);
  }
  return spans;
}
