import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { useVault } from '../helpers/vault.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../fixtures/python_sdk.py', import.meta.url));
const MODULES = 'import azure.identity, azure.keyvault.secrets, azure.keyvault.keys, azure.keyvault.certificates';

/**
 * A Python 3 with Microsoft's SDK (Debian's python3-azure, which .ci/run installs): the first of `python3` on
 * PATH and Debian's own that imports it (a pyenv or venv python3 on PATH usually lacks Debian's packages).
 */
function findPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', MODULES], { stdio: 'ignore', timeout: 30_000 });
      return python;
    } catch {
      // not installed, or without the SDK: try the next one
    }
  }
  return undefined;
}

describe('emulator: Microsoft Python SDK (python3-azure)', function () {
  const vault = useVault({ auth: 'strict' });
  let python: string | undefined;

  before(function () {
    python = findPython();
    if (python === undefined) {
      // Skipped, not failed: the machine has no Python 3 with Microsoft's SDK (apt-get install python3-azure).
      console.log('    (skipped: no python3 that imports azure.identity and azure.keyvault.*; apt-get install -y python3-azure)');
      this.skip();
    }
  });

  it('sets, reads, lists, deletes and recovers secrets, signs with a key and creates a certificate, with DefaultAzureCredential from the environment', async () => {
    // Only environment variables: the vault's managed-identity env and its CA for requests. Nothing inherited.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', VAULT_URL: vault().url, REQUESTS_CA_BUNDLE: vault().caFile, ...vault().env };
    const { stdout } = await run(python!, [SCRIPT], { env, timeout: 180_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);

    expect(out.value).to.equal('second value');
    expect(out.firstValue).to.equal('first value');
    expect(out.contentType).to.equal('text/plain');
    expect(out.versions).to.deep.equal(out.expectedVersions).and.have.length(2);
    expect(out.names).to.deep.equal(['py-secret']);
    expect(out.deletedId).to.equal(`${vault().url}/deletedsecrets/py-secret`);
    expect(out.deletedNames).to.deep.equal(['py-secret']);
    expect(out.recoveredValue).to.equal('second value');

    // The signature the vault made for Python verifies with the public key Python received.
    const jwk = { kty: 'RSA', n: Buffer.from(out.key.n, 'hex').toString('base64url'), e: Buffer.from(out.key.e, 'hex').toString('base64url') };
    expect(out.signatureAlgorithm).to.equal('RS256');
    expect(verify('sha256', Buffer.from(out.message, 'hex'), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(out.signature, 'hex'))).to.equal(true);

    const certificate = new X509Certificate(Buffer.from(out.certificate.cer, 'hex'));
    expect(out.certificate.subject).to.equal('CN=python-sdk');
    expect(certificate.subject).to.equal('CN=python-sdk');
  });

  it('gets its tokens from the vault through each managed-identity source DefaultAzureCredential reads from the environment', async () => {
    const script = [
      'import os',
      'from azure.identity import DefaultAzureCredential',
      'from azure.keyvault.secrets import SecretClient',
      'client = SecretClient(os.environ["VAULT_URL"], DefaultAzureCredential(), verify_challenge_resource=False)',
      'client.set_secret("source", os.environ["SOURCE"])',
      'print(client.get_secret("source").value)',
    ].join('\n');
    const sources: Record<string, Record<string, string>> = {
      'App Service': { ...vault().env },
      'Azure Machine Learning': { MSI_ENDPOINT: vault().env.IDENTITY_ENDPOINT, MSI_SECRET: vault().env.IDENTITY_HEADER },
      'Cloud Shell': { MSI_ENDPOINT: `${vault().url}/metadata/identity/oauth2/token` },
      'IMDS through pod identity': { AZURE_POD_IDENTITY_AUTHORITY_HOST: vault().url },
      'Service Fabric': { ...vault().env, IDENTITY_SERVER_THUMBPRINT: new X509Certificate(vault().ca).fingerprint.replaceAll(':', '') },
    };
    for (const [source, extra] of Object.entries(sources)) {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', VAULT_URL: vault().url, REQUESTS_CA_BUNDLE: vault().caFile, SOURCE: source, ...extra };
      const { stdout } = await run(python!, ['-c', script], { env, timeout: 120_000 });
      expect(stdout.trim(), source).to.equal(source);
    }
  });
});
