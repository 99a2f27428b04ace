import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClock, durationSeconds } from '../../lib/emulator/clock.js';
import { VaultError } from '../../lib/emulator/errors.js';

const CLI = fileURLToPath(new URL('../../lib/emulator/cli.ts', import.meta.url));
const run = promisify(execFile);

describe('local vault: clock and CLI flags', function () {
  this.timeout(60_000);

  it('reads ISO 8601 durations as rotation policies count them and refuses others', () => {
    expect(durationSeconds('P30D')).to.equal(30 * 86400);
    expect(durationSeconds('P1Y2M')).to.equal((365 + 60) * 86400);
    expect(durationSeconds('PT1H30M')).to.equal(5400);
    for (const bad of ['P', 'PT', '30D', 'P1.5D', 'P-1D']) expect(() => durationSeconds(bad), bad).to.throw(VaultError);
  });

  it('moves forward from its source by milliseconds, durations or a date, tells its listeners, and never moves back', () => {
    const clock = createClock(() => 1_000_000);
    const seen: number[] = [];
    clock.onChange((now) => seen.push(now.getTime()));
    expect(clock.advance(500).getTime()).to.equal(1_000_500);
    expect(clock.advance('PT1S').getTime()).to.equal(1_001_500);
    expect(clock.set(new Date(2_000_000)).getTime()).to.equal(2_000_000);
    expect(clock.set('1970-01-01T00:33:20.000Z').getTime()).to.equal(2_000_000);
    expect(seen).to.deep.equal([1_000_500, 1_001_500, 2_000_000, 2_000_000]);
    expect(() => clock.advance(-1)).to.throw(VaultError);
    expect(() => clock.set(0)).to.throw(VaultError);
    expect(() => clock.set('not a date')).to.throw(VaultError);
    expect(clock.now().getTime()).to.equal(2_000_000);
  });

  it('lists every flag in --help, and refuses a bad seed at start with the file, the entry and the reason', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', CLI, '--help']);
    for (const flag of ['--seed', '--events', '--events-schema', '--admin-token', '/_emulator/clock', '/_emulator/notifications']) expect(stdout).to.contain(flag);
    const dir = mkdtempSync(join(tmpdir(), 'kv-cli-'));
    try {
      const file = join(dir, 'seed.json');
      writeFileSync(file, JSON.stringify({ secrets: [{ name: 'bad_name', value: 'v' }] }));
      const failed = await run(process.execPath, ['--import', 'tsx', CLI, '--seed', file]).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed?.code).to.equal(1);
      expect(failed?.stderr).to.contain(`Invalid seed ${file}: $.secrets[0].name: must be 1-127 letters, digits and dashes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
