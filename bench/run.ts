// `npm run bench [-- section...]`: every comparison in one run against one local vault in its own process.
// Sections: throughput, startup, auth, listing, cold, modules, size (all by default). Figures only: nothing here passes or fails.
// Env: BENCH_QUICK=1 (fewer rounds and operations: a few minutes), BENCH_SCENARIOS (e.g. 'getSecret c=32'), BENCH_NO_BUILD=1 (dist/ is fresh),
// BENCH_SDK=src (measure lib/ through tsx), BENCH_ROUNDS (default 7; quick 3), BENCH_OPS_C1 (1500; quick 600), BENCH_OPS_C32 (6000; quick 2400),
// BENCH_PAIRS (startup pairs, 9), BENCH_LIST (20000; quick 5000), BENCH_COLD_ROUNDS (15; quick 7), BENCH_MODULE_ROUNDS (9; quick 5), BENCH_OUT (a file for the markdown).
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { loadSdk, snapshotSdk } from './sdk.js';
import type { Contender } from './contenders.js';
import { startVaultProcess } from './vault.js';
import { runScenarios, throughputTable, type Scenario, type Summary } from './throughput.js';
import { measureColdStart } from './cold-start.js';
import { measureSizes } from './size.js';
import { measureListing, populate } from './listing.js';
import { measureAuth } from './auth.js';
import { measureStartup, seedStartup } from './startup.js';
import { measureModules } from './modules.js';
import { fmt, table } from './stats.js';

const sections = process.argv.slice(2);
const wants = (section: string) => sections.length === 0 || sections.includes(section);
const quick = Boolean(process.env['BENCH_QUICK']);
const num = (name: string, fallback: number, quickFallback = fallback) => Number(process.env[name] ?? (quick ? quickFallback : fallback));
const out: string[] = [];
const log = (line: string) => { console.log(line); };
const emit = (markdown: string) => { out.push(markdown); console.log(`\n${markdown}\n`); };

emit(`Reproduce: \`npm run bench\` (builds dist/ first; \`npm run bench -- throughput\` for one section; \`npm run bench:quick\` for fewer rounds${quick ? ': this is a quick run' : ''}). Medians of interleaved rounds; the vault runs in its own process; nothing here passes or fails on time.`);
emit(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.versions.node}, ${new Date().toISOString()}`);

// Measure what users get: the built package, snapshot aside (BENCH_NO_BUILD=1: snapshot dist/ as it is).
snapshotSdk(!process.env['BENCH_NO_BUILD']);
const { contenders: makers } = await import('./contenders.js');

const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;

if (wants('throughput') || wants('startup') || wants('auth') || wants('listing')) {
  const vault = await startVaultProcess();
  try {
    const contenders: Contender[] = makers.map((make) => make(vault.url, vault.ca));
    await contenders[0]!.setSecret('bench-get', 'x'.repeat(32));

    if (wants('throughput')) {
      const rounds = num('BENCH_ROUNDS', 7, 3);
      const get = (c: Contender) => c.getSecret('bench-get');
      const set = (c: Contender, i: number) => c.setSecret(`bench-set-${i % 16}`, 'y'.repeat(32));
      const scenarios: Scenario[] = [
        { name: 'getSecret c=1', op: get, concurrency: 1, ops: num('BENCH_OPS_C1', 1500, 600) },
        { name: 'getSecret c=32', op: get, concurrency: 32, ops: num('BENCH_OPS_C32', 6000, 2400) },
        { name: 'setSecret c=1', op: set, concurrency: 1, ops: num('BENCH_OPS_C1', 1500, 600) },
        { name: 'setSecret c=32', op: set, concurrency: 32, ops: num('BENCH_OPS_C32', 6000, 2400) },
      ];
      // BENCH_SCENARIOS='getSecret c=32' runs only the scenarios named (comma-separated).
      const only = process.env['BENCH_SCENARIOS']?.split(',').map((name) => name.trim());
      if (only) scenarios.splice(0, scenarios.length, ...scenarios.filter((s) => only.includes(s.name)));
      log(`throughput: ${rounds} interleaved rounds per scenario (medians)`);
      const summaries = await runScenarios(contenders, scenarios, rounds, vault, log);
      emit(`### Throughput, latency and CPU (${rounds} interleaved rounds, medians; TLS, keep-alive, vault in its own process)\n\n${throughputTable(summaries)}`);
      const by = (scenario: string, contender: string) => summaries.find((s) => s.scenario === scenario && s.contender === contender)!;
      const rows = scenarios.map(({ name }) => {
        const [ours, ms, floor] = [by(name, 'keyvault-kit'), by(name, '@azure/keyvault-secrets'), by(name, 'undici request')] as Summary[];
        return [name, ratio(ours!.opsPerSec, ms!.opsPerSec), ratio(ours!.cpuUsPerOp, ms!.cpuUsPerOp), ratio(ours!.p99Ms, ms!.p99Ms), ratio(ours!.cpuUsPerOp, floor!.cpuUsPerOp), ratio(ours!.opsPerSec, floor!.opsPerSec)];
      });
      emit(`### Ratios\n\n${table(['scenario', 'ops/s ours/Microsoft (goal ≥ 1.5×)', 'CPU/op ours/Microsoft (goal ≤ 0.67×)', 'p99 ours/Microsoft (goal ≤ 1×)', 'CPU/op ours/floor (goal ≤ 2.5×)', 'ops/s ours/floor'], rows)}`);
    }

    if (wants('startup')) {
      const pairs = num('BENCH_PAIRS', 9);
      await seedStartup(vault);
      log(`startup: ${pairs} pairs of fresh processes per row`);
      const results = await measureStartup(vault, pairs, log);
      const mib = (value: number) => fmt(value, 1);
      emit(`### Time to first result and start to configured (whole processes, spawn to exit, ${pairs} pairs alternating who goes first, medians)\n\n${table(
        ['row', 'wall ms ours / Microsoft', 'wall ratio (goal ≤ 0.5×)', 'CPU ms ours / Microsoft', 'CPU ratio', 'maxRSS MiB ours / Microsoft (goal ≤ 1×)', "every pair's wall ratio"],
        results.map((r) => [r.row, `${fmt(r.ours.wallMs)} / ${fmt(r.theirs.wallMs)}`, ratio(r.ours.wallMs, r.theirs.wallMs), `${fmt(r.ours.cpuMs)} / ${fmt(r.theirs.cpuMs)}`, ratio(r.ours.cpuMs, r.theirs.cpuMs), `${mib(r.ours.maxRssMiB)} / ${mib(r.theirs.maxRssMiB)}`, r.ratios.map((x) => fmt(x, 2)).join(' ')]),
      )}`);
    }

    if (wants('auth')) {
      const results = await measureAuth(vault, await loadSdk());
      emit(`### Challenges and getToken calls\n\n${table(['client', 'scenario', 'challenges', 'getToken calls'], results.map((r) => [r.client, r.scenario, r.challenges, r.getTokenCalls]))}`);
    }

    if (wants('listing')) {
      const total = num('BENCH_LIST', 20_000, 5_000);
      const t0 = performance.now();
      await populate(contenders[0]!, total);
      log(`listing: ${total} secrets created in ${fmt((performance.now() - t0) / 1000, 1)} s`);
      const rows = [];
      for (const face of ['iterable', 'observable'] as const) {
        const r = await measureListing(vault, face);
        rows.push([face === 'iterable' ? 'listPropertiesOfSecrets() (for await)' : 'listPropertiesOfSecrets$() (subscribe)', r.count, fmt(r.ms / 1000, 2), fmt(r.count / (r.ms / 1000)), fmt(r.cpuUsPerItem, 1), fmt(r.rssGrowthMB, 1), fmt(r.baselineMB, 1), fmt(r.vaultCpuMs)]);
      }
      emit(`### Listing every secret (25 per page, a fresh process per face)\n\n${table(['face', 'items', 's', 'items/s', 'client CPU µs/item', 'peak RSS growth MB (goal < 50)', 'RSS before MB', 'vault CPU ms'], rows)}`);
    }
    await Promise.all(contenders.map((c) => c.close()));
  } finally {
    await vault.stop();
  }
}

if (wants('cold')) {
  const results = measureColdStart(num('BENCH_COLD_ROUNDS', 15, 7));
  const ms = results.find((r) => r.target.startsWith("Microsoft's 3 packages (ESM)"))!;
  const msCjs = results.find((r) => r.target.startsWith("Microsoft's 3 packages (CJS)"))!;
  emit(`### Cold start (fresh process, ${num('BENCH_COLD_ROUNDS', 15, 7)} interleaved runs, medians)\n\n${table(['target', 'import ms', 'whole process ms', 'import vs Microsoft (goal ≤ 0.33×)'], results.map((r) => [r.target, fmt(r.importMs, 1), fmt(r.processMs, 1), r.target.startsWith('keyvault-kit') ? ratio(r.importMs, r.target.includes('CJS') ? msCjs.importMs : ms.importMs) : '']))}`);
}

if (wants('modules')) {
  const rounds = num('BENCH_MODULE_ROUNDS', 9, 5);
  const results = measureModules(rounds);
  emit(`### What each module costs a fresh process (${rounds} interleaved runs, medians; range of the runs)\n\n${table(['module', 'ms', 'range ms', 'RSS growth MB'], results.map((r) => [r.target, fmt(r.ms, 1), `${fmt(r.msRange[0])}–${fmt(r.msRange[1])}`, fmt(r.mb, 1)]))}`);
}

if (wants('size')) {
  const results = await measureSizes();
  const kb = (bytes: number) => fmt(bytes / 1024, 1);
  emit(`### Bundle size (rollup + terser, gzip -9, KB)\n\n${table(['consumer', 'dependencies', 'entry min+gzip', 'all chunks min+gzip', 'lazy chunks', 'keys/certificates code inside'], results.map((r) => [r.consumer, r.deps, kb(r.entryBytes), kb(r.totalBytes), Object.entries(r.lazy).map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', '), r.foreign.join(', ') || 'none']))}`);
}

if (process.env['BENCH_OUT']) writeFileSync(process.env['BENCH_OUT'], `${out.join('\n\n')}\n`);
