// `npm run bench [-- section...]`: every comparison in one run against one local vault in its own process.
// Sections: throughput, auth, cold, size, listing (all by default). Figures only: nothing here passes or fails.
// Env: BENCH_NO_BUILD=1 (dist/ is fresh), BENCH_SDK=src (measure lib/ through tsx), BENCH_ROUNDS (default 5), BENCH_OPS_C1 (1500), BENCH_OPS_C32 (6000), BENCH_LIST (20000), BENCH_OUT (a file for the markdown).
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { execSync } from 'node:child_process';
import type { Contender } from './contenders.js';
import { startVaultProcess } from './vault.js';
import { runScenarios, throughputTable, type Scenario } from './throughput.js';

const sections = process.argv.slice(2);
const wants = (section: string) => sections.length === 0 || sections.includes(section);
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const out: string[] = [];
const log = (line: string) => { console.log(line); };
const emit = (markdown: string) => { out.push(markdown); console.log(`\n${markdown}\n`); };

emit(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.versions.node}, ${new Date().toISOString()}`);

// Measure what users get: the built package (skip with BENCH_NO_BUILD=1 when dist/ is fresh).
if (!process.env['BENCH_NO_BUILD'] && process.env['BENCH_SDK'] !== 'src') execSync('npm run -s build', { stdio: ['ignore', 'ignore', 'inherit'] });
const { contenders: makers } = await import('./contenders.js');

if (wants('throughput')) {
  const vault = await startVaultProcess();
  try {
    const contenders: Contender[] = makers.map((make) => make(vault.url, vault.ca));
    await contenders[0]!.setSecret('bench-get', 'x'.repeat(32));
    const rounds = num('BENCH_ROUNDS', 5);
    const scenarios: Scenario[] = [
      { name: 'getSecret c=1', op: (c) => c.getSecret('bench-get'), concurrency: 1, ops: num('BENCH_OPS_C1', 1500) },
      { name: 'getSecret c=32', op: (c) => c.getSecret('bench-get'), concurrency: 32, ops: num('BENCH_OPS_C32', 6000) },
      { name: 'setSecret c=1', op: (c, i) => c.setSecret(`bench-set-${i % 16}`, 'y'.repeat(32)), concurrency: 1, ops: num('BENCH_OPS_C1', 1500) },
      { name: 'setSecret c=32', op: (c, i) => c.setSecret(`bench-set-${i % 16}`, 'y'.repeat(32)), concurrency: 32, ops: num('BENCH_OPS_C32', 6000) },
    ];
    log(`throughput: ${rounds} interleaved rounds per scenario (medians)`);
    const summaries = await runScenarios(contenders, scenarios, rounds, vault, log);
    emit(throughputTable(summaries));
    await Promise.all(contenders.map((c) => c.close()));
  } finally {
    await vault.stop();
  }
}

if (process.env['BENCH_OUT']) writeFileSync(process.env['BENCH_OUT'], `${out.join('\n\n')}\n`);
