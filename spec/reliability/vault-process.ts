import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./vault-child.ts', import.meta.url));

/** The local vault in its own process (plain HTTP on loopback), optionally on a data file. */
export function startVaultProcess(dataFile?: string): Promise<{ process: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // node itself (with tsx as a loader), not the tsx wrapper: a signal must reach the vault's own process.
    const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...(dataFile ? [dataFile] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve({ process: proc, url: out.split('\n')[0]!.trim() });
    });
    proc.on('exit', (code) => reject(new Error(`the vault exited (${code}) before printing its URL`)));
  });
}

export const exited = (proc: ChildProcess): Promise<void> =>
  new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));

/** Resident set size of a process in MB (Linux), read from /proc. */
export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}
