// `npx tsx bench/watch-memory.ts`: issue 14's measurement of long-lived watches. Client heap after GC (vault in its
// own process): 50 watchers polling every 20 ms for 30 s with a rotation every 500 ms; 40 watchers every 5 ms for
// 20 s, with nothing changing and with a rotation every 500 ms. Variants: `watchSecret$` (on the shared refresh
// machinery), the previous `watchSecret$` (timer + exhaustMap + getSecret$ + distinctUntilChanged, rebuilt here
// from public pieces), and one `config$` per watcher. Each run in its own child process (`--expose-gc`).
// Figures only; nothing passes or fails. Env: BENCH_SCALE (default 1) multiplies the durations.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defer, distinctUntilChanged, exhaustMap, timer, type Observable, type Subscription } from 'rxjs';
import { KeyVaultClient, type KeyVaultSecret } from '../lib/index.js';
import { startVaultProcess } from './vault.js';
import { fmt, table } from './stats.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const scenarios = [
  { name: '50 watchers / 20 ms / 30 s, rotation every 500 ms', watchers: 50, everyMs: 20, seconds: 30, rotateMs: 500 },
  { name: '40 watchers / 5 ms / 20 s, nothing changing', watchers: 40, everyMs: 5, seconds: 20, rotateMs: 0 },
  { name: '40 watchers / 5 ms / 20 s, rotation every 500 ms', watchers: 40, everyMs: 5, seconds: 20, rotateMs: 500 },
] as const;
const variants = ['watchSecret$', 'previous watchSecret$', 'config$ per watcher'] as const;
type Variant = (typeof variants)[number];

const gc = (globalThis as { gc?: () => void }).gc!;
async function heapMb(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The watchSecret$ of before issue 14, as it was written. */
const previousWatch = (kv: KeyVaultClient, name: string, intervalMs: number): Observable<KeyVaultSecret> =>
  timer(0, intervalMs).pipe(exhaustMap(() => defer(() => kv.secrets.getSecret$(name))), distinctUntilChanged((a, b) => a.properties.version === b.properties.version));

async function run(variant: Variant, index: number, url: string, ca: string) {
  const s = scenarios[index]!;
  let requests = 0;
  const counter = { info: (line: string) => { if (line.startsWith('keyvault-kit →')) requests++; }, warn: () => undefined };
  const credential = { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3600_000 }) };
  const kv = new KeyVaultClient(url, credential, { ca, logger: counter });
  const admin = new KeyVaultClient(url, credential, { ca });
  const secret = `mem-${index}-${variant.replace(/\W/g, '')}`;
  await admin.secrets.setSecret(secret, 'v0');
  await kv.secrets.getSecret(secret);
  const base = await heapMb();
  let emissions = 0;
  const subs: Subscription[] = [];
  for (let w = 0; w < s.watchers; w++) {
    const source$ = variant === 'watchSecret$' ? kv.secrets.watchSecret$(secret, { intervalMs: s.everyMs })
      : variant === 'previous watchSecret$' ? previousWatch(kv, secret, s.everyMs)
        : kv.config$({ value: secret }, { refreshMs: s.everyMs, jitter: 0 });
    subs.push((source$ as Observable<unknown>).subscribe(() => emissions++));
  }
  let rotations = 0;
  const rotate = s.rotateMs ? setInterval(() => void admin.secrets.setSecret(secret, `v${++rotations}`), s.rotateMs) : undefined;
  await sleep(2000);
  const first = { heap: await heapMb(), requests };
  await sleep(s.seconds * 1000 * SCALE - 2000);
  clearInterval(rotate);
  const last = { heap: await heapMb(), requests };
  subs.forEach((sub) => sub.unsubscribe());
  await sleep(200);
  const after = await heapMb();
  return { base, first: first.heap, last: last.heap, after, polls: last.requests - first.requests, emissions };
}

const [mode, indexArg, url, ca] = process.argv.slice(2);
if (mode) {
  console.log(JSON.stringify(await run(mode as Variant, Number(indexArg), url!, Buffer.from(ca!, 'base64').toString())));
  process.exit(0);
}

const vault = await startVaultProcess();
try {
  const rows: string[][] = [];
  for (let i = 0; i < scenarios.length; i++) {
    for (const variant of variants) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), variant, String(i), vault.url, Buffer.from(vault.ca).toString('base64')], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const r = JSON.parse(out.trim().split('\n').at(-1)!);
      rows.push([scenarios[i]!.name, variant, String(r.polls), String(r.emissions), `${fmt(r.base, 1)} → ${fmt(r.first, 1)} → ${fmt(r.last, 1)}`, fmt(r.last - r.first, 1), fmt(r.after, 1)]);
      console.error(rows.at(-1)!.join(' | '));
    }
  }
  console.log(table(['scenario', 'variant', 'polls (after the 2 s mark)', 'emissions', 'heap after GC MB: base → 2 s → end', 'growth 2 s → end (MB)', 'after unsubscribe (MB)'], rows));
} finally {
  await vault.stop();
}
