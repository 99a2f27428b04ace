// node bench/profile-summary.mjs file.cpuprofile [top]: self time by function and by package, from a V8 CPU profile.
import { readFileSync } from 'node:fs';
const [file, top = '40'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const fns = new Map(), pkgs = new Map();
let total = 0;
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  total += us;
  if (f.functionName === '(idle)') continue;
  const where = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '');
  const key = `${f.functionName || '(anon)'} ${where}:${f.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const pkg = f.url.startsWith('node:') ? f.url : f.url === '' ? `(${f.functionName})` : where.split('/').slice(0, where.startsWith('@') ? 2 : 1).join('/');
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
}
const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
const show = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, us]) => console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / (total - idle)).toFixed(1).padStart(5)}%  ${k}`));
console.log('--- by package'); show(pkgs, 25);
console.log('--- by function'); show(fns, Number(top));
// node bench/profile-summary.mjs file.cpuprofile 0 NAME: who calls NAME (self time of NAME by caller chain, 4 deep).
const wanted = process.argv[4];
if (wanted) {
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const chains = new Map();
  for (const [id, us] of self) {
    if (byId.get(id).callFrame.functionName !== wanted) continue;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < 5; p = parent.get(p)) chain.push(byId.get(p).callFrame.functionName || '(anon)');
    const key = chain.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + us);
  }
  console.log(`--- callers of ${wanted}`); show(chains, 10);
}
