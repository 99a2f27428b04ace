import { expect } from 'chai';
import { runLoad } from './load.js';

/** A short version of `load.ts` (60 s at concurrency 64 as a script): no error under load. Memory is printed, not judged here. */
describe('the SDK and the local vault under load', function () {
  this.timeout(120_000);
  it('runs mixed operations at concurrency 64 with no error', async () => {
    const r = await runLoad(Number(process.env['LOAD_SECONDS'] ?? 5), 64);
    console.log(`      load: ${r.operations} operations, ${r.errors} errors, client RSS ${r.clientRss.start} → ${r.clientRss.end} MB, vault RSS ${r.vaultRss.start} → ${r.vaultRss.end} MB`);
    expect(r.errorSamples).to.deep.equal([]);
    expect(r.errors).to.equal(0);
    expect(r.operations).to.be.greaterThan(64);
  });
});
