import { expect } from 'chai';
import { fromBase64, fromBase64Url } from '../../lib/wire/codecs.js';

describe('wire codecs', () => {
  it('decodes base64url and base64 into a Buffer of its own (typed Uint8Array), as Microsoft\'s byte results are', () => {
    const bytes = fromBase64Url('TWFydmlu')!;
    expect(Buffer.isBuffer(bytes)).to.equal(true);
    expect(bytes.toString()).to.equal('Marvin');
    // Not a slice of Node's shared pool: its ArrayBuffer holds these bytes only.
    expect(bytes.buffer.byteLength).to.equal(6);
    expect(fromBase64('-_8').toString('hex')).to.equal(fromBase64('+/8=').toString('hex'));
    expect(fromBase64('+/8=').toString('hex')).to.equal('fbff');
    expect(fromBase64Url(undefined)).to.equal(undefined);
    expect(fromBase64('').length).to.equal(0);
  });
});
