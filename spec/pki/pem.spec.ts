import { expect } from 'chai';
import { certificatePem, looksLikePem, pemCertificates } from '../../lib/pki/pem.js';
import { issueLeaf, makeCa } from '../certificates/fixtures.js';

describe('pki: PEM', () => {
  it('one sniffing rule: PEM text (even behind OpenSSL bag attributes) yes; DER and PFX no', async () => {
    const leaf = await issueLeaf(await makeCa(), { subject: 'CN=pem.example.com', ec: true });
    // `openssl pkcs12 -nodes` writes a few hundred bytes of attributes before the first block.
    const attributes = `Bag Attributes\n    localKeyId: ${'AB:'.repeat(60)}\nsubject=CN = pem.example.com\nissuer=CN = keyvault-kit test CA\n`;
    expect(looksLikePem(Buffer.from(attributes + leaf.certificatePem))).to.equal(true);
    expect(looksLikePem(attributes + leaf.certificatePem)).to.equal(true);
    expect(looksLikePem(leaf.der)).to.equal(false);
    expect(looksLikePem(leaf.pfx)).to.equal(false);
    expect(looksLikePem(Buffer.from('not a certificate'))).to.equal(false);
  });

  it('writes and reads back certificate PEM, 64 characters a line', async () => {
    const leaf = await issueLeaf(await makeCa(), { subject: 'CN=pem.example.com', ec: true });
    const text = certificatePem(leaf.der);
    expect(text.split('\n').slice(1, -2).every((line) => line.length <= 64)).to.equal(true);
    expect(pemCertificates(text).map((der) => Buffer.from(der))).to.deep.equal([Buffer.from(leaf.der)]);
  });
});
