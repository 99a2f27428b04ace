// `tsx bench/overhead.ts [n]`: the SDK's own CPU per getSecret above the socket, without a vault: the
// transport is replaced by one that answers at once with a recorded body, so only ky, the hooks, the
// auth layer, send() and the decoding are left. Concurrency 32, as the throughput goal.
// `--without-request-signal`: the same with the Request constructor ignoring `signal` (a diagnostic).
import { BufferedResponse } from '../lib/core/buffered-response.js';
import { KeyVaultClient } from '../lib/index.js';

const n = Number(process.argv[2] ?? 100_000);

if (process.argv.includes('--without-request-signal')) {
  // Diagnostic only, never in the SDK: what the signal costs that ky gives every Request it builds (Node's Request
  // then follows it through a FinalizationRegistry, whose targets only a full GC can collect).
  const NativeRequest = globalThis.Request;
  globalThis.Request = class extends NativeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(input, init?.signal ? { ...init, signal: null } : init);
    }
  };
}
const body = Buffer.from(JSON.stringify({ value: 'x'.repeat(32), id: 'https://vault.test/secrets/bench-get/0123456789abcdef0123456789abcdef', attributes: { enabled: true, created: 1_700_000_000, updated: 1_700_000_000, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 } }));
const challenge = { 'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.test"' };
const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = input instanceof Request ? input : new Request(input, init);
  if (!request.headers.has('authorization')) return new BufferedResponse(Buffer.from('{}'), 401, 'Unauthorized', challenge, request.url) as Response;
  if (request.body) await request.arrayBuffer();
  return new BufferedResponse(body, 200, 'OK', { 'content-type': 'application/json' }, request.url) as Response;
};
const kv = new KeyVaultClient('https://vault.test', { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600_000 }) }, { fetch });
const run = async (total: number) => {
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => { while (next++ < total) await kv.secrets.getSecret('bench-get'); }));
};
await run(20_000);
const samples: number[] = [];
for (let round = 0; round < 9; round++) {
  const cpu0 = process.cpuUsage();
  await run(n);
  const cpu = process.cpuUsage(cpu0);
  samples.push((cpu.user + cpu.system) / n);
}
samples.sort((a, b) => a - b);
console.log(`getSecret above the socket, c=32${process.argv.includes('--without-request-signal') ? ', Request without signal' : ''}: min ${samples[0]!.toFixed(1)}, median ${samples[4]!.toFixed(1)} µs CPU/op (9 rounds of ${n})`);
