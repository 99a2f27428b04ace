import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { CryptographyClient, KeyVaultClient, type JsonWebKey, type TokenCredential } from '../../lib/index.js';
import { toCertificateIssuer } from '../../lib/certificates/transform.js';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';
import { makeCa, issueLeaf } from '../certificates/fixtures.js';
import { reply, startScripted } from '../reliability/scripted-server.js';

/**
 * A sweep with sentinel values, through the local vault: the token, a secret value, private key material and
 * a password must appear in no log line, and in no `String()`, `JSON.stringify` or `util.inspect` of any client,
 * error, poller or model this SDK hands out (nor in an error's message or stack).
 */
const TOKEN = 'T0KEN-SENTINEL-b1e9a';
const SECRET = 'S3CRET-SENTINEL-7f3a9c';
const PASSWORD = 'P4SSW0RD-SENTINEL-42';

/** Every spelling a byte string may take in output: text, base64(url), hex, and as listed numbers. */
function spellings(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  const head = [...b.subarray(0, 10)];
  return [
    b.toString('base64url').slice(0, 24),
    b.toString('base64').slice(0, 24),
    b.toString('hex').slice(0, 24),
    head.join(','),
    head.map((x, i) => `"${i}":${x}`).join(','),
  ];
}

describe('no secret in logs, messages, toString, JSON or inspect output', function () {
  this.timeout(120_000);
  let vault: RunningVault;
  let kv: KeyVaultClient;
  const lines: string[] = [];
  const sentinels: Record<string, string[]> = { token: [TOKEN], secret: [SECRET, Buffer.from(SECRET).toString('base64')], password: [PASSWORD] };
  const swept: { what: string; value: unknown }[] = [];
  let privateJwk: JsonWebKey | undefined;
  const credential: TokenCredential = { async getToken() { return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }; } };
  const logger = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
  const sweep = (what: string, value: unknown) => { swept.push({ what, value }); return value; };

  before(async () => {
    vault = await startVault();
    kv = new KeyVaultClient(vault.url, credential, { ca: vault.ca, logger, retry: { backoffMs: 1, maxDelayMs: 5 } });
  });
  after(() => vault.stop());

  it('secrets: models, listings, pollers, errors', async () => {
    sweep('client', kv);
    sweep('secrets client', kv.secrets);
    sweep('setSecret', await kv.secrets.setSecret('swept', SECRET, { contentType: 'text/plain' }));
    const got = sweep('getSecret', await kv.secrets.getSecret('swept'));
    expect((got as { value: string }).value).to.equal(SECRET);
    for await (const p of kv.secrets.listPropertiesOfSecrets()) sweep('listed', p);
    sweep('backup', await kv.secrets.backupSecret('swept'));
    const poller = await kv.secrets.beginDeleteSecret('swept', { intervalInMs: 0 });
    sweep('delete poller', poller);
    sweep('deleted secret', await poller.pollUntilDone());
    sweep('poller after', poller);
    sweep('poller state', poller.getOperationState());
    sweep('poller toString', poller.toString());
    sweep('deleted', await kv.secrets.getDeletedSecret('swept'));
    const recover = await kv.secrets.beginRecoverDeletedSecret('swept', { intervalInMs: 0 });
    sweep('recover poller', recover);
    sweep('recovered', await recover.pollUntilDone());
    // A value the vault refuses (too large), a missing one, a bad name: the errors say why, never what.
    sweep('too large', await kv.secrets.setSecret('swept-big', `${SECRET}${'x'.repeat(30_000)}`).catch((e: unknown) => e));
    sweep('not found', await kv.secrets.getSecret('no-such').catch((e: unknown) => e));
    sweep('invalid name', await kv.secrets.setSecret('bad name!', SECRET).catch((e: unknown) => e));
    sweep('aborted', await kv.secrets.setSecret('swept', SECRET, { abortSignal: AbortSignal.abort() }).catch((e: unknown) => e));
  });

  it('keys: an imported private key, the local and remote cryptography clients, pollers', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
    const bytes = (field: string) => new Uint8Array(Buffer.from(jwk[field]!, 'base64url'));
    const ours: JsonWebKey = { kty: 'RSA', n: bytes('n'), e: bytes('e'), d: bytes('d'), p: bytes('p'), q: bytes('q'), dp: bytes('dp'), dq: bytes('dq'), qi: bytes('qi') };
    sentinels['private key'] = ['d', 'p', 'q', 'dp', 'dq', 'qi'].flatMap((f) => spellings(bytes(f)));
    privateJwk = ours;
    sweep('keys client', kv.keys);
    const imported = sweep('importKey', await kv.keys.importKey('swept-key', ours));
    sweep('getKey', await kv.keys.getKey('swept-key'));
    const local = sweep('local cryptography client', new CryptographyClient(ours));
    sweep('local encrypt', await (local as CryptographyClient).encrypt({ algorithm: 'RSA-OAEP', plaintext: Buffer.from(SECRET) }));
    const remote = sweep('remote cryptography client', kv.keys.getCryptographyClient(imported as never));
    const encrypted = await (remote as CryptographyClient).encrypt({ algorithm: 'RSA-OAEP', plaintext: Buffer.from(SECRET) });
    const decrypted = sweep('decrypt', await (remote as CryptographyClient).decrypt({ algorithm: 'RSA-OAEP', ciphertext: encrypted.result }));
    expect(Buffer.from((decrypted as { result: Uint8Array }).result).toString()).to.equal(SECRET);
    sweep('import error', await kv.keys.importKey('bad name!', ours).catch((e: unknown) => e));
    const poller = await kv.keys.beginDeleteKey('swept-key', { intervalInMs: 0 });
    sweep('key delete poller', poller);
    sweep('deleted key', await poller.pollUntilDone());
  });

  it('certificates: a certificate with its private key, an issuer with its password', async () => {
    const ca = await makeCa();
    const leaf = await issueLeaf(ca, { subject: 'CN=swept.example.com' });
    const keyBody = leaf.pem.split('-----')[2]!.replace(/\s/g, '');
    sentinels['certificate key'] = [keyBody.slice(100, 140), keyBody.slice(-80, -40)];
    // The certificate's secret, as the vault keeps it for a PEM policy, read the way the SDK reads it.
    const v76 = new KeyVaultClient(vault.url, credential, { ca: vault.ca, apiVersion: '7.6', logger });
    await v76.secrets.setSecret('swept-cert', leaf.pem, { contentType: 'application/x-pem-file' });
    sweep('certificates client', v76.certificates);
    const withKey = sweep('certificate with private key', await v76.getCertificateWithPrivateKey('swept-cert'));
    expect((withKey as { privateKeyPem: string }).privateKeyPem.replace(/\s/g, '')).to.contain(keyBody.slice(100, 140));
    sweep('certificate with private key as pfx', await v76.getCertificateWithPrivateKey('swept-cert', { format: 'pfx' }).catch((e: unknown) => e));
    sweep('certificate secret', await v76.secrets.getSecret('swept-cert'));
    sweep('issuer', toCertificateIssuer({ id: `${vault.url}/certificates/issuers/i1`, provider: 'Test', credentials: { account_id: 'acct', pwd: PASSWORD } }));
    // An issuer sent to a vault that fails: the password is in the request body only.
    const failing = await startScripted([reply.challenge(), reply.status(500, { error: { code: 'InternalServerError', message: 'boom' } })]);
    try {
      const other = new KeyVaultClient(failing.url, credential, { allowInsecureConnection: true, retry: { limit: 1, backoffMs: 1 }, logger });
      sweep('issuer error', await other.certificates.createIssuer('i1', 'Test', { accountId: 'acct', password: PASSWORD }).catch((e: unknown) => e));
      sweep('set secret error', await other.secrets.setSecret('s', SECRET).catch((e: unknown) => e));
      expect(failing.seen.some((r) => r.body.includes(PASSWORD))).to.equal(true);
    } finally {
      await failing.stop();
    }
  });

  it('transport failures: a reset, a timeout', async () => {
    const server = await startScripted([reply.challenge(), (req) => req.socket.resetAndDestroy(), (req) => req.socket.resetAndDestroy(), reply.after(2_000, reply.secret('x'))]);
    try {
      const other = new KeyVaultClient(server.url, credential, { allowInsecureConnection: true, retry: { limit: 1, backoffMs: 1 }, timeout: 200, logger });
      sweep('network error', await other.secrets.setSecret('s', SECRET).catch((e: unknown) => e));
      sweep('timeout error', await other.secrets.setSecret('s', SECRET).catch((e: unknown) => e));
    } finally {
      await server.stop();
    }
  });

  it('none of it shows a sentinel', () => {
    const leaks: string[] = [];
    const outputs = (value: unknown): [string, string][] => {
      const out: [string, string][] = [
        ['String', (() => { try { return String(value); } catch (e) { return `String threw ${(e as Error).message}`; } })()],
        ['JSON.stringify', (() => { try { return JSON.stringify(value) ?? ''; } catch (e) { return `JSON threw ${(e as Error).message}`; } })()],
        ['util.inspect', inspect(value, { depth: Infinity })],
      ];
      if (value instanceof Error) out.push(['message', value.message], ['stack', value.stack ?? '']);
      return out;
    };
    const check = (what: string, how: string, text: string) => {
      const flat = text.replace(/\s/g, '');
      for (const [name, forms] of Object.entries(sentinels)) {
        for (const form of forms) if (text.includes(form) || flat.includes(form.replace(/\s/g, ''))) leaks.push(`${name} in ${how} of ${what}`);
      }
    };
    // The sweep can see a leak: the values are there, only hidden from printing.
    for (const [name, forms] of [['secret', SECRET], ['token', TOKEN], ['password', PASSWORD]] as const) {
      check(`control ${name}`, 'inspect', inspect({ leaked: forms }));
    }
    check('control private key', 'inspect', inspect({ ...privateJwk }));
    check('control private key', 'JSON', JSON.stringify({ d: Buffer.from(privateJwk!.d!).toString('base64url') }));
    const controls = [...new Set(leaks.splice(0))];
    expect(controls).to.have.length(5);
    const secret = swept.find((s) => s.what === 'getSecret')!.value as object;
    check('control', 'showHidden', inspect(secret, { showHidden: true }));
    expect(leaks.splice(0)).to.deep.equal(['secret in showHidden of control']);
    expect(swept.length).to.be.greaterThan(30);
    for (const { what, value } of swept) for (const [how, text] of outputs(value)) check(what, how, text);
    expect(lines.length).to.be.greaterThan(20);
    for (const line of lines) check('log line', line.slice(0, 60), line);
    expect([...new Set(leaks)]).to.deep.equal([]);
  });
});
