/**
 * The vault's TLS: a CA kept in a state directory (made once, reused on every start, so clients, curl and OS trust
 * stores that trusted it keep working), and a server certificate it issues at each start for `localhost`,
 * `127.0.0.1`, `::1` and the names asked for. Or a certificate and key brought by the user.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { dirname, join } from 'node:path';
import type { JsonGeneralName } from '@peculiar/x509';
import { x509 } from '../pki/peculiar.js';

/** A TLS identity: PEM certificate (chain, leaf first) and PKCS#8 PEM private key. */
export interface TlsIdentity {
  readonly cert: string;
  readonly key: string;
}

/** What the vault serves and what clients trust. */
export interface VaultTls {
  /** Certificate chain and key the server presents. */
  readonly server: TlsIdentity;
  /** The PEM clients must trust. */
  readonly ca: string;
  /** Where `ca` lives on disk. */
  readonly caFile: string;
  /** A temporary directory holding `caFile`, removed on stop; none when the CA is kept in a state directory. */
  readonly temporaryDir?: string;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const crypto = webcrypto as unknown as Crypto;
const DAY = 86400_000;
/** The CA's directory inside a state directory. */
export const CA_DIR = 'keyvault-emulator-ca';

/** Names every server certificate covers. */
const DEFAULT_NAMES = ['localhost', '127.0.0.1', '::1'];

const isIp = (name: string): boolean => /^[\d.]+$/.test(name) || name.includes(':');

/**
 * Where state (the CA) is kept when no directory is given: beside the data file when there is one, otherwise
 * the user's state directory (`$XDG_STATE_HOME` or `~/.local/state` on Linux, `~/Library/Application Support` on
 * macOS, `%LOCALAPPDATA%` on Windows), under `keyvault-emulator`.
 */
export function defaultStateDir(dataFile?: string): string {
  if (dataFile) return dirname(dataFile);
  const home = homedir();
  const base =
    platform() === 'win32' ? (process.env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'))
    : platform() === 'darwin' ? join(home, 'Library', 'Application Support')
    : (process.env['XDG_STATE_HOME'] || join(home, '.local', 'state'));
  return join(base, 'keyvault-emulator');
}

/** The CA of a state directory: read when it exists, made (once, even with concurrent starts) when it does not. */
export async function loadOrCreateCa(stateDir: string): Promise<{ identity: TlsIdentity; caFile: string }> {
  const dir = join(stateDir, CA_DIR);
  const caFile = join(dir, 'ca.pem');
  const read = () => ({ identity: { cert: readFileSync(caFile, 'utf8'), key: readFileSync(join(dir, 'ca-key.pem'), 'utf8') }, caFile });
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(stateDir, { recursive: true });
  // Written aside, then renamed into place: a concurrent start either wins the rename or reads the winner's CA.
  const staging = mkdtempSync(join(stateDir, `.${CA_DIR}-`));
  try {
    const ca = await createCa();
    writeFileSync(join(staging, 'ca.pem'), ca.cert);
    writeFileSync(join(staging, 'ca-key.pem'), ca.key, { mode: 0o600 });
    try {
      renameSync(staging, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw error;
    }
    return read();
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A new CA: ten years, P-256, allowed to sign server certificates only (path length 0). */
export async function createCa(now = Date.now()): Promise<TlsIdentity> {
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: `CN=keyvault-kit local vault CA ${randomBytes(4).toString('hex')}`,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 3650 * DAY),
      keys,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** A server certificate from `ca` for the default names and `names`, valid a year (the CA's key signs it). */
export async function issueServerCertificate(ca: TlsIdentity, names: readonly string[], now = Date.now()): Promise<TlsIdentity> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decode(ca.key)[0]!, EC, false, ['sign']);
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const sans: JsonGeneralName[] = [...new Set([...DEFAULT_NAMES, ...names.map((n) => n.replace(/^\[|\]$/g, ''))])]
    .filter((n) => n !== '' && n !== '0.0.0.0' && n !== '::')
    .map((value) => ({ type: isIp(value) ? 'ip' : 'dns', value }));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: 'CN=keyvault-kit local vault',
      issuer: caCert.subject,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(Math.min(now + 365 * DAY, caCert.notAfter.getTime())),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(sans),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
      ],
    },
    crypto,
  );
  return { cert: `${cert.toString('pem')}\n${ca.cert.trim()}\n`, key: await exportKey(keys.privateKey) };
}

/**
 * A self-signed certificate that is its own CA, for `localhost`, `127.0.0.1`, `::1` and `host`: the attestation
 * certificate of HSM keys.
 */
export async function createTlsIdentity(host: string): Promise<TlsIdentity> {
  const ca = await createCa();
  return issueServerCertificate(ca, [host]);
}

const serial = (): string => `01${randomBytes(8).toString('hex')}`;
const exportKey = async (key: CryptoKey): Promise<string> => x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
