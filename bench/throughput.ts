// Requests per second, latency and client CPU per op of each contender, interleaved round by round so that a noisy
// machine slows every contender alike; the vault's own CPU is read from its process for each segment.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { Contender } from './contenders.js';
import type { VaultProcess } from './vault.js';
import { fmt, median, quantile, table } from './stats.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface Segment {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerOp: number;
  vaultCpuUsPerOp: number;
  /** Share of one core the vault used during the segment (1 = a full core: the vault would be the bottleneck). */
  vaultCoreShare: number;
  errors: number;
}

type Op = (contender: Contender, i: number) => Promise<unknown>;

export async function segment(contender: Contender, op: Op, concurrency: number, total: number, vault: VaultProcess): Promise<Segment> {
  const latencies = new Float64Array(total);
  let issued = 0;
  let errors = 0;
  const worker = async () => {
    while (issued < total) {
      const i = issued++;
      const start = performance.now();
      try {
        await op(contender, i);
      } catch {
        errors++;
      }
      latencies[i] = performance.now() - start;
    }
  };
  const vault0 = await vault.cpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const vaultCpu = (await vault.cpu()) - vault0;
  latencies.sort();
  return {
    opsPerSec: (total / elapsedMs) * 1000,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuUsPerOp: (cpu.user + cpu.system) / total,
    vaultCpuUsPerOp: vaultCpu / total,
    vaultCoreShare: vaultCpu / (elapsedMs * 1000),
    errors,
  };
}

export interface Scenario {
  name: string;
  op: Op;
  concurrency: number;
  ops: number;
}

export type Summary = Record<keyof Segment, number> & { contender: string; scenario: string };

/** Runs every scenario: a warm-up per contender, then `rounds` rounds in which each contender runs once, in rotating order. */
export async function runScenarios(contenders: Contender[], scenarios: Scenario[], rounds: number, vault: VaultProcess, log: (line: string) => void): Promise<Summary[]> {
  const summaries: Summary[] = [];
  for (const scenario of scenarios) {
    for (const contender of contenders) await segment(contender, scenario.op, scenario.concurrency, Math.ceil(scenario.ops / 3), vault);
    const results = new Map<string, Segment[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(round + k) % contenders.length]!;
        gc();
        results.get(contender.name)!.push(await segment(contender, scenario.op, scenario.concurrency, scenario.ops, vault));
      }
    }
    for (const [name, segments] of results) {
      const pick = (key: keyof Segment) => median(segments.map((s) => s[key]));
      const summary = {
        contender: name, scenario: scenario.name,
        opsPerSec: pick('opsPerSec'), p50Ms: pick('p50Ms'), p99Ms: pick('p99Ms'), cpuUsPerOp: pick('cpuUsPerOp'),
        vaultCpuUsPerOp: pick('vaultCpuUsPerOp'), vaultCoreShare: pick('vaultCoreShare'), errors: segments.reduce((n, s) => n + s.errors, 0),
      };
      summaries.push(summary);
      log(`  ${scenario.name.padEnd(16)} ${name.padEnd(24)} ${fmt(summary.opsPerSec).padStart(7)} ops/s  p50 ${fmt(summary.p50Ms, 2)} ms  p99 ${fmt(summary.p99Ms, 2)} ms  ${fmt(summary.cpuUsPerOp, 1)} µs CPU/op  vault ${fmt(summary.vaultCpuUsPerOp, 1)} µs/op (${fmt(summary.vaultCoreShare * 100)}% of a core)${summary.errors ? `  ${summary.errors} errors` : ''}`);
    }
  }
  return summaries;
}

export function throughputTable(summaries: Summary[]): string {
  return table(
    ['scenario', 'client', 'ops/s', 'p50 ms', 'p99 ms', 'client CPU µs/op', 'vault CPU µs/op', 'vault core use'],
    summaries.map((s) => [s.scenario, s.contender, fmt(s.opsPerSec), fmt(s.p50Ms, 2), fmt(s.p99Ms, 2), fmt(s.cpuUsPerOp, 1), fmt(s.vaultCpuUsPerOp, 1), `${fmt(s.vaultCoreShare * 100)}%`]),
  );
}
