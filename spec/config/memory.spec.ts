import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

interface Sample { heap: number; objects: { count: number; bytes: number }; held: number; emissions: number; polls: number }
async function run(mode: string, polls: number, mark: number): Promise<{ first: Sample; last: Sample; pendingTimers?: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', child, mode, String(polls), String(mark)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/**
 * Long-lived subscriptions hold no memory per poll or per emission, counted: the teardowns held by the subscriptions
 * (equal at both marks) and the JavaScript objects on the heap, from a heap snapshot at each mark (a snapshot
 * collects all garbage first, so the count does not depend on when the collector ran or on the machine's load).
 * Keeping even one object per poll would add thousands; the bound allows a few dozen (lazily created internals).
 * `heapUsed` after `gc()` is not asserted: it moves by a megabyte with JIT code and collector timing.
 */
const grew = (first: Sample, last: Sample) => ({ objects: last.objects.count - first.objects.count, bytes: last.objects.bytes - first.objects.bytes });
describe('long-lived subscriptions hold no memory per poll', function () {
  this.timeout(180_000);

  it('watchSecret$: 20 watchers, thousands of polls and dozens of emissions', async () => {
    const { first, last } = await run('watch', 12_000, 2_000);
    expect(last.polls - first.polls).to.be.at.least(10_000); // both marks are taken with all 20 polls held by the vault
    expect(last.emissions - first.emissions).to.be.greaterThan(20);
    expect(last.held).to.equal(first.held);
    expect(grew(first, last).objects, 'objects kept over ~10,000 polls').to.be.below(200);
    expect(grew(first, last).bytes, 'bytes kept over ~10,000 polls').to.be.below(32 * 1024);
  });

  it('config$: 10 subscribers, thousands of polls and hundreds of emissions', async () => {
    const { first, last, pendingTimers } = await run('config', 4_000, 500);
    expect(last.polls - first.polls).to.equal(3_500);
    expect(last.emissions - first.emissions).to.equal(3_500);
    expect(last.held).to.equal(first.held);
    expect(grew(first, last).objects, 'objects kept over 3,500 polls').to.be.below(200);
    expect(grew(first, last).bytes, 'bytes kept over 3,500 polls').to.be.below(32 * 1024);
    expect(pendingTimers).to.equal(0);
  });
});
