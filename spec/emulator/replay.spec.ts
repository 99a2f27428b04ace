import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startVault } from '../../lib/emulator/index.js';

// The replay tool and the recorded service sessions live beside the repository (../shared), on CI too.
const TOOL = fileURLToPath(new URL('../../../shared/tools/replay-recordings.mjs', import.meta.url));

/** Areas whose recorded sessions must replay without a mismatch. Add an area here when the vault serves it. */
const AREAS = ['secrets', 'keys'];

function replay(url: string, caFile: string, area: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TOOL, '--url', url, '--ca', caFile, '--only', area], { timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('emulator replays the recorded Key Vault sessions', function () {
  before(function () {
    // Without ../shared (a checkout of the repository alone) there is nothing to replay.
    if (!existsSync(TOOL)) this.skip();
  });

  for (const area of AREAS) {
    it(`answers every recorded ${area} exchange as the service did`, async () => {
      const vault = await startVault();
      try {
        const { code, output } = await replay(vault.url, vault.caFile, area);
        const summary = /(\d+) passed, (\d+) failed\s*$/.exec(output);
        expect(summary, output).to.not.equal(null);
        expect(Number(summary![2]), output).to.equal(0);
        expect(Number(summary![1])).to.be.greaterThan(0);
        expect(code, output).to.equal(0);
      } finally {
        await vault.stop();
      }
    });
  }
});
