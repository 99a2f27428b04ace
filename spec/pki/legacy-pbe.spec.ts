// Published vectors for the hand-written legacy PKCS#12 cryptography (lib/pki/legacy-pbe.ts).
import { expect } from 'chai';
import { bmpPassword, pkcs12Kdf, rc2CbcDecrypt, rc2DecryptBlock, rc2ExpandKey } from '../../lib/pki/legacy-pbe.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('pki: legacy PKCS#12 encryption', () => {
  describe('RC2 (RFC 2268 section 5 test vectors, decrypting each ciphertext)', () => {
    // [key, effective key bits, plaintext, ciphertext] exactly as RFC 2268 lists them.
    const vectors: [string, number, string, string][] = [
      ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
      ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
      ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
      ['88', 64, '0000000000000000', '61a8a244adacccf0'],
      ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
      ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
      ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
      ['88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e', 129, '0000000000000000', '5b78d3a43dfff1f1'],
    ];
    for (const [key, bits, plain, cipher] of vectors) {
      it(`key ${key.slice(0, 16)}${key.length > 16 ? '…' : ''} (${key.length / 2} bytes), ${bits} effective bits`, () => {
        expect(toHex(rc2DecryptBlock(rc2ExpandKey(hex(key), bits), hex(cipher)))).to.equal(plain);
      });
    }

    it('CBC mode chains blocks and strips PKCS#5 padding; bad padding is refused', () => {
      // One block of ciphertext from vector 7, used as CBC with a zero IV: plaintext 8 zero bytes, which is not padding.
      const key = hex('88bca90e90875a7f0f79c384627bafb2');
      expect(() => rc2CbcDecrypt(key, 128, new Uint8Array(8), hex('2269552ab0f85ca6'))).to.throw(/padding/);
      expect(() => rc2CbcDecrypt(key, 128, new Uint8Array(8), hex('2269552ab0f85c'))).to.throw(/length/);
    });
  });

  describe('PKCS#12 KDF (RFC 7292 appendix B.2)', () => {
    // Vectors published with the PKCS#12 KDF implementations of OpenSSL/Bouncy Castle ("smeg" and "queeg",
    // SHA-1, salts and iteration counts as listed there), widely reused as known answers.
    it('derives the key (ID 1), IV (ID 2) and MAC key (ID 3) of the "smeg" vectors', () => {
      const password = bmpPassword('smeg');
      expect(toHex(password)).to.equal('0073006d006500670000');
      const salt = hex('0A58CF64530D823F');
      expect(toHex(pkcs12Kdf(password, salt, 1, 1, 24, 'sha1'))).to.equal('8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3');
      expect(toHex(pkcs12Kdf(password, salt, 1, 2, 8, 'sha1'))).to.equal('79993dfe048d3b76');
      expect(toHex(pkcs12Kdf(password, hex('3D83C0E4546AC140'), 1, 3, 20, 'sha1'))).to.equal('8d967d88f6caa9d714800ab3d48051d63f73a312');
    });

    it('derives the "queeg" vectors (1000 iterations)', () => {
      const password = bmpPassword('queeg');
      const salt = hex('1682C0FC5B3F7EC5');
      expect(toHex(pkcs12Kdf(password, salt, 1000, 1, 24, 'sha1'))).to.equal('483dd6e919d7de2e8e648ba8f862f3fbfbdc2bcb2c02957f');
      expect(toHex(pkcs12Kdf(password, salt, 1000, 2, 8, 'sha1'))).to.equal('9d461d1b00355c50');
      expect(toHex(pkcs12Kdf(password, hex('263216FCC2FAB31C'), 1000, 3, 20, 'sha1'))).to.equal('5ec4c7a80df652294c3925b6489a7ab857c83476');
    });
  });
});
