// `tsx bench/profile.ts [contender] [getSecret|setSecret] [concurrency] [ops]` under `node --cpu-prof`:
// one contender alone against a vault process, to see where the client's time goes.
// BENCH_DIAG_NO_REQUEST_SIGNAL=1: the same with Node's Request ignoring `signal` (what ky's signal costs).
import { startVaultProcess } from './vault.js';
import { contenders } from './contenders.js';
import { segment } from './throughput.js';

if (process.env['BENCH_DIAG_NO_REQUEST_SIGNAL']) {
  // Diagnostic only (never in the SDK): Node's Request constructor ignores `signal`, as in bench/overhead.ts.
  const NativeRequest = globalThis.Request;
  globalThis.Request = class extends NativeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(input, init?.signal ? { ...init, signal: null } : init);
    }
  };
}

const [name = 'keyvault-kit', opName = 'getSecret', c = '32', n = '20000'] = process.argv.slice(2);
const vault = await startVaultProcess();
const contender = contenders.map((make) => make(vault.url, vault.ca)).find((k) => k.name === name);
if (!contender) throw new Error(`no contender ${name}`);
await contender.setSecret('bench-get', 'x'.repeat(32));
const op = opName === 'getSecret' ? () => contender.getSecret('bench-get') : (_: unknown, i: number) => contender.setSecret(`bench-set-${i % 16}`, 'y'.repeat(32));
await segment(contender, op, Number(c), 2000, vault);
console.log(await segment(contender, op, Number(c), Number(n), vault));
await contender.close();
await vault.stop();
