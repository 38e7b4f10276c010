/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile>`: where a server's CPU went, by item (HTTP,
 * Redis client, HMAC, zod, JSON, redaction, text filter, counting, snapshots, Socket.IO, metrics,
 * logging, GC), as shares of its busy time with start-up (module loading) left out. Profiles come
 * from `BENCH_CPU_PROF=1 npm run bench` (bench/results/profiles/<process>/, the largest file is
 * the main thread). Each sample counts for the innermost frame of its stack that names an item.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const START_UP = 'start-up (module loading)';
const ITEMS: [string, (frame: CallFrame) => boolean][] = [
  ['HMAC (signature.ts)', (f) => /signature\.ts/.test(f.url)],
  ['zod validation', (f) => /zod\//.test(f.url)],
  ['JSON.parse of the body', (f) => f.functionName === 'parseJsonBody'],
  ['free-text filter (text-filter.ts, obscenity)', (f) => /text-filter\.ts|obscenity/.test(f.url)],
  ['redaction (redact.ts, names.ts)', (f) => /privacy\/(redact|names)\.ts/.test(f.url)],
  ['counting (count-response.ts)', (f) => /count-response\.ts/.test(f.url)],
  ['snapshot build (snapshot.ts, getCounts)', (f) => /store\/snapshot\.ts|live\/snapshots\.ts/.test(f.url) || f.functionName === 'getCounts'],
  ['metrics (prom-client)', (f) => /prom-client/.test(f.url)],
  ['logging (pino)', (f) => /pino/.test(f.url)],
  ['Socket.IO + adapter emit', (f) => /socket\.io|redis-adapter|notepack|engine\.io|\/ws\//.test(f.url)],
  ['Redis client (commands, RESP, socket)', (f) => /@redis|redis-store\.ts/.test(f.url)],
  ['HTTP (node:http parse, write)', (f) => /node:_http|raw-routes|request-listener|webhook-guard/.test(f.url)],
];
const isStartUp = (f: CallFrame) =>
  /modules\/(esm|cjs)|compileSourceTextModule|wrapSafe|tsx\/dist|cjs-module-lexer|bootstrap\/realm|source_map/.test(f.url + f.functionName);

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile>');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const totals = new Map<string, number>();
let busy = 0;
let idle = 0;
profile.samples.forEach((sample, i) => {
  const micros = profile.timeDeltas[i] ?? 0;
  const frames: CallFrame[] = [];
  for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
    const node = byId.get(id);
    if (node) frames.push(node.callFrame);
  }
  const leaf = frames[0];
  if (leaf?.functionName === '(idle)') {
    idle += micros;
    return;
  }
  let item = frames.some(isStartUp) ? START_UP : frames.map((f) => ITEMS.find(([, matches]) => matches(f))?.[0]).find((name) => name !== undefined);
  item ??= leaf?.functionName === '(garbage collector)' ? 'garbage collection' : 'other (event loop, streams, microtasks)';
  totals.set(item, (totals.get(item) ?? 0) + micros);
  if (item !== START_UP) busy += micros;
});
const seconds = (micros: number) => (micros / 1e6).toFixed(2);
console.log(`busy ${seconds(busy)} s (start-up ${seconds(totals.get(START_UP) ?? 0)} s and idle ${seconds(idle)} s left out)`);
for (const [item, micros] of [...totals].filter(([name]) => name !== START_UP).sort((a, b) => b[1] - a[1])) {
  console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${item}`);
}
