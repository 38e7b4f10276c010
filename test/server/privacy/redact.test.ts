import { describe, expect, it } from 'vitest';
import { ENGLISH_MARKERS, type RedactionKind, redactText, SWEDISH_MARKERS } from '../../../server/privacy/redact.js';
import { MAX_TEXT_LENGTH } from '../../../shared/schemas.js';

// Personnummer values below were generated with the Luhn check in redact.ts:
//   811218-9876 (valid), 811278-9873 (coordination number, day 18+60), 701263-3454 (coordination),
//   640823-3234, 121212-1212, 850914-0011, 030303-1231 (born 2003), 20121212-1212.
//   0701234569 passes Luhn and has a plausible date (2007-01-23) but is treated as a mobile number.
//   Luhn failures with plausible dates: 8812159876, 5501011234, 811218-9875.

type Positive = [input: string, expected: string, kinds: RedactionKind[]];

const positiveCases: Positive[] = [
  // --- e-mail ---
  ['Maila mig på anna.svensson@example.se tack', 'Maila mig på [e-post] tack', ['email']],
  ['Kontakta erik+hyresgast@mail.bostad.example.com', 'Kontakta [e-post]', ['email']],
  ['E-post: Lars_Oberg@kommun.example.se.', 'E-post: [e-post].', ['email']],
  ['my email is john.doe@example.co.uk, thanks', 'my email is [e-post], thanks', ['email']],
  ['<kalle@exempel.nu>', '<[e-post]>', ['email']],
  ['mejla åsa.ström@bolag.se', 'mejla [e-post]', ['email']],
  ['first.last-name@sub.domain.example.org', '[e-post]', ['email']],
  ['Skriv till support@bostadsbolaget.se eller ring', 'Skriv till [e-post] eller ring', ['email']],
  ['reach me at Jane.Doe99@gmail.com anytime', 'reach me at [e-post] anytime', ['email']],

  // --- Swedish phone numbers ---
  ['Ring mig på 070-123 45 67 tack', 'Ring mig på [telefonnummer] tack', ['phone']],
  ['Mitt nummer är 0701234567.', 'Mitt nummer är [telefonnummer].', ['phone']],
  ['nås på 070 123 45 67 efter kl. 17', 'nås på [telefonnummer] efter kl. 17', ['phone']],
  ['+46 70 123 45 67', '[telefonnummer]', ['phone']],
  ['Ring +46701234567 på kvällen', 'Ring [telefonnummer] på kvällen', ['phone']],
  ['0046 70 123 45 67', '[telefonnummer]', ['phone']],
  ['Växeln: 08-123 456 78', 'Växeln: [telefonnummer]', ['phone']],
  ['08-12 34 56', '[telefonnummer]', ['phone']],
  ['Göteborg 031-12 34 56', 'Göteborg [telefonnummer]', ['phone']],
  ['Kundtjänst 0771-123 456', 'Kundtjänst [telefonnummer]', ['phone']],
  ['073-987 65 43, fråga efter Eva', '[telefonnummer], fråga efter [namn]', ['phone', 'name']],
  ['+46 (0)70-123 45 67', '[telefonnummer]', ['phone']],
  ['(08) 123 456 78', '[telefonnummer]', ['phone']],
  ['Tel:0701234567', 'Tel:[telefonnummer]', ['phone']],
  ['070–123 45 67', '[telefonnummer]', ['phone']],
  ['070-1234567', '[telefonnummer]', ['phone']],
  ['ring 070-123 45 67 12 gånger', 'ring [telefonnummer] 12 gånger', ['phone']],
  ['mobil 0701234569', 'mobil [telefonnummer]', ['phone']],
  ['070\u00A0123\u00A045\u00A067', '[telefonnummer]', ['phone']],
  ['tel 070-123-45-67', 'tel [telefonnummer]', ['phone']],
  ['031-12-34-56', '[telefonnummer]', ['phone']],
  ['Kund: 070-123 45 67', 'Kund: [telefonnummer]', ['phone']],
  ['+46 8 123 456 78', '[telefonnummer]', ['phone']],

  // --- international phone numbers ---
  ['Call me on +44 20 7946 0958 please', 'Call me on [telefonnummer] please', ['phone']],
  ['+1 (555) 123-4567', '[telefonnummer]', ['phone']],
  ['+358 40 1234567', '[telefonnummer]', ['phone']],
  ['0044 20 7946 0958', '[telefonnummer]', ['phone']],
  ['Berlin office +49 30 12345678', 'Berlin office [telefonnummer]', ['phone']],
  ['my cell is +1 555 123 4567.', 'my cell is [telefonnummer].', ['phone']],
  ['+47 912 34 567', '[telefonnummer]', ['phone']],

  // --- personnummer / samordningsnummer ---
  ['Mitt personnummer är 811218-9876', 'Mitt personnummer är [personnummer]', ['personnummer']],
  ['8112189876', '[personnummer]', ['personnummer']],
  ['19811218-9876', '[personnummer]', ['personnummer']],
  ['pnr 198112189876 tack', 'pnr [personnummer] tack', ['personnummer']],
  ['811218+9876', '[personnummer]', ['personnummer']],
  ['samordningsnummer 811278-9873', 'samordningsnummer [personnummer]', ['personnummer']],
  ['640823-3234', '[personnummer]', ['personnummer']],
  ['pnr: 121212-1212', 'pnr: [personnummer]', ['personnummer']],
  ['Sonens nummer är 20121212-1212.', 'Sonens nummer är [personnummer].', ['personnummer']],
  ['701263-3454', '[personnummer]', ['personnummer']],
  ['My personal number is 850914-0011.', 'My personal number is [personnummer].', ['personnummer']],
  ['0303031231', '[personnummer]', ['personnummer']],
  ['(19640823-3234)', '([personnummer])', ['personnummer']],

  // --- Swedish street addresses ---
  ['Jag bor på Storgatan 12', 'Jag bor på [adress]', ['address']],
  ['Storgatan 12, lgh 1102, 123 45 Stockholm', '[adress]', ['address']],
  ['Adress: Sveavägen 44B lgh 1203', 'Adress: [adress]', ['address']],
  ['Drottninggatan 5 B, 111 51 Stockholm', '[adress]', ['address']],
  ['storgatan 12 har fuktskador', '[adress] har fuktskador', ['address']],
  ['Östra Hamngatan 24, Göteborg', '[adress], Göteborg', ['address']],
  ['Kyrkogränd 3', '[adress]', ['address']],
  ['Björkstigen 7', '[adress]', ['address']],
  ['Solbacken 14', '[adress]', ['address']],
  ['Stortorget 2', '[adress]', ['address']],
  ['Lindallén 9', '[adress]', ['address']],
  ['Stureplan 4', '[adress]', ['address']],
  ['Ekeleden 10', '[adress]', ['address']],
  ['Norrstråket 3', '[adress]', ['address']],
  ['Kungsgata 8', '[adress]', ['address']],
  ['Parkväg 21', '[adress]', ['address']],
  ['Karl Johans gata 3', '[adress]', ['address']],
  ['S:t Eriksgatan 117', '[adress]', ['address']],
  ['Åsgatan 3-5', '[adress]', ['address']],
  ['Ängsvägen 2a, 654 32 Karlstad', '[adress]', ['address']],
  ['STORGATAN 12 lgh 1102', '[adress]', ['address']],
  ['Sveavägen 44, 3 tr, 113 50 Stockholm', '[adress]', ['address']],
  ['Kungsgatan 5 och Drottninggatan 7', '[adress] och [adress]', ['address']],
  ['Gustav Adolfs torg 1', '[adress]', ['address']],
  ['Vi bor på Götgatan 9, 116 46 Stockholm sedan 2010', 'Vi bor på [adress] sedan 2010', ['address']],

  // --- English street addresses ---
  ['I live at 12 Baker Street', 'I live at [adress]', ['address']],
  ['221B Baker St', '[adress]', ['address']],
  ['5 Elm Road', '[adress]', ['address']],
  ['send it to 10 Downing St.', 'send it to [adress].', ['address']],
  ['Flat 3, 12 High Street', '[adress]', ['address']],
  ['42 Wallaby Way, Sydney', '[adress], Sydney', ['address']],
  ['7 Maple Avenue is my home', '[adress] is my home', ['address']],
  ['15 Church Lane', '[adress]', ['address']],

  // --- look-alike characters: no-break hyphen, full-width digits and @, no-break space ---
  ['Ring 070\u2011123\u00a045 67', 'Ring [telefonnummer]', ['phone']],
  ['Ring ０７０１２３４５６７ i kväll', 'Ring [telefonnummer] i kväll', ['phone']],
  ['anna＠example.com', '[e-post]', ['email']],
  ['pnr 811218\u20119876', 'pnr [personnummer]', ['personnummer']],
  // --- apartment numbers (issue 13) ---
  ['Lgh 1102 har fuktskador', '[lägenhet] har fuktskador', ['apartment']],
  // --- several kinds in one answer ---
  ['Ring 070-123 45 67 eller maila anna@example.se', 'Ring [telefonnummer] eller maila [e-post]', ['email', 'phone']],
  [
    'Namn: Anna, pnr 811218-9876, bor på Storgatan 12, tel 08-12 34 56',
    'Namn: [namn], pnr [personnummer], bor på [adress], tel [telefonnummer]',
    ['personnummer', 'phone', 'address', 'name'],
  ],
];

const negativeCases: string[] = [
  // dates and years
  'Besiktningen var 2024-05-12',
  'den 12/5 kom hantverkarna',
  'den 3 maj 2024 var det stopp i avloppet',
  '20240512',
  '2024-05-12 kl. 14:30',
  '12.05.2024',
  'May 12, 2024',
  '01-02-2024',
  '05-12-2024',
  '1998',
  'år 2023 byttes fönstren',
  'We moved in during 2019',
  'sedan 1998 har vi bott här',
  // times
  'kl. 14:30',
  'kl 08.00-16.00',
  'öppet 08-17',
  'mån-fre 08-17, lör 10-14',
  'öppet 08-17 08-12',
  'kl 07.30-16.00',
  'at 14:30 the lift broke',
  // money
  '1 234 kr',
  '12 500 kr',
  '€50',
  '$1,200.50',
  '5000:-',
  'hyran är 8 950 kr/mån',
  'hyran höjdes med +1 234 kr',
  'it cost 1,234,567 SEK',
  'Hyran 2024: 8 950 kr, 2023: 8 700 kr',
  '+20 000 kr i återbetalning',
  // apartment sizes and floors
  '3 rok',
  '2 rum och kök',
  'vi har en 4:a',
  'en 3:a på 75 kvm',
  'våning 3',
  '3 tr',
  'plan 2',
  'Jag bor på plan 2 i huset',
  'Våningsplan 3 har ingen hiss',
  'the laundry is on floor 3',
  // percentages and measurements
  '56,7 %',
  '50%',
  'en ökning med 3,5 procent',
  '75 kvm',
  '20 m2',
  '2,5 m takhöjd',
  '500 meter till bussen',
  // order, case and invoice numbers failing the checks
  'ärende 1234567',
  'faktura 8812159876',
  'faktura 5501011234',
  'kundnummer 8812345678',
  'order #123456',
  'ärendenummer 2024-123456',
  '811218-9875 stämmer inte',
  '991332-1234',
  'ISBN 978-91-7037-681-8',
  'ärende 0123456789',
  'Ärendenummer: 0123456789',
  'kundnr 0812345678',
  'organisationsnummer 556036-0793',
  'Bankgiro 5050-1055',
  // postal codes on their own
  '123 45',
  'postnummer 411 06',
  // plain numbers and ranges
  '1-2 gånger',
  '10-15 minuter',
  'betyg 4 av 5',
  '100 000 invånare',
  'ca 0-2 gånger per år',
  'it took 3-4 weeks',
  // versions and technical strings
  'version 1.2.3',
  'appen v2.10.0 kraschar',
  'iOS 17.4.1',
  'IP 192.168.0.1',
  'COVID-19',
  // signed quantities
  '+5 grader inne',
  'temperaturen var +22 grader',
  // streets without house numbers, and common nouns that look like streets
  'trappan på Storgatan är hal',
  'Sveavägen är alltid full av bilar',
  'Vi går längs Kungsgatan varje dag',
  'snöröjningen på Ängsvägen var dålig 3 gånger',
  'motorvägen 3 km bort låter',
  'gångvägen 2 gånger i veckan',
  'Cykelvägen 2 km bort',
  'Baker Street is lovely',
  'the High Street shops close at 6',
  'Jag gick Eriks väg 2 gånger',
  'Ikeas plan 2 har bra parkering',
  'Plan 2 is nice',
  'det tog 2 Minutes Drive',
  // English prose with numbers
  'I have lived here for 12 years',
  'We waited 2 hours for the plumber',
  'Rated 5 out of 10',
  'There are 3 Main entrances',
  'Room 12 was cold',
  'the 2 Street lamps are broken',
  // things that look a bit like e-mail
  'user at example dot com',
  'skicka @hyresvärden ett meddelande',
  'admin@localhost',
];

describe('redactText', () => {
  it('has enough cases', () => {
    expect(positiveCases.length).toBeGreaterThanOrEqual(65);
    expect(negativeCases.length).toBeGreaterThanOrEqual(65);
  });

  it.each(positiveCases)('redacts %j', (input, expected, kinds) => {
    const result = redactText(input);
    expect(result.text).toBe(expected);
    expect(result.found).toEqual(kinds);
  });

  it.each(negativeCases)('leaves %j intact', (input) => {
    expect(redactText(input)).toEqual({ text: input, found: [] });
  });

  it('uses Swedish markers by default', () => {
    expect(redactText('070-123 45 67', SWEDISH_MARKERS).text).toBe('[telefonnummer]');
    expect(redactText('070-123 45 67').text).toBe('[telefonnummer]');
  });

  it('applies ENGLISH_MARKERS when passed', () => {
    const result = redactText('Call 070-123 45 67 or mail a.b@example.se, id 811218-9876, Storgatan 12', ENGLISH_MARKERS);
    expect(result.text).toBe('Call [phone number] or mail [e-mail], id [personal id number], [address]');
    expect(result.found).toEqual(['email', 'personnummer', 'phone', 'address']);
  });

  it.each(positiveCases)('is idempotent for %j', (input) => {
    const once = redactText(input);
    const twice = redactText(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.found).toEqual([]);
  });

  it('is idempotent with English markers', () => {
    const once = redactText('Ring +46 70 123 45 67, 12 Baker Street, 811218-9876', ENGLISH_MARKERS);
    expect(redactText(once.text, ENGLISH_MARKERS)).toEqual({ text: once.text, found: [] });
  });

  it('returns a long (10 KB) text without PII unchanged', () => {
    let longText = '';
    for (let i = 0; longText.length < 10 * 1024; i++) {
      longText += `${negativeCases[i % negativeCases.length]}. `;
    }
    expect(longText.length).toBeGreaterThanOrEqual(10 * 1024);
    // Past the answer limit on purpose; its cost is asserted in redact-linear.test.ts.
    expect(redactText(longText, SWEDISH_MARKERS, { maxLength: longText.length })).toEqual({ text: longText, found: [] });
  });

  it('cuts a text to the answer limit after normalisation, never leaving half a number', () => {
    // U+3316 is one character before NFKC and six after: the limit counts what is scanned and kept.
    const expanded = redactText('\u3316'.repeat(MAX_TEXT_LENGTH));
    expect(expanded.text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(expanded.text.length).toBeGreaterThan(MAX_TEXT_LENGTH - 64);
    // A cut inside "0701234567" drops the number's start rather than keep its first digits.
    const cut = redactText(`${'x '.repeat((MAX_TEXT_LENGTH - 4) / 2)}0701234567`);
    expect(cut.text).not.toMatch(/\d/);
    expect(redactText('\u{1F600}'.repeat(MAX_TEXT_LENGTH)).text).toBe(redactText('\u{1F600}'.repeat(MAX_TEXT_LENGTH)).text.toWellFormed());
  });

  it('never throws on odd input', () => {
    expect(redactText('')).toEqual({ text: '', found: [] });
    expect(redactText(undefined as unknown as string)).toEqual({ text: '', found: [] });
    expect(redactText(`${'a'.repeat(50_000)}@`, SWEDISH_MARKERS, { maxLength: 60_000 })).toEqual({ text: `${'a'.repeat(50_000)}@`, found: [] });
    expect(() => redactText('0'.repeat(20_000))).not.toThrow();
  });
});
