// Cold start: a fresh Node process importing a package, interleaved target by target, medians of
// the import's own wall time (measured inside the process) and of the whole process (spawn to exit).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sdkFile } from './sdk.js';
import { median } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const esm = (specifiers: string[]) => `const t=performance.now();await Promise.all(${JSON.stringify(specifiers)}.map((s)=>import(s)));console.log(performance.now()-t)`;
const cjs = (specifiers: string[]) => `const t=performance.now();for(const s of ${JSON.stringify(specifiers)})require(s);console.log(performance.now()-t)`;
const MICROSOFT = ['@azure/keyvault-secrets', '@azure/keyvault-keys', '@azure/keyvault-certificates'];

export const targets = (): Record<string, { code: string; type: 'module' | 'commonjs' }> => ({
  'node, nothing imported': { code: 'console.log(0)', type: 'commonjs' },
  'keyvault-kit dist/index.js (ESM)': { code: esm([sdkFile('index.js')]), type: 'module' },
  'keyvault-kit dist/index.cjs (CJS)': { code: cjs([sdkFile('index.cjs')]), type: 'commonjs' },
  "Microsoft's 3 packages (ESM)": { code: esm(MICROSOFT), type: 'module' },
  "Microsoft's 3 packages (CJS)": { code: cjs(MICROSOFT), type: 'commonjs' },
});

export interface ColdResult { target: string; importMs: number; processMs: number }

export function measureColdStart(rounds: number): ColdResult[] {
  const all = targets();
  const samples = new Map(Object.keys(all).map((name) => [name, { importMs: [] as number[], processMs: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, { code, type }] of Object.entries(all)) {
      const t0 = performance.now();
      const run = spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' });
      const processMs = performance.now() - t0;
      if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
      samples.get(name)!.importMs.push(Number(run.stdout.trim()));
      samples.get(name)!.processMs.push(processMs);
    }
  }
  return [...samples].map(([target, s]) => ({ target, importMs: median(s.importMs), processMs: median(s.processMs) }));
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(measureColdStart(Number(process.env['BENCH_COLD_ROUNDS'] ?? 15)));
