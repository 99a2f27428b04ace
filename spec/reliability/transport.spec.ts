import { expect } from 'chai';
import { KeyVaultClient } from '../../lib/index.js';
import { BufferedResponse } from '../../lib/core/buffered-response.js';
import { startVault } from '../../lib/emulator/index.js';

/** Regressions of the default transport found by the security sweep (redaction.spec.ts). */
describe('the default transport', () => {
  it('serves a logged client: looking at a buffered body (as ky does after its hooks) does not consume it', async () => {
    const vault = await startVault({ tls: false });
    try {
      const lines: string[] = [];
      const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };
      const kv = new KeyVaultClient(vault.url, credential, { allowInsecureConnection: true, logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m) } });
      expect((await kv.secrets.setSecret('logged', 'v1')).value).to.equal('v1');
      expect((await kv.secrets.getSecret('logged')).value).to.equal('v1');
      expect(lines.filter((l) => l.includes('← 200'))).to.have.length(2);
    } finally {
      await vault.stop();
    }
  });

  it('a BufferedResponse reads once, through text() or through its stream', async () => {
    const make = () => new BufferedResponse(Buffer.from('{"a":1}'), 200, 'OK', {}, 'http://127.0.0.1/x');
    const looked = make();
    expect(looked.body).to.not.equal(null);
    expect(looked.bodyUsed).to.equal(false);
    expect(await looked.text()).to.equal('{"a":1}');
    const streamed = make();
    expect(await new Response(streamed.body).text()).to.equal('{"a":1}');
    expect(streamed.bodyUsed).to.equal(true);
    expect(await streamed.text().catch((e: unknown) => e)).to.be.instanceOf(TypeError);
  });
});
