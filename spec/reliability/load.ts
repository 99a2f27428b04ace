/**
 * Mixed operations at a fixed concurrency for a fixed time against the local vault in its own process, as
 * figures: operations, errors, and RSS of the client and of the vault at start and end. The spec runs a short
 * version; the full one is a script:
 *
 *   PATH=$PWD/node_modules/.bin:$PATH NODE_OPTIONS=--expose-gc tsx spec/reliability/load.ts [seconds=60] [concurrency=64]
 *
 * With `--expose-gc` it also reports the client's heap after a full collection at start and end: RSS keeps
 * V8's high-water mark, the collected heap shows whether anything is retained.
 */
import { pathToFileURL } from 'node:url';
import { KeyVaultClient, type TokenCredential } from '../../lib/index.js';
import { exited, rssMb, startVaultProcess } from './vault-process.js';

export interface LoadReport {
  seconds: number;
  concurrency: number;
  operations: number;
  errors: number;
  errorSamples: string[];
  byKind: Record<string, number>;
  /** MB, after warm-up and at the end. */
  clientRss: { start: number; end: number };
  vaultRss: { start: number; end: number };
  /** RSS every tenth of the run: flat means no growth with the number of operations. */
  clientRssSamples: number[];
  vaultRssSamples: number[];
  /** MB of the client's heap after a full GC (only when run with `--expose-gc`). */
  clientHeapAfterGc?: { start: number; end: number };
}

const gc = (globalThis as { gc?: () => void }).gc;
const collectedHeapMb = () => { gc!(); gc!(); return Math.round(process.memoryUsage().heapUsed / 2 ** 20); };

const credential: TokenCredential = { async getToken() { return { token: 'load', expiresOnTimestamp: Date.now() + 3_600_000 }; } };

export async function runLoad(seconds: number, concurrency: number): Promise<LoadReport> {
  const vault = await startVaultProcess();
  try {
    const kv = new KeyVaultClient(vault.url, credential, { allowInsecureConnection: true });
    // Warm-up: the objects the mix reads, and the code paths it runs.
    for (let i = 0; i < 50; i++) await kv.secrets.setSecret(`load-${i}`, `value-${i}`);
    await kv.keys.createEcKey('load-key', { curve: 'P-256' });
    const crypto = kv.keys.getCryptographyClient('load-key');
    const digest = new Uint8Array(32).fill(7);
    const kinds = ['setSecret', 'getSecret', 'getSecret', 'getKey', 'sign', 'updateSecretProperties', 'listSecretsPage'] as const;
    const byKind: Record<string, number> = {};
    const errorSamples: string[] = [];
    let operations = 0;
    let errors = 0;
    const run = async (kind: (typeof kinds)[number], n: number) => {
      const name = `load-${n % 50}`;
      switch (kind) {
        case 'setSecret': return void (await kv.secrets.setSecret(name, `value-${n}`));
        case 'getSecret': return void (await kv.secrets.getSecret(name));
        case 'getKey': return void (await kv.keys.getKey('load-key'));
        case 'sign': return void (await crypto.sign('ES256', digest));
        case 'updateSecretProperties': return void (await kv.secrets.updateSecretProperties(name, '', { tags: { n: String(n % 7) } }));
        case 'listSecretsPage': for await (const page of kv.secrets.listPropertiesOfSecrets().byPage({ maxPageSize: 25 })) { void page; break; } return;
      }
    };
    const sample = () => ({ client: Math.round(process.memoryUsage.rss() / 2 ** 20), vault: rssMb(vault.process.pid!) });
    const heapStart = gc ? collectedHeapMb() : undefined;
    const start = sample();
    const clientRssSamples: number[] = [];
    const vaultRssSamples: number[] = [];
    const end = Date.now() + seconds * 1000;
    const sampler = setInterval(() => { const s = sample(); clientRssSamples.push(s.client); vaultRssSamples.push(s.vault); }, (seconds * 1000) / 10);
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const n = operations++;
        const kind = kinds[n % kinds.length]!;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        try {
          await run(kind, n);
        } catch (error) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${kind}: ${(error as Error).name} ${(error as Error).message}`);
        }
      }
    }));
    clearInterval(sampler);
    const last = sample();
    return {
      seconds, concurrency, operations, errors, errorSamples, byKind,
      clientRss: { start: start.client, end: last.client }, vaultRss: { start: start.vault, end: last.vault }, clientRssSamples, vaultRssSamples,
      ...(heapStart === undefined ? {} : { clientHeapAfterGc: { start: heapStart, end: collectedHeapMb() } }),
    };
  } finally {
    vault.process.kill('SIGTERM');
    await exited(vault.process);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.argv[2] ?? 60);
  const concurrency = Number(process.argv[3] ?? 64);
  const r = await runLoad(seconds, concurrency);
  console.log(`${r.operations} operations in ${r.seconds} s at concurrency ${r.concurrency} (${Math.round(r.operations / r.seconds)}/s), ${r.errors} errors (error rate ${(r.errors / Math.max(1, r.operations)).toFixed(6)})`);
  for (const e of r.errorSamples) console.log(`  error: ${e}`);
  console.log(`by operation ${JSON.stringify(r.byKind)}`);
  console.log(`client RSS ${r.clientRss.start} → ${r.clientRss.end} MB, samples ${JSON.stringify(r.clientRssSamples)}`);
  console.log(`vault RSS ${r.vaultRss.start} → ${r.vaultRss.end} MB, samples ${JSON.stringify(r.vaultRssSamples)} (it keeps every version written)`);
  if (r.clientHeapAfterGc) console.log(`client heap after a full GC ${r.clientHeapAfterGc.start} → ${r.clientHeapAfterGc.end} MB`);
}
