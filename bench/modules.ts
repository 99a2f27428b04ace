// What each module costs a fresh process (Node 24): the wall time of its import (or first use) measured inside
// the process, and how much the resident set grew. Targets interleaved run by run, medians.
// `tsx bench/modules.ts` alone (env BENCH_MODULE_ROUNDS, default 9), or `npm run bench -- modules`.
import { spawnSync } from 'node:child_process';
import { ROOT, sdkFile } from './sdk.js';
import { median } from './stats.js';

/** What each target runs, timed; `require` is available (a CommonJS one from the repository root). */
export const moduleTargets = (): Record<string, string> => ({
  'ky': `await import('ky')`,
  'undici (its index, all of it)': `await import('undici')`,
  "undici's Agent module alone": `require('undici/lib/dispatcher/agent.js')`,
  "undici's connector module alone (what we load)": `require('undici/lib/core/connect.js')`,
  'node:https': `await import('node:https')`,
  "the first new Request()/new Headers() (Node's fetch, which ky needs)": `new Request('https://vault.example/'); new Headers()`,
  '@azure/logger': `await import('@azure/logger')`,
  'rxjs: the 5 modules the SDK imports': `await Promise.all(['Observable', 'observable/defer', 'observable/timer', 'operators/exhaustMap', 'operators/distinctUntilChanged'].map((m) => import('rxjs/internal/' + m)))`,
  'keyvault-kit dist/index.js (ESM)': `await import(${JSON.stringify(sdkFile('index.js'))})`,
  'keyvault-kit dist/index.cjs (CJS)': `require(${JSON.stringify(sdkFile('index.cjs'))})`,
  '@azure/keyvault-secrets': `await import('@azure/keyvault-secrets')`,
  "Microsoft's 3 packages": `await Promise.all(['@azure/keyvault-secrets', '@azure/keyvault-keys', '@azure/keyvault-certificates'].map((s) => import(s)))`,
});

const wrap = (body: string) => `import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(`${ROOT}package.json`)});
const rss0 = process.memoryUsage.rss(), t0 = performance.now();
${body};
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, mb: (process.memoryUsage.rss() - rss0) / 2 ** 20 }));`;

export interface ModuleCost { target: string; ms: number; mb: number; msRange: [number, number] }

export function measureModules(rounds: number): ModuleCost[] {
  const targets = Object.entries(moduleTargets());
  const samples = new Map(targets.map(([name]) => [name, { ms: [] as number[], mb: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, body] of targets) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', wrap(body)], { cwd: ROOT, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
      const { ms, mb } = JSON.parse(run.stdout.trim()) as { ms: number; mb: number };
      samples.get(name)!.ms.push(ms);
      samples.get(name)!.mb.push(mb);
    }
  }
  return [...samples].map(([target, s]) => ({ target, ms: median(s.ms), mb: median(s.mb), msRange: [Math.min(...s.ms), Math.max(...s.ms)] }));
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  for (const r of measureModules(Number(process.env['BENCH_MODULE_ROUNDS'] ?? 9))) {
    console.log(`${r.target.padEnd(70)} ${r.ms.toFixed(1).padStart(6)} ms (${r.msRange[0].toFixed(0)}–${r.msRange[1].toFixed(0)})  ${r.mb.toFixed(1).padStart(5)} MB`);
  }
}
