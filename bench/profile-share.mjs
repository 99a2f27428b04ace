// node bench/profile-share.mjs file.cpuprofile OPS [fromMs]: each sample of a V8 CPU profile (bench/profile.ts under
// node --cpu-prof) charged to who asked for the work: the innermost frame of ky, keyvault-kit or the harness, where Node's
// own code (Request, Headers, AbortController) counts for whoever called it and undici's work under our seam counts as undici.
// Prints µs per op of each share (busy time / OPS, the profiler's own overhead included: compare shares, not absolutes).
import { readFileSync } from 'node:fs';
const [file, ops, fromMs] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const cat = (url) => url.includes('/ky/') ? 'ky' : url.includes('keyvault-kit-bench') || url.includes('/lib/') && !url.includes('node_modules') ? 'ours'
  : url.includes('/undici/') ? 'undici' : url.startsWith('node:internal/deps/undici') ? 'bundled' : url.includes('/bench/') || url.includes('/tsx/') || url.includes('esbuild') ? 'harness' : null;
const names = { ky: 'ky: its own code and the Request/Headers/AbortController it builds', ours: 'keyvault-kit (operation, retry, auth, seam, decoding)', undici: 'undici dispatch, HTTP parser and socket work under our seam', harness: 'bench harness' };
const totals = new Map(); let all = 0; let t = p.startTime;
const from = p.startTime + Number(fromMs ?? 0) * 1000;
for (let i = 0; i < p.samples.length; i++) {
  const dt = p.timeDeltas[i] ?? 0; t += dt;
  if (t < from) continue;
  let id = p.samples[i];
  const leaf = byId.get(id).callFrame;
  if (leaf.functionName === '(idle)') continue;
  all += dt;
  let key = null, sawUndici = false;
  if (leaf.functionName === '(garbage collector)') key = 'GC (all of it, ours and ky\'s allocations alike)';
  for (; key === null && id !== undefined; id = parent.get(id)) {
    const c = cat(byId.get(id).callFrame.url);
    if (c === 'bundled' || c === 'undici') { sawUndici = true; continue; }
    if (c === 'ky') key = names.ky;
    else if (c === 'ours') key = sawUndici ? names.undici : names.ours;
    else if (c === 'harness') key = sawUndici ? names.undici : names.harness;
  }
  if (key === null) key = sawUndici ? names.undici : leaf.url.startsWith('node:') ? 'Node internals outside any call of ours (socket reads, TLS, timers)' : `(${leaf.functionName || 'native'})`;
  totals.set(key, (totals.get(key) ?? 0) + dt);
}
console.log(`busy ${(all / 1000).toFixed(0)} ms over ${ops} ops = ${(all / ops).toFixed(1)} µs/op`);
for (const [k, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${(us / ops).toFixed(1).padStart(7)} µs/op ${(100 * us / all).toFixed(1).padStart(5)}%  ${k}`);
