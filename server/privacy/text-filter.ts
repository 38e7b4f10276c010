/**
 * TEXT_FILTER: keeps insults and slurs off public screens. English by obscenity (its dataset and
 * look-alike transformers: "fuuuck", "sh1t", "ʃṳ𝒸𝗄"), Swedish by data/swedish-insults.json matched
 * as whole words after the same kind of folding. Runs after redaction, once per text.
 *
 * English entries that are ordinary Swedish words are left out of the English dataset: "sex"
 * (six), "slut" (end, and inside "beslut", "slutet"), "tit" ("en titt", "titta"), "prick" (dot),
 * and clinical words that are no insult (anal, anus, penis, vagina, semen).
 */
import { readFileSync } from 'node:fs';
import { DataSet, englishDataset, englishRecommendedTransformers, pattern, RegExpMatcher } from 'obscenity';

export type TextFilterMode = 'off' | 'mask' | 'hold';

const SWEDISH_COLLISIONS = new Set(['sex', 'slut', 'tit', 'prick', 'anal', 'anus', 'penis', 'vagina', 'semen']);
/** Matched anywhere in a word by obscenity, yet the ends of Swedish words: "lamporna", "trapporna" (porn), "fågel" (fag). Here only where a word starts. */
const WORD_START_ONLY = new Set(['porn', 'fag']);
const englishSet = new DataSet<{ originalWord?: string }>()
  .addAll(englishDataset)
  .removePhrasesIf((phrase) => SWEDISH_COLLISIONS.has(phrase.metadata?.originalWord ?? '') || WORD_START_ONLY.has(phrase.metadata?.originalWord ?? ''))
  .addPhrase((phrase) => phrase.setMetadata({ originalWord: 'porn' }).addPattern(pattern`|porn`))
  .addPhrase((phrase) => phrase.setMetadata({ originalWord: 'fag' }).addPattern(pattern`|fag|`).addPattern(pattern`|fags|`).addPattern(pattern`|faggot`));
const builtEnglish = englishSet.build();
const english = new RegExpMatcher({
  ...builtEnglish,
  // Swedish words with an English one inside that obscenity would otherwise find.
  whitelistedTerms: [...(builtEnglish.whitelistedTerms ?? []), 'pissoar', 'fagott'],
  ...englishRecommendedTransformers,
});

/** Digits and signs written for letters, as in "h0ra", "1diot", "$ubba". */
const LOOK_ALIKES = new Map(Object.entries({ '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' }));
/** "fiiitta" and "fitta" both become "fita": repeated letters count once, in the list and in the text. */
const squeeze = (word: string) => word.replace(/(\p{L})\1+/gu, '$1');
const fold = (word: string) =>
  squeeze(
    [...word.normalize('NFKC').toLocaleLowerCase('sv')]
      .map((ch) => LOOK_ALIKES.get(ch) ?? ch)
      .join('')
      .replace(/[\u0300-\u036f]/g, ''),
  );

const swedishWords = (JSON.parse(readFileSync(new URL('./data/swedish-insults.json', import.meta.url), 'utf8')) as { words: string[] }).words;
const SWEDISH = new Set(swedishWords.map(fold));
/** Compounds with these endings insult too ("idiotjävel"); on their own "jävlar" is an oath, not an insult. */
const INSULT_ENDINGS = ['jävel', 'jävlar', 'javel', 'javlar'].map(fold);
/** A word with letters, look-alike digits and signs inside it ("h0ra", "$ubba", "cp-unge"). */
const WORD_RE = /[\p{L}\p{M}$@][\p{L}\p{M}\p{N}$@!-]*/gu;
const MAX_WORD = 40;

/** obscenity's cost per character grows with the input's length; pieces of about 1 KiB, cut at spaces, keep it flat. */
const PIECE = 1024;

function englishRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + PIECE);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start + PIECE / 2) end = space;
    }
    // obscenity's end index is inclusive.
    for (const m of english.getAllMatches(text.slice(start, end), true)) ranges.push([start + m.startIndex, start + m.endIndex + 1]);
    start = end;
  }
  return ranges;
}

function isSwedishInsult(word: string): boolean {
  if (word.length < 3 || word.length > MAX_WORD || !/\p{L}/u.test(word)) return false;
  const folded = fold(word.replace(/[!-]+$/u, ''));
  if (SWEDISH.has(folded)) return true;
  return INSULT_ENDINGS.some((ending) => folded.length > ending.length + 2 && folded.endsWith(ending));
}

/** "m***": the first letter says a word was there; the same three stars whatever its length. */
const maskWord = (word: string) => `${String.fromCodePoint(word.codePointAt(0) ?? 42)}***`;

export interface FilteredText {
  text: string;
  /** Whether an insult or slur was found (and, with mask, masked). */
  flagged: boolean;
}

/** The text with insults and slurs masked ("m***") under `mask`; unchanged under `off` and `hold` (which flags it for moderation). */
export function filterText(text: string, mode: TextFilterMode): FilteredText {
  if (mode === 'off') return { text, flagged: false };
  const ranges = englishRanges(text);
  for (const m of text.matchAll(WORD_RE)) {
    const word = m[0].replace(/[!-]+$/u, '');
    if (isSwedishInsult(word)) ranges.push([m.index, m.index + word.length]);
  }
  if (ranges.length === 0 || mode === 'hold') return { text, flagged: ranges.length > 0 };
  ranges.sort((a, b) => a[0] - b[0]);
  let masked = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue; // inside one already masked
    masked += text.slice(at, Math.max(at, start)) + (start >= at ? maskWord(text.slice(start, end)) : '');
    at = end;
  }
  return { text: masked + text.slice(at), flagged: true };
}

/** Filters the texts of one response in place: masked, or held (status pending) for an admin. */
export function applyTextFilter(texts: { text: string; status?: 'pending' | 'approved' }[], mode: TextFilterMode): void {
  if (mode === 'off') return;
  for (const stored of texts) {
    const filtered = filterText(stored.text, mode);
    if (!filtered.flagged) continue;
    if (mode === 'hold') stored.status = 'pending';
    else stored.text = filtered.text;
  }
}
