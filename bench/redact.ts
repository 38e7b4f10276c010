/**
 * `npx tsx bench/redact.ts`: the redactor's cost on hostile answers, each beside the same shape
 * at 1 KiB measured in the same run (compare the per-KiB ratio: 1 is linear, 64 quadratic).
 * REDACT_MODULE=<path> measures another copy of redact.ts (e.g. the one before a change).
 */
import { pathToFileURL } from 'node:url';

type Redact = (text: string, markers?: unknown, options?: { maxLength?: number }) => { text: string };
const modulePath = process.env.REDACT_MODULE ?? new URL('../server/privacy/redact.ts', import.meta.url).pathname;
const { redactText } = (await import(pathToFileURL(modulePath).href)) as { redactText: Redact };

/** Fastest of a few runs: the least disturbed by the other processes on this machine. */
function fastestMs(run: () => void, times: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const repeatTo = (unit: string, length: number) => unit.repeat(Math.max(1, Math.floor(length / unit.length)));
const cases: { name: string; make: (units: number) => string }[] = [
  // 5,000 characters as the schema allows; NFKC makes each six letters.
  { name: '"X" + U+3316 × n + "s gata 1" (genitive street)', make: (n) => `X${'\u3316'.repeat(n)}s gata 1` },
  { name: '"+1234 " repeated (international phone)', make: (n) => repeatTo('+1234 ', n) },
  { name: '"+1 234 " repeated', make: (n) => repeatTo('+1 234 ', n) },
  { name: '"A" + "a" × n + "s gata 1"', make: (n) => `A${'a'.repeat(n)}s gata 1` },
];

const unbounded = { maxLength: Number.POSITIVE_INFINITY };
console.log(`redactor cost, ${modulePath}`);
console.log('| case | input | ms (at n) | ms per KiB at 1 KiB | ms per KiB at n | ratio |');
console.log('|---|---|---|---|---|---|');
for (const { name, make } of cases) {
  for (const n of name.includes('U+3316') ? [5000] : [64 * 1024]) {
    const small = make(name.includes('U+3316') ? 1024 / 6 : 1024);
    const large = make(n);
    const smallNormalisedKiB = small.normalize('NFKC').length / 1024;
    const largeNormalisedKiB = large.normalize('NFKC').length / 1024;
    fastestMs(() => redactText(small, undefined, unbounded), 20); // warm up
    const smallMs = fastestMs(() => redactText(small, undefined, unbounded), 50);
    const largeMs = fastestMs(() => redactText(large, undefined, unbounded), 3);
    const perSmall = smallMs / smallNormalisedKiB;
    const perLarge = largeMs / largeNormalisedKiB;
    console.log(
      `| ${name} | ${large.length} chars (${largeNormalisedKiB.toFixed(0)} KiB after NFKC) | ${largeMs.toFixed(1)} | ${perSmall.toFixed(3)} | ${perLarge.toFixed(3)} | ${(perLarge / perSmall).toFixed(1)} |`,
    );
  }
  // With the default limit (MAX_TEXT_LENGTH after NFKC), as ingest calls it.
  const asIngest = make(name.includes('U+3316') ? 5000 : 64 * 1024);
  console.log(`|   as ingest calls it (default limit) | | ${fastestMs(() => redactText(asIngest), 3).toFixed(1)} | | | |`);
}
