import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPfx, writePfx } from '../../lib/pki/pkcs12.js';
import { issueLeaf, makeCa, type Issued } from '../certificates/fixtures.js';

describe('pki: PKCS#12 as the SDK reads and writes it', () => {
  let leaf: Issued;
  let dir: string;
  before(async () => {
    leaf = await issueLeaf(await makeCa(), { subject: 'CN=pfx.example.com', ec: true });
    dir = mkdtempSync(join(tmpdir(), 'kvkit-pfx-'));
    writeFileSync(join(dir, 'leaf.pem'), leaf.pem);
  });

  it('reads what OpenSSL 3 writes (PBES2/AES, SHA-256 MAC), with its password', async () => {
    execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'leaf.pem'), '-out', join(dir, 'p.pfx'), '-passout', 'pass:s3cret']);
    const content = readPfx(readFileSync(join(dir, 'p.pfx')), 's3cret');
    expect(content.key?.equals(leaf.key)).to.equal(true);
    expect(content.chain.map((der) => new X509Certificate(der).subject)).to.deep.equal(['CN=pfx.example.com', 'CN=keyvault-kit test CA']);
  });

  it('a wrong password fails on the key', async () => {
    execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'leaf.pem'), '-out', join(dir, 'w.pfx'), '-passout', 'pass:right']);
    let error: unknown;
    try {
      readPfx(readFileSync(join(dir, 'w.pfx')), 'wrong');
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(Error);
  });

  it('writes a PFX with an empty password that OpenSSL reads back, key and chain', () => {
    writeFileSync(join(dir, 'out.pfx'), writePfx({ key: leaf.key, chain: [leaf.der] }));
    const text = execFileSync('openssl', ['pkcs12', '-in', join(dir, 'out.pfx'), '-passin', 'pass:', '-nodes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(text).to.include('-----BEGIN PRIVATE KEY-----');
    expect(text).to.include('subject=CN = pfx.example.com');
  });
});
