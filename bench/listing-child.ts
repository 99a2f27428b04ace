// One listing in a fresh process (so its memory is the listing's alone): every secret's properties through
// `listPropertiesOfSecrets()` ('iterable') or its `$` face ('observable'). Prints one JSON line of figures.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadSdk } from './sdk.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const [url, face] = [process.env['VAULT_URL']!, process.env['FACE'] as 'iterable' | 'observable'];
const { KeyVaultClient } = await loadSdk();
const kv = new KeyVaultClient(url, { getToken: async () => ({ token: 'bench-token', expiresOnTimestamp: Date.now() + 3600_000 }) }, { ca: process.env['VAULT_CA']! });
// Warm: the first request loads ky and undici and answers the challenge; none of that is the listing's.
await kv.secrets.getSecret('bench-get').catch(() => undefined);
gc();
const baseline = process.memoryUsage.rss();
let peak = baseline;
let count = 0;
const sample = () => { if (++count % 50 === 0) peak = Math.max(peak, process.memoryUsage.rss()); };
const t0 = performance.now();
const cpu0 = process.cpuUsage();
if (face === 'iterable') {
  for await (const _ of kv.secrets.listPropertiesOfSecrets()) sample();
} else {
  await new Promise<void>((resolve, reject) => kv.secrets.listPropertiesOfSecrets$().subscribe({ next: sample, error: reject, complete: resolve }));
}
const cpu = process.cpuUsage(cpu0);
peak = Math.max(peak, process.memoryUsage.rss());
console.log(JSON.stringify({ face, count, ms: performance.now() - t0, cpuUsPerItem: (cpu.user + cpu.system) / count, rssGrowthMB: (peak - baseline) / 2 ** 20, baselineMB: baseline / 2 ** 20 }));
process.exit(0);
