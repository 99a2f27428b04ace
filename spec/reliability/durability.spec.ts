import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyVaultClient, type TokenCredential } from '../../lib/index.js';
import { exited, startVaultProcess as startChild } from './vault-process.js';

/**
 * Durability of the local vault's data file: a writer doing setSecret at concurrency 16 while the vault
 * process is killed with SIGKILL, then a restart on the same file. Every write the vault acknowledged must be
 * there, at its version, with its value; every version there must be a whole write (acknowledged, or in flight
 * when the vault died), never a partial one. `DURABILITY_ROUNDS` (default 3) kills per run.
 */
const ROUNDS = Number(process.env['DURABILITY_ROUNDS'] ?? 3);
const credential: TokenCredential = { async getToken() { return { token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }; } };

describe('the local vault survives kill -9 with a data file', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'kv-durability-'));
  const dataFile = join(dir, 'vault.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged setSecret across ${ROUNDS} SIGKILLs, and no partial record`, async () => {
    const acknowledged: { name: string; version: string; value: string }[] = [];
    const attempted = new Set<string>();
    let failedWrites = 0;
    let sequence = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const vault = await startChild(dataFile);
      const kv = new KeyVaultClient(vault.url, credential, { allowInsecureConnection: true, retry: { limit: 0 } });
      const target = acknowledged.length + 150 + round * 50;
      let killed = false;
      const writers = Array.from({ length: 16 }, async () => {
        // Writes go on until the vault is gone: the kill lands while some are in flight.
        while (!killed && failedWrites < 1_000) {
          const n = sequence++;
          const name = `d-${n % 40}`;
          const value = `round-${round}:write-${n}:${'v'.repeat(n % 200)}`;
          attempted.add(value);
          try {
            const secret = await kv.secrets.setSecret(name, value);
            acknowledged.push({ name, version: secret.properties.version!, value });
            if (acknowledged.length >= target && !killed) {
              killed = true;
              vault.process.kill('SIGKILL');
            }
          } catch {
            failedWrites++;
            if (killed || vault.process.exitCode !== null || vault.process.signalCode !== null) return;
          }
        }
      });
      await Promise.all(writers);
      // Bounded: a round that never reached its target still ends with the vault killed.
      vault.process.kill('SIGKILL');
      await exited(vault.process);
      expect(vault.process.signalCode).to.equal('SIGKILL');
    }

    const vault = await startChild(dataFile);
    try {
      const kv = new KeyVaultClient(vault.url, credential, { allowInsecureConnection: true });
      let found = 0;
      for (const w of acknowledged) {
        const secret = await kv.secrets.getSecret(w.name, { version: w.version }).catch(() => undefined);
        if (secret?.value === w.value) found++;
      }
      const partial: string[] = [];
      let versions = 0;
      for (let i = 0; i < 40; i++) {
        for await (const p of kv.secrets.listPropertiesOfSecretVersions(`d-${i}`)) {
          versions++;
          const value = (await kv.secrets.getSecret(p.name, { version: p.version! })).value!;
          if (!attempted.has(value)) partial.push(`${p.name}/${p.version}: ${value.slice(0, 40)}`);
        }
      }
      console.log(`      durability: ${ROUNDS} SIGKILLs, ${acknowledged.length} writes acknowledged, ${found} found after restart; ${versions} versions on disk (${versions - acknowledged.length} written but unacknowledged when the vault died), ${failedWrites} writes failed in flight, ${partial.length} partial`);
      expect(found).to.equal(acknowledged.length);
      expect(partial).to.deep.equal([]);
      expect(versions).to.be.at.least(acknowledged.length);
    } finally {
      vault.process.kill('SIGTERM');
      await exited(vault.process);
    }
  });
});
