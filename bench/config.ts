// `npm run bench:config`: one shared `config$` against a `watchSecret$` per subscriber. 50 secrets, 1,000
// subscribers, 10 rotations (one a second), both polling every second, against the local vault in its own
// process (TLS, keep-alive). Each variant runs in its own child process (`--expose-gc`) so that heaps do not mix.
// Prints requests made, client heap after GC, and how long the last subscriber waited for each rotation.
// Figures only; nothing passes or fails. Env: BENCH_SUBSCRIBERS (1000), BENCH_SECRETS (50), BENCH_ROTATIONS (10).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Subscription } from 'rxjs';
import { KeyVaultClient } from '../lib/index.js';
import { startVaultProcess } from './vault.js';
import { fmt, table } from './stats.js';

const SUBSCRIBERS = Number(process.env['BENCH_SUBSCRIBERS'] ?? 1000);
const SECRETS = Number(process.env['BENCH_SECRETS'] ?? 50);
const ROTATIONS = Number(process.env['BENCH_ROTATIONS'] ?? 10);
const INTERVAL = 1000;
const name = (i: number) => `cfg-${String(i).padStart(2, '0')}`;

interface Result { variant: string; requests: number; heapMb: number; heapAfterUnsubscribeMb: number; emissions: number; lagMsMedian: number; lagMsMax: number }

const gc = (globalThis as { gc?: () => void }).gc;
async function heapMb(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function runVariant(variant: 'config$' | 'watchSecret$', url: string, ca: string): Promise<Result> {
  let requests = 0;
  const credential = { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3600_000 }) };
  // Counted from the client's own log: one `→` line per request on the wire (challenge and retries included).
  const counter = { info: (line: string) => { if (line.startsWith('keyvault-kit →')) requests++; }, warn: () => undefined };
  const kv = new KeyVaultClient(url, credential, { ca, logger: counter });
  const admin = new KeyVaultClient(url, credential, { ca });
  for (let i = 0; i < SECRETS; i++) await admin.secrets.setSecret(name(i), 'v0');
  const base = await heapMb();
  const start = requests;
  // What each subscriber currently sees of each secret, to time how long a rotation takes to reach everyone.
  const seen = new Map<string, Set<number>>();
  let emissions = 0;
  const subs: Subscription[] = [];
  const saw = (secret: string, value: string | undefined, subscriber: number) => {
    emissions++;
    const key = `${secret}=${value}`;
    (seen.get(key) ?? seen.set(key, new Set()).get(key)!).add(subscriber);
  };
  if (variant === 'config$') {
    const spec = Object.fromEntries(Array.from({ length: SECRETS }, (_, i) => [name(i), name(i)]));
    const config$ = kv.config$(spec, { refreshMs: INTERVAL });
    for (let s = 0; s < SUBSCRIBERS; s++) {
      subs.push(config$.subscribe(({ config, changed }) => { for (const key of changed) saw(key, config[key], s); }));
    }
  } else {
    // The naive way: each subscriber watches the one secret it needs (cheapest case; all 50 would be 50× this).
    for (let s = 0; s < SUBSCRIBERS; s++) {
      subs.push(kv.secrets.watchSecret$(name(s % SECRETS), { intervalMs: INTERVAL }).subscribe((secret) => saw(secret.name, secret.value, s)));
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const lags: number[] = [];
  for (let r = 1; r <= ROTATIONS; r++) {
    const secret = name(r % SECRETS);
    const value = `v${r}`;
    const at = Date.now();
    await admin.secrets.setSecret(secret, value);
    const audience = variant === 'config$' ? SUBSCRIBERS : Math.ceil(SUBSCRIBERS / SECRETS);
    while ((seen.get(`${secret}=${value}`)?.size ?? 0) < audience && Date.now() - at < 30_000) await new Promise((resolve) => setTimeout(resolve, 5));
    lags.push(Date.now() - at);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - at))));
  }
  const requestsMade = requests - start;
  const heap = (await heapMb()) - base;
  subs.forEach((s) => s.unsubscribe());
  const after = (await heapMb()) - base;
  lags.sort((a, b) => a - b);
  return { variant, requests: requestsMade, heapMb: heap, heapAfterUnsubscribeMb: after, emissions, lagMsMedian: lags[Math.floor(lags.length / 2)]!, lagMsMax: lags.at(-1)! };
}

const [mode, url, ca] = process.argv.slice(2);
if (mode === 'config$' || mode === 'watchSecret$') {
  const result = await runVariant(mode, url!, Buffer.from(ca!, 'base64').toString());
  console.log(JSON.stringify(result));
  process.exit(0);
}

const vault = await startVaultProcess();
try {
  const results: Result[] = [];
  for (const variant of ['config$', 'watchSecret$'] as const) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), variant, vault.url, Buffer.from(vault.ca).toString('base64')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    results.push(JSON.parse(out.trim().split('\n').at(-1)!));
  }
  console.log(`\n### Configuration: ${SECRETS} secrets, ${SUBSCRIBERS} subscribers, ${ROTATIONS} rotations (poll every ${INTERVAL} ms; vault in its own process)\n`);
  console.log(table(
    ['variant', 'requests', 'heap after GC (MB, over baseline)', 'after unsubscribe (MB)', 'values delivered', 'rotation → all subscribers (median / max ms)'],
    results.map((r) => [r.variant === 'config$' ? 'config$ (1 shared, 50 sources)' : 'watchSecret$ per subscriber (1 secret each)', String(r.requests), fmt(r.heapMb, 1), fmt(r.heapAfterUnsubscribeMb, 1), String(r.emissions), `${r.lagMsMedian} / ${r.lagMsMax}`]),
  ));
} finally {
  await vault.stop();
}
