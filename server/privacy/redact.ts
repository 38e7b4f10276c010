/**
 * PII redaction for free-text survey answers (Swedish housing-company tenant survey).
 *
 * Replaces e-mail addresses, phone numbers, Swedish personal identity / coordination
 * numbers and street addresses with human-readable markers. The patterns are tuned to
 * prefer leaving ordinary text (dates, sums, floor numbers, case numbers…) untouched
 * over catching every conceivable format, and every match is validated further in code
 * (Luhn checksum, plausible date, digit counts, unit words) before it is replaced.
 *
 * All regexes are compiled once at module load: redactText runs once per free-text
 * answer on the ingest hot path.
 */

import { MAX_TEXT_LENGTH } from '../../shared/schemas.js';
import { areaWords, findNames } from './names.js';

export type RedactionKind = 'phone' | 'email' | 'personnummer' | 'address' | 'apartment' | 'name';

export type RedactionMarkers = Record<RedactionKind, string>;

export const SWEDISH_MARKERS: RedactionMarkers = {
  phone: '[telefonnummer]',
  email: '[e-post]',
  personnummer: '[personnummer]',
  address: '[adress]',
  apartment: '[lägenhet]',
  name: '[namn]',
};

export const ENGLISH_MARKERS: RedactionMarkers = {
  phone: '[phone number]',
  email: '[e-mail]',
  personnummer: '[personal id number]',
  address: '[address]',
  apartment: '[apartment]',
  name: '[name]',
};

// Precedence: email → personnummer → phone → address (each pass sees earlier markers, which contain no digits or '@');
// an unseparated 10-digit number starting with 07 is a Swedish mobile number, even if it also passes the Luhn/date check.
// Apartment numbers and names come last: an address takes its "lgh 1102" with it, and names are
// looked for in what is left, markers included (no marker is a name).
const PASS_ORDER: readonly RedactionKind[] = ['email', 'personnummer', 'phone', 'address', 'apartment', 'name'];

// ---------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------

/** Space or no-break space: copy-pasted phone numbers and addresses often contain U+00A0. */
const SP = '[ \\u00A0]';

/** Builds a case-insensitive pattern for one word without the `i` flag (which would make \p{Lu} match lowercase too). */
function caseless(word: string): string {
  return [...word]
    .map((ch) => {
      const lower = ch.toLowerCase();
      const upper = ch.toUpperCase();
      return lower === upper ? ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${lower}${upper}]`;
    })
    .join('');
}

const caselessAlternation = (words: readonly string[]): string => `(?:${words.map(caseless).join('|')})`;

/** Number of ASCII digits in a string. */
function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * Regexes may greedily swallow an ordinary number written after a phone number
 * ("070-123 45 67 2 gånger"). Drop trailing separated digit groups until the digit count
 * fits; returns the accepted prefix, or null if the span can't be made to fit.
 */
function fitDigitGroups(span: string, countedPart: (s: string) => number, min: number, max: number): string | null {
  let candidate = span;
  while (countedPart(candidate) > max) {
    const shorter = withoutTrailingDigitGroup(candidate);
    if (shorter === null) return null;
    candidate = shorter;
  }
  return countedPart(candidate) >= min ? candidate : null;
}

const isDigitCode = (c: number) => c >= 48 && c <= 57;
const GROUP_SEPARATORS = new Set([' ', '\u00A0', '.', '-', '–', '/']);

/** "070-123 45 67 2" -> "070-123 45 67": drops a last separated digit group, "(12)" included; null if there is none. Scans back from the end, so its cost is the group's length. */
function withoutTrailingDigitGroup(span: string): string | null {
  let i = span.length;
  if (span[i - 1] === ')') i--;
  const digitsEnd = i;
  while (i > 0 && isDigitCode(span.charCodeAt(i - 1))) i--;
  if (i === digitsEnd) return null;
  if (span[i - 1] === '(') i--;
  if (i === 0 || !GROUP_SEPARATORS.has(span[i - 1] ?? '')) return null;
  return span.slice(0, i - 1);
}

/** Luhn (mod 10) checksum over a string of digits, weights 2,1,2,1… from the left as for 10-digit personnummer. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// ---------------------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------------------

// The lookbehind makes matches start only at the beginning of a token, which keeps the
// scan linear on long runs of letters; Unicode letters allow "åsa.öberg@exempel.se".
const EMAIL_RE =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.){1,8}\p{L}{2,63}(?![\p{L}\p{N}])/gu;

// ---------------------------------------------------------------------------------------
// Personnummer / samordningsnummer
// ---------------------------------------------------------------------------------------

// YYMMDD[-+]NNNN, YYMMDDNNNN, YYYYMMDD[-]NNNN. Not glued to letters or other numbers, so
// that parts of longer reference numbers are never picked out.
const PERSONNUMMER_RE = /(?<![\p{L}\p{N}_+]|\p{N}[-–./])(18|19|20)?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})(?![\p{N}]|[-–./]\p{N})/gu;

/** Month 01–12, day 01–31 or 61–91 (coordination numbers add 60 to the day). */
function isPlausibleBirthDate(month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && ((d >= 1 && d <= 31) || (d >= 61 && d <= 91));
}

// ---------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------

/** Phone numbers don't start glued to words or continue another number (e.g. "2024-05-12"). */
const PHONE_START = String.raw`(?<![\p{L}\p{N}_+\/@]|\p{N}[\-–.,:\/])`;
/** …and don't end in the middle of a longer number or a decimal/date. */
const PHONE_END = String.raw`(?![\p{N}]|[\-–.,:\/]\p{N})`;

// Swedish: trunk prefix 0 (or +46 / 0046, optionally with "(0)"), area code 1–3 digits,
// optional "-"/space, subscriber number in space-separated groups, or in dash-separated
// groups ending in two digits ("070-123-45-67"); the dash form is that strict so that
// dd-mm-yyyy dates and "08-17 08-12" opening hours never qualify. The digit count after
// the prefix (7–9) is checked in code.
const SWEDISH_PHONE_RE = new RegExp(
  PHONE_START +
    String.raw`(?<prefix>(?:\+|00)46${SP}?(?:[\-–]${SP}?)?(?:\(0\)${SP}?)?|\(0|0)` +
    String.raw`(?<national>[1-9]\d{0,2}\)?(?:${SP}?[\-–\/]${SP}?|${SP}|\.)?(?:\d{2,3}(?:[\-–]\d{2,3})?[\-–]\d{2}|\d{2,3}(?:\.\d{2,3})?\.\d{2}|\d{2,8}(?:${SP}\d{2,4}){0,3}))` +
    PHONE_END,
  'gu',
);
const SWEDISH_NATIONAL_DIGITS = { min: 7, max: 9 } as const;

/**
 * A label right before a number that says it is a reference, not a phone number. Only
 * used to veto phone numbers: a personnummer used as customer number is still personal data.
 */
const NUMBER_WORD = String.raw`(?:-?(?:nummer|nr|number|no)\.?)`;
const REFERENCE_NUMBER_LABEL_RE = new RegExp(
  String.raw`(?<![\p{L}])(?:` +
    // Labels that name a reference number on their own ("ärende 0123456789")…
    `(?:ärende|order|faktura|ocr|referens|ref|invoice|case|ticket)${NUMBER_WORD}?` +
    // …and ones that only do with a number word ("kundnummer", not "kund: 070-…").
    String.raw`|(?:kund|avtal|objekt|customer|account)(?:${NUMBER_WORD}|[ \u00A0]+${NUMBER_WORD})` +
    String.raw`)(?:[ \u00A0]+${NUMBER_WORD})?[ \u00A0]*[:#]?[ \u00A0]*$`,
  'iu',
);

// International (non-Swedish): "+" or "00", country code, then digit groups separated by
// space, dot, dash or slash, with an optional area code in parentheses ("+1 (555) 123-4567").
// E.164 allows at most 15 digits including the country code; fewer than 8 is more likely
// a signed quantity ("+20 000 kr", "+5 grader") than a phone number. Each digit run is taken
// whole (a lookahead capture, which JavaScript never backtracks into) and runs of more than
// 15 digits fail at once, so a start costs at most a few tries per group, never a search over
// the ways to split a run into country code and groups.
const DIGIT_RUN = (group: number) => `(?=(\\d{1,15}))\\${group}(?!\\d)`;
const INTERNATIONAL_PHONE_RE = new RegExp(
  PHONE_START +
    String.raw`(?:\+|00)(?!46)(?=[1-9])` +
    DIGIT_RUN(1) +
    String.raw`(?:(?:${SP}?[\-.–\/]?${SP}?)(?:\(${DIGIT_RUN(2)}\)|${DIGIT_RUN(3)})){0,7}` +
    PHONE_END,
  'gu',
);
const INTERNATIONAL_DIGITS = { min: 8, max: 15 } as const;

// ---------------------------------------------------------------------------------------
// Street addresses
// ---------------------------------------------------------------------------------------

/** Swedish street-name endings matched in any letter case ("storgatan 12", "STORGATAN 12"). */
const SV_STREET_SUFFIXES = ['gatan', 'vägen', 'gränden', 'gränd', 'stigen', 'backen', 'torget', 'allén', 'allé', 'leden', 'stråket'];
/** Endings that are also everyday words (genväg, våningsplan, bakgata): only as a capitalised proper noun. */
const SV_PROPER_NOUN_SUFFIXES = ['plan', 'platsen', 'gata', 'väg'];
/** Two-word names in the genitive: "Karl Johans gata 3", "Gustav Adolfs torg 1". */
const SV_GENITIVE_STREET_WORDS = ['gata', 'väg', 'gränd', 'torg', 'backe', 'stig', 'allé', 'plats'];
/** Letters in one word of a street name: a longer word is not a street, and the bound keeps every name scan short. */
const MAX_STREET_WORD = 40;
const SV_NAME_PREFIXES = ['Östra', 'Västra', 'Norra', 'Södra', 'Stora', 'Lilla', 'Gamla', 'Nya', 'Övre', 'Nedre', 'Sankt', 'S:t'];

/**
 * Common nouns that happen to end like a street name; "motorvägen 3 km bort" or
 * "Våningsplan 2" are not addresses. Compared lowercased against the whole street name.
 */
const SV_COMMON_NOUN_STREETS = new Set(
  [
    'genväg',
    'omväg',
    'motorväg',
    'cykelväg',
    'gångväg',
    'bilväg',
    'landsväg',
    'huvudväg',
    'grusväg',
    'skogsväg',
    'infartsväg',
    'utfartsväg',
    'tillfartsväg',
    'huvudgata',
    'sidogata',
    'bakgata',
    'gågata',
    'återvändsgata',
    'våningsplan',
    'entréplan',
    'bottenplan',
    'källarplan',
    'markplan',
    'gatuplan',
    'garageplan',
    'parkeringsplan',
    'parkeringsplats',
    'cykelled',
    'gångstig',
    'pulkabacke',
    'skidbacke',
  ].flatMap((noun) => [noun, `${noun}en`, `${noun}n`]),
);

/** A number followed by one of these is a quantity, not a house number ("Storgatan 3 km", "gångvägen 2 gånger"). */
const QUANTITY_UNITS = [
  'kvm',
  'm2',
  'm²',
  'km',
  'mil',
  'meter',
  'm',
  'cm',
  'mm',
  'min',
  'minuter',
  'minutes',
  'sek',
  'sekunder',
  'kr',
  'kronor',
  ':-',
  '%',
  'procent',
  'percent',
  'gånger',
  'ggr',
  'times',
  'st',
  'stycken',
  'år',
  'years',
  'dagar',
  'days',
  'veckor',
  'weeks',
  'månader',
  'months',
  'timmar',
  'tim',
  'hours',
  'grader',
  'degrees',
  '°',
  'rok',
  'rum',
];
const NOT_A_QUANTITY = String.raw`(?!${SP}{0,3}${caselessAlternation(QUANTITY_UNITS)}(?![\p{L}]))`;

const SV_HOUSE_NUMBER =
  // 12, 12B, 12 B, 12-14; never followed by more digits, a decimal, a time or a unit.
  String.raw`\d{1,4}(?![\p{N}])(?:[\-–]\d{1,4}(?![\p{N}]))?(?:[A-Za-z](?![\p{L}\p{N}])|${SP}[A-Z](?![\p{L}\p{N}]))?(?![.,:]\p{N})` + NOT_A_QUANTITY;
const SV_APARTMENT = String.raw`(?:,?${SP}{0,3}(?:${caseless('lgh')}\.?|${caseless('lägenhet')})${SP}{0,3}(?:${caseless('nr')}\.?${SP}{0,3})?\d{3,4}(?![\p{N}]))?`;
/** Floor given with the address ("Sveavägen 44, 3 tr"). */
const SV_FLOOR = String.raw`(?:,?${SP}{0,3}\d{1,2}${SP}?(?:${caseless('trappor')}|${caseless('trappa')}|${caseless('tr')})(?![\p{L}]))?`;
const SV_POSTCODE_AND_TOWN = String.raw`(?:,?${SP}{0,3}(?:SE-?${SP}?)?[1-9]\d{2}${SP}?\d{2}(?![\p{N}])(?:,?${SP}{1,3}\p{Lu}\p{L}{0,${MAX_STREET_WORD}}(?:-\p{Lu}\p{L}{0,${MAX_STREET_WORD}})?)?)?`;

const SWEDISH_ADDRESS_RE = new RegExp(
  // Start only at the beginning of a word (hyphen included) so the lazy name scan stays linear.
  String.raw`(?<![\p{L}\p{N}\-])` +
    '(?<name>' +
    `(?:(?:${SV_NAME_PREFIXES.map(caseless).join('|')})${SP}{1,3})?` +
    '(?:' +
    String.raw`\p{L}[\p{L}\-]{0,${MAX_STREET_WORD}}?${caselessAlternation(SV_STREET_SUFFIXES)}` +
    String.raw`|\p{Lu}[\p{L}\-]{0,${MAX_STREET_WORD}}?${caselessAlternation(SV_PROPER_NOUN_SUFFIXES)}` +
    String.raw`|(?:\p{Lu}\p{L}{0,${MAX_STREET_WORD}}${SP})?\p{Lu}\p{L}{0,${MAX_STREET_WORD}}s${SP}(?:${SV_GENITIVE_STREET_WORDS.join('|')})` +
    ')' +
    ')' +
    String.raw`(?![\p{L}])${SP}{1,3}` +
    SV_HOUSE_NUMBER +
    SV_APARTMENT +
    SV_FLOOR +
    SV_POSTCODE_AND_TOWN,
  'gu',
);

// English: "[Flat 3, ]12 Baker Street", "221B Baker St", "5 Elm Road". Street names must
// be capitalised so prose like "2 main roads" stays intact. A trailing "." after an
// abbreviation is left in place because it usually ends the sentence.
const EN_STREET_TYPES = [
  'Street',
  'St',
  'Road',
  'Rd',
  'Avenue',
  'Ave',
  'Lane',
  'Ln',
  'Drive',
  'Close',
  'Court',
  'Crescent',
  'Place',
  'Square',
  'Terrace',
  'Boulevard',
  'Blvd',
  'Way',
  'Gardens',
  'Grove',
  'Mews',
];
/** "a 2 Minutes Drive" is a duration, not an address. */
const EN_QUANTITY_WORDS = caselessAlternation([
  'minutes',
  'minute',
  'mins',
  'hours',
  'hour',
  'days',
  'day',
  'weeks',
  'week',
  'months',
  'years',
  'times',
  'miles',
  'mile',
  'km',
  'meters',
  'metres',
]);
const ENGLISH_ADDRESS_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])` +
    String.raw`(?:(?:[Ff]lat|[Aa]partment|[Aa]pt\.?|[Uu]nit|[Ss]uite)${SP}{1,3}\d{1,4}[A-Za-z]?,?${SP}{1,3})?` +
    String.raw`\d{1,5}(?:[\-–]\d{1,5})?[A-Za-z]?,?${SP}{1,3}` +
    String.raw`(?!${EN_QUANTITY_WORDS}(?![\p{L}]))` +
    String.raw`(?:\p{Lu}[\p{L}'’\-]{0,${MAX_STREET_WORD}}${SP}{1,3}){1,3}` +
    String.raw`(?:${EN_STREET_TYPES.join('|')})(?![\p{L}\p{N}])`,
  'gu',
);

/**
 * Street names without a street ending ("Ringdansen 34, port C", "bor på kvarngärdet 12"): a house
 * number alone would make "plan 2" or "vecka 12" an address, so one of three things must say it
 * is one: an entrance after the number (port, uppgång, trappa, ingång), a word before the name that
 * says where someone lives, or a place-name ending common in Swedish estates (-dansen, -slingan).
 */
const SV_ENTRANCE = String.raw`,?${SP}{0,3}(?:${caselessAlternation(['port', 'uppgång', 'uppg', 'trappuppgång', 'trapphus', 'ingång', 'entré', 'trappa', 'tr'])})\.?${SP}{0,3}(?:[A-Za-z]|\d{1,2})(?![\p{L}\p{N}])`;
const SV_PLACE_ENDINGS = [
  'dansen',
  'slingan',
  'gången',
  'kroken',
  'bågen',
  'ringen',
  'svängen',
  'höjden',
  'liden',
  'gårdsvägen',
  'promenaden',
  'esplanaden',
  'terrassen',
  'branten',
  'kajen',
  'passagen',
  'vändan',
  'hagen',
  'ängen',
  'parken',
];
const SV_LIVES_AT = caselessAlternation([
  'bor på',
  'bor i',
  'bor vid',
  'boende på',
  'adress',
  'adressen',
  'adressen är',
  'flyttade till',
  'flyttat till',
  'lives at',
  'live at',
  'living at',
  'address',
]);
const SV_PLAIN_STREET_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}\-])` +
    '(?:' +
    // Name + number + entrance: "Ringdansen 34, port C", "ringdansen 34 uppg b".
    String.raw`(?<named>\p{L}[\p{L}\-]{1,${MAX_STREET_WORD}}${SP}{1,3}\d{1,4}[A-Za-z]?(?![\p{N}])${SV_ENTRANCE})` +
    // "bor på Kvarngärdet 12": the place word is kept, the name and number go.
    String.raw`|(?<=${SV_LIVES_AT}:?${SP}{1,3})(?<placed>\p{L}[\p{L}\-]{1,${MAX_STREET_WORD}}${SP}{1,3}\d{1,4}(?:${SP}?[A-Za-z])?(?![\p{L}\p{N}]))` +
    // A place-name ending: "Ringdansen 34", "bågen 3b".
    String.raw`|(?<ending>\p{L}[\p{L}\-]{0,${MAX_STREET_WORD}}?${caselessAlternation(SV_PLACE_ENDINGS)}${SP}{1,3}\d{1,4}(?:${SP}?[A-Za-z])?(?![\p{L}\p{N}])(?:${SV_ENTRANCE})?)` +
    ')' +
    String.raw`(?![.,:]\p{N})` +
    NOT_A_QUANTITY,
  'gu',
);
/** Words that a number follows without making an address: "vecka 12", "plan 2", "buss 4". */
const NOT_STREET_NAMES = new Set([
  'plan',
  'våning',
  'vån',
  'vecka',
  'veckan',
  'v',
  'rum',
  'hus',
  'huset',
  'buss',
  'bussen',
  'linje',
  'nummer',
  'nr',
  'kapitel',
  'version',
  'kl',
  'klockan',
  'år',
  'sidan',
  'sida',
  'betyg',
  'room',
  'floor',
  'level',
  'page',
  'bus',
  'week',
  'lgh',
  'lägenhet',
  'port',
  'trappa',
]);

/**
 * Apartment numbers: "lgh 1102", "Lägenhet 1204", "lägenhetsnummer 0901", "lägenhet nr 1204",
 * "min lgh är 1102", and the four-digit number written before the word ("1102 är min lägenhet").
 */
const APARTMENT_WORD = caselessAlternation(['lägenhetsnummer', 'lägenhetsnr', 'lägenheten', 'lägenhet', 'lägnhet', 'lgh', 'lägh', 'apartment', 'apt', 'flat']);
const APARTMENT_FILLER = caselessAlternation(['nummer', 'number', 'nr', 'no', 'är', 'is', 'med']);
const APARTMENT_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])` +
    '(?:' +
    String.raw`${APARTMENT_WORD}\.?(?:${SP}{0,3}(?:${APARTMENT_FILLER}\.?|[:#]))?(?:${SP}{0,3}[:#])?${SP}{0,3}\d{3,5}(?![\p{N}]|[.,:]\p{N})` +
    String.raw`|\d{4}(?![\p{N}]|[.,:]\p{N})${SP}{1,3}(?:${caselessAlternation(['är min', 'är vår', 'är', 'is my', 'is our'])}${SP}{1,3})?${APARTMENT_WORD}(?![\p{L}])` +
    ')',
  'gu',
);

// ---------------------------------------------------------------------------------------
// Passes
// ---------------------------------------------------------------------------------------

const CONTEXT_CHARS = 40;

/** The part of a match to redact (a prefix), null to keep it all, or how many leading characters to keep before the marker. */
type AcceptResult = string | null | { keep: number };

/** Replaces accepted matches as `accept` says. */
function replaceAccepted(
  text: string,
  re: RegExp,
  marker: string,
  accept: (match: string, groups: string[], named: Record<string, string | undefined>, textBefore: () => string) => AcceptResult,
): { text: string; hit: boolean } {
  let hit = false;
  const out = text.replace(re, (...args: unknown[]) => {
    const match = args[0] as string;
    const last = args[args.length - 1];
    const named = (typeof last === 'object' && last !== null ? last : {}) as Record<string, string | undefined>;
    // Positional groups sit between the match and the offset argument.
    const offsetIndex = args.findIndex((a, i) => i > 0 && typeof a === 'number');
    const groups = args.slice(1, offsetIndex).map((g) => (typeof g === 'string' ? g : ''));
    const offset = args[offsetIndex] as number;
    // Lazily, since only some passes look at the context.
    const textBefore = () => text.slice(Math.max(0, offset - CONTEXT_CHARS), offset);
    const redacted = accept(match, groups, named, textBefore);
    if (redacted !== null && typeof redacted === 'object') {
      hit = true;
      return `${match.slice(0, redacted.keep)} ${marker}`;
    }
    if (redacted === null || redacted.length === 0) return match;
    hit = true;
    return marker + match.slice(redacted.length);
  });
  return { text: out, hit };
}

function redactEmails(text: string, marker: string) {
  return replaceAccepted(text, EMAIL_RE, marker, (match) => match);
}

function redactPersonnummer(text: string, marker: string) {
  return replaceAccepted(text, PERSONNUMMER_RE, marker, (match, [century, yy, mm, dd, separator, serial]) => {
    const tenDigits = `${yy}${mm}${dd}${serial}`;
    // Mobile numbers win: "0701234567" is far more likely a phone than someone born 2007.
    if (!century && !separator && tenDigits.startsWith('07')) return null;
    if (!isPlausibleBirthDate(mm ?? '', dd ?? '') || !luhnValid(tenDigits)) return null;
    return match;
  });
}

function redactPhones(text: string, marker: string) {
  const international = replaceAccepted(text, INTERNATIONAL_PHONE_RE, marker, (match) =>
    fitDigitGroups(match, countDigits, INTERNATIONAL_DIGITS.min, INTERNATIONAL_DIGITS.max),
  );
  const swedish = replaceAccepted(international.text, SWEDISH_PHONE_RE, marker, (match, _groups, named, textBefore) => {
    // "ärende 0123456789" is a case number even though it is shaped like a landline number.
    if (REFERENCE_NUMBER_LABEL_RE.test(textBefore())) return null;
    const prefixLength = named.prefix?.length ?? 0;
    // Count only the national significant number, i.e. without +46/0046/0/(0).
    const nationalDigits = (s: string) => countDigits(s.slice(prefixLength));
    return fitDigitGroups(match, nationalDigits, SWEDISH_NATIONAL_DIGITS.min, SWEDISH_NATIONAL_DIGITS.max);
  });
  return { text: swedish.text, hit: international.hit || swedish.hit };
}

const WORD_CHAR_RE = /[\p{L}-]/u;
/** The name's last word, found by stepping back from its end (a `[\p{L}-]+$` search would start again at every letter). */
function lastWord(name: string): string {
  let start = name.length;
  while (start > 0 && WORD_CHAR_RE.test(name[start - 1] ?? '')) start--;
  return name.slice(start);
}

/** What a pass needs to know about the survey. */
interface PassContext {
  /** Lower-cased words of the survey's area names: never redacted. */
  keep: ReadonlySet<string>;
}

const firstWordOf = (name: string) => name.slice(0, name.search(/[ \u00A0]|$/u)).toLocaleLowerCase('sv');

function redactAddresses(text: string, marker: string, { keep }: PassContext) {
  // A street that shares its name with one of the survey's areas keeps the name: "Ringdansen [adress]".
  const areaName = (match: string): AcceptResult => {
    const name = match.slice(0, match.search(/[ \u00A0]|$/u));
    return keep.size > 0 && keep.has(name.toLocaleLowerCase('sv')) ? { keep: name.length } : match;
  };
  const swedish = replaceAccepted(text, SWEDISH_ADDRESS_RE, marker, (match, _groups, named) =>
    SV_COMMON_NOUN_STREETS.has(lastWord(named.name ?? '').toLowerCase()) ? null : areaName(match),
  );
  const plain = replaceAccepted(swedish.text, SV_PLAIN_STREET_RE, marker, (match) => (NOT_STREET_NAMES.has(firstWordOf(match)) ? null : areaName(match)));
  const english = replaceAccepted(plain.text, ENGLISH_ADDRESS_RE, marker, (match) => match);
  return { text: english.text, hit: swedish.hit || plain.hit || english.hit };
}

function redactApartments(text: string, marker: string) {
  return replaceAccepted(text, APARTMENT_RE, marker, (match) => match);
}

function redactNames(text: string, marker: string, { keep }: PassContext) {
  const spans = findNames(text, keep);
  if (spans.length === 0) return { text, hit: false };
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + marker;
    at = end;
  }
  return { text: out + text.slice(at), hit: true };
}

const PASSES: Record<RedactionKind, (text: string, marker: string, context: PassContext) => { text: string; hit: boolean }> = {
  email: redactEmails,
  personnummer: redactPersonnummer,
  phone: redactPhones,
  address: redactAddresses,
  apartment: redactApartments,
  name: redactNames,
};

/** Every kind but names contains a digit or an '@'; most answers have neither. */
const MAY_CONTAIN_PII_RE = /[0-9@]/;
const LETTER_PASSES: ReadonlySet<RedactionKind> = new Set(['name']);

/** Returns the text with personal data replaced by markers, and which kinds were found. Pure, fast (called once per free-text answer on the ingest hot path; precompile regexes at module level), never throws. */
/**
 * Compatibility forms (full-width digits and @, no-break spaces) become their plain forms, and
 * dashes between digits a hyphen, so "０７０‑１２３ ４５ ６７" cannot slip past patterns written for
 * "070-123 45 67". Prose keeps its en dashes and its Swedish letters (NFKC leaves å, ä, ö alone).
 */
function normalizeForms(text: string, maxLength: number): string {
  return limitLength(text.normalize('NFKC'), maxLength).replace(/(\d)[\u2010-\u2015\u2212](?=\d)/g, '$1-');
}

/** How far back a cut looks for the start of the word it fell in. */
const MAX_CUT_BACK = 64;

/**
 * The text cut to maxLength, applied after NFKC because normalisation may make a text many times
 * longer (U+3316 becomes six letters, U+FDFA eighteen). A cut inside a word drops that word's
 * start too, so the tail of a number is not left behind for the patterns to miss.
 */
function limitLength(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = maxLength;
  // Never half a surrogate pair.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  if (!/\s/u.test(text[end] ?? ' ')) {
    let i = end;
    while (i > 0 && end - i < MAX_CUT_BACK && !/\s/u.test(text[i - 1] ?? '')) i--;
    if (i > 0 && end - i < MAX_CUT_BACK) end = i;
  }
  return text.slice(0, end).trimEnd();
}

export interface RedactOptions {
  /** Longest text kept, counted after normalisation; the answer schema's limit unless a test asks for more. */
  maxLength?: number;
  /** The survey's area names: never redacted, not as names nor as streets. */
  areaNames?: readonly string[];
}

const EMPTY_SET: ReadonlySet<string> = new Set();

export function redactText(text: string, markers: RedactionMarkers = SWEDISH_MARKERS, options: RedactOptions = {}): { text: string; found: RedactionKind[] } {
  // Callers outside the type system (JSON payloads) may hand us anything.
  const input = normalizeForms(typeof text === 'string' ? text : text == null ? '' : String(text), options.maxLength ?? MAX_TEXT_LENGTH);
  const digitsOrAt = MAY_CONTAIN_PII_RE.test(input);
  const context: PassContext = { keep: options.areaNames ? areaWords(options.areaNames) : EMPTY_SET };
  try {
    let current = input;
    const found: RedactionKind[] = [];
    for (const kind of PASS_ORDER) {
      if (!digitsOrAt && !LETTER_PASSES.has(kind)) continue;
      const result = PASSES[kind](current, markers?.[kind] ?? SWEDISH_MARKERS[kind], context);
      current = result.text;
      if (result.hit) found.push(kind);
    }
    return { text: current, found };
  } catch {
    // Unreachable in practice (the passes only run regex replaces), but an answer we
    // could not scan must not leak PII downstream: fail closed.
    return { text: '', found: [] };
  }
}

/**
 * The response as ingest keeps it, in any store. With its survey known, answers to its text
 * questions are redacted and the text of any other answer is dropped (it would not be kept, so it
 * is not worth scanning). Without (an unmatched response), every text answer is redacted: a survey
 * created later decides which of them it keeps. Either way the cost is bounded by the body limit.
 */
export function redactAnswers<T extends { answers: { questionId: string; text?: string }[] }>(
  data: T,
  survey?: { textQuestions: readonly string[]; areas?: readonly { name: string }[] },
): T {
  if (!data.answers.some((answer) => answer.text !== undefined)) return data;
  const areaNames = survey?.areas?.map((area) => area.name);
  const isText = (questionId: string) => survey === undefined || survey.textQuestions.includes(questionId);
  return {
    ...data,
    answers: data.answers.map((answer) => {
      if (answer.text === undefined) return answer;
      if (!isText(answer.questionId)) {
        const { text: _dropped, ...rest } = answer;
        return rest;
      }
      return { ...answer, text: redactText(answer.text, SWEDISH_MARKERS, { areaNames }).text };
    }),
  };
}
