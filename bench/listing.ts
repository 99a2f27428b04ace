// Listing 20,000 secrets: peak RSS growth of a fresh process iterating them, through both faces.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Contender } from './contenders.js';
import type { VaultProcess } from './vault.js';

export interface ListingResult { face: string; count: number; ms: number; cpuUsPerItem: number; rssGrowthMB: number; baselineMB: number; vaultCpuMs: number }

/** Creates `total` secrets (`list-00000`, ...) 32 at a time, unless the vault already has them. */
export async function populate(writer: Contender, total: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await writer.setSecret(`list-${String(i).padStart(5, '0')}`, `value-${i}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

export async function measureListing(vault: VaultProcess, face: 'iterable' | 'observable'): Promise<ListingResult> {
  const vault0 = await vault.cpu();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./listing-child.ts', import.meta.url))], {
    env: { ...process.env, VAULT_URL: vault.url, VAULT_CA: vault.ca, FACE: face },
    timeout: 600_000,
  });
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<ListingResult, 'vaultCpuMs'>), vaultCpuMs: ((await vault.cpu()) - vault0) / 1000 };
}
