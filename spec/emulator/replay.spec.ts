import { expect } from 'chai';
import { startVault } from '../../lib/emulator/index.js';
import { replay } from '../helpers/replay.js';

/**
 * Areas whose recorded sessions (spec/fixtures/recordings) must replay without a mismatch, with their exchange
 * counts. Certificates replay in certificates.spec.ts: one recorded exchange cannot pass in any faithful vault.
 */
const AREAS = { secrets: 46, keys: 28 } as const;

describe('emulator replays the recorded Key Vault sessions', () => {
  for (const [area, exchanges] of Object.entries(AREAS)) {
    it(`answers every recorded ${area} exchange as the service did (${exchanges} exchanges)`, async () => {
      const vault = await startVault();
      try {
        const report = await replay(vault.url, vault.ca, [area]);
        expect(report.misses).to.deep.equal([]);
        expect(report.matched).to.equal(exchanges);
        expect(report.total).to.equal(exchanges);
      } finally {
        await vault.stop();
      }
    });
  }
});
