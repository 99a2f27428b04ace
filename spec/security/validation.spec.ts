import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { CryptographyClient, KeyVaultClient, ValidationError, type KeyVaultKey, type TokenCredential } from '../../lib/index.js';
import { reply, startScripted } from '../reliability/scripted-server.js';

/**
 * Bad input is refused before anything is sent, with a `ValidationError` and a stable code: the vault (a real
 * loopback server that would answer a challenge) sees no request and the credential is never asked for a token.
 */
describe('input validation before sending', () => {
  let server: Awaited<ReturnType<typeof startScripted>>;
  let kv: KeyVaultClient;
  let getTokenCalls = 0;
  let rsaKey: KeyVaultKey;
  let rsa: CryptographyClient;
  let ec: CryptographyClient;
  let aes: CryptographyClient;

  before(async () => {
    server = await startScripted([reply.challenge(), reply.status(500, {})]);
    const credential: TokenCredential = { async getToken() { getTokenCalls++; return { token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }; } };
    kv = new KeyVaultClient(server.url, credential, { allowInsecureConnection: true, retry: { limit: 0 } });
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const id = `${server.url}/keys/rsa/0123456789abcdef0123456789abcdef`;
    rsaKey = {
      name: 'rsa', id, keyType: 'RSA', keyOperations: ['encrypt', 'verify', 'wrapKey'],
      key: { kid: id, kty: 'RSA', keyOps: ['encrypt', 'verify', 'wrapKey'], n: Buffer.from(jwk['n']!, 'base64url'), e: Buffer.from(jwk['e']!, 'base64url') },
      properties: { name: 'rsa', id, vaultUrl: server.url, version: '0123456789abcdef0123456789abcdef', enabled: true },
    } as KeyVaultKey;
    rsa = kv.keys.getCryptographyClient(rsaKey);
    const ecJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
    ec = new CryptographyClient({ kty: 'EC', crv: 'P-256', x: Buffer.from(ecJwk['x']!, 'base64url'), y: Buffer.from(ecJwk['y']!, 'base64url'), d: Buffer.from(ecJwk['d']!, 'base64url') });
    aes = new CryptographyClient({ kty: 'oct', k: new Uint8Array(16).fill(7) });
  });
  after(() => server.stop());

  const bytes = (n: number) => new Uint8Array(n).fill(1);
  const table: [string, () => unknown, string][] = [
    // Names: 1-127 letters, digits, dashes; nothing that could move the path.
    ['empty secret name', () => kv.secrets.getSecret(''), 'InvalidName'],
    ['128-character name', () => kv.secrets.setSecret('a'.repeat(128), 'v'), 'InvalidName'],
    ['name with a space', () => kv.secrets.setSecret('has space', 'v'), 'InvalidName'],
    ['name with a slash', () => kv.secrets.getSecret('a/b'), 'InvalidName'],
    ['name ..', () => kv.keys.getKey('..'), 'InvalidName'],
    ['name with an encoded slash', () => kv.keys.getKey('a%2Fb'), 'InvalidName'],
    ['name with an underscore', () => kv.keys.createEcKey('under_score'), 'InvalidName'],
    ['name with a dot', () => kv.certificates.getCertificate('a.b'), 'InvalidName'],
    ['unicode name', () => kv.secrets.getSecret('pässword'), 'InvalidName'],
    ['name that is not a string', () => kv.secrets.getSecret(42 as unknown as string), 'InvalidName'],
    ['name with a NUL', () => kv.secrets.getSecret('a\u0000b'), 'InvalidName'],
    // Versions.
    ['version with ..', () => kv.secrets.getSecret('a', { version: '../b' }), 'InvalidVersion'],
    ['version with a dash', () => kv.keys.getKey('a', { version: 'not-a-version' }), 'InvalidVersion'],
    ['65-character version', () => kv.secrets.getSecret('a', { version: 'a'.repeat(65) }), 'InvalidVersion'],
    // Ids of this vault, but not of the right kind.
    ['a key id given as a secret', () => kv.secrets.getSecret(`${server.url}/keys/k/0123456789abcdef0123456789abcdef`), 'InvalidId'],
    // Values and sizes.
    ['secret value that is not a string', () => kv.secrets.setSecret('a', 42 as unknown as string), 'InvalidValue'],
    ['secret value over 25 KB', () => kv.secrets.setSecret('a', 'x'.repeat(25 * 1024 + 1)), 'ValueTooLarge'],
    ['secret value over 25 KB in UTF-8 only', () => kv.secrets.setSecret('a', 'é'.repeat(13 * 1024)), 'ValueTooLarge'],
    ['0 random bytes', () => kv.keys.getRandomBytes(0), 'InvalidCount'],
    ['129 random bytes', () => kv.keys.getRandomBytes(129), 'InvalidCount'],
    ['page size 26', async () => { for await (const _ of kv.secrets.listPropertiesOfSecrets().byPage({ maxPageSize: 26 })) break; }, 'InvalidPageSize'],
    ['empty key backup', () => kv.keys.restoreKeyBackup(new Uint8Array()), 'InvalidBackup'],
    ['empty secret backup', () => kv.secrets.restoreSecretBackup(new Uint8Array()), 'InvalidBackup'],
    // (An unknown key type string is sent: the service adds types, as Microsoft's KnownKeyTypes allows.)
    ['key type that is not a string', () => kv.keys.createKey('k', 42 as never), 'InvalidKeyType'],
    ['key name that is not a string', () => kv.keys.getKey(42 as unknown as string), 'InvalidName'],
    ['rotation policy with a bad duration', () => kv.keys.updateKeyRotationPolicy('k', { expiresIn: 'P90X' }), 'InvalidDuration'],
    ['certificate format der', () => kv.certificates.getCertificateWithPrivateKey('c', { format: 'der' as never }), 'InvalidFormat'],
    // Algorithm against key type, curve and sizes.
    ['AES-GCM on an RSA key', () => rsa.encrypt({ algorithm: 'A128GCM', plaintext: bytes(8) } as never), 'AlgorithmKeyMismatch'],
    ['ES256 on an RSA key', () => rsa.verify('ES256', bytes(32), bytes(64)), 'AlgorithmKeyMismatch'],
    ['RS256 on an EC key', () => ec.sign('RS256', bytes(32)), 'AlgorithmKeyMismatch'],
    ['ES384 on a P-256 key', () => ec.sign('ES384', bytes(48)), 'AlgorithmKeyMismatch'],
    ['ES256 with a 20-byte digest', () => ec.sign('ES256', bytes(20)), 'InvalidDigestLength'],
    ['A256KW with a 128-bit key', () => aes.wrapKey('A256KW', bytes(16)), 'AlgorithmKeyMismatch'],
    ['A128KW on fewer than 16 bytes', () => aes.wrapKey('A128KW', bytes(8)), 'InvalidArgument'],
    ['A128CBC with an 8-byte iv', () => aes.encrypt({ algorithm: 'A128CBC', plaintext: bytes(16), iv: bytes(8) }), 'InvalidIv'],
    ['A128CBC on a partial block', () => aes.encrypt({ algorithm: 'A128CBC', plaintext: bytes(15), iv: bytes(16) }), 'InvalidArgument'],
    ['an algorithm that cannot sign', () => rsa.sign('RSA-OAEP' as never, bytes(32)), 'InvalidAlgorithm'],
    ['plaintext that is not bytes', () => rsa.encrypt({ algorithm: 'RSA-OAEP', plaintext: 'text' as never }), 'InvalidArgument'],
  ];

  for (const [what, attempt, code] of table) {
    it(`refuses ${what} (${code})`, async () => {
      let error: unknown;
      try {
        await attempt();
      } catch (e) {
        error = e;
      }
      expect(error, what).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).code, `${what}: ${(error as Error).message}`).to.equal(code);
    });
  }

  const urls: [string, string][] = [
    ['not a url', 'InvalidVaultUrl'],
    ['ftp://vault.example', 'InvalidVaultUrl'],
    ['https://user:password@myvault.vault.azure.net', 'InvalidVaultUrl'],
    ['https://myvault.vault.azure.net?x=1', 'InvalidVaultUrl'],
    ['https://myvault.vault.azure.net#fragment', 'InvalidVaultUrl'],
    ['http://myvault.vault.azure.net', 'InsecureVaultUrl'],
  ];
  for (const [url, code] of urls) {
    it(`refuses the vault URL ${url} (${code})`, () => {
      let error: unknown;
      try {
        new KeyVaultClient(url, { async getToken() { return null; } });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).code).to.equal(code);
    });
  }

  it('sent nothing and asked for no token', () => {
    expect(server.seen).to.deep.equal([]);
    expect(getTokenCalls).to.equal(0);
  });
});
