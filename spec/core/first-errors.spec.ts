import { ChainedTokenCredential, CredentialUnavailableError, EnvironmentCredential } from '@azure/identity';
import { expect } from 'chai';
import nock from 'nock';
import { createServer as createTcpServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AuthenticationError, KeyVaultClient, NetworkError, ValidationError, type TokenCredential } from '../../lib/index.js';
import { credentialError } from '../../lib/core/auth/credential.js';
import { tlsError } from '../../lib/core/tls.js';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';
import { reply, startScripted } from '../reliability/scripted-server.js';

/**
 * A newcomer's first mistakes, each with its type, what its message says, and a bound by call count (never by
 * wall time): no credential, an unreachable vault, an untrusted certificate, a CA given as a file path.
 */
const working: TokenCredential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };

/** A TCP listener that counts connections and forwards them to `target` (or drops them when there is none). */
async function countingPort(target?: { host: string; port: number }) {
  let connections = 0;
  const server: Server = createTcpServer((socket) => {
    connections++;
    if (!target) return void socket.destroy();
    const upstream = connect(target.port, target.host);
    socket.pipe(upstream).pipe(socket);
    const close = () => { socket.destroy(); upstream.destroy(); };
    socket.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() { return connections; },
    stop: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.unref(); }),
  };
}

describe('a newcomer\'s first errors', () => {
  describe('a credential that fails', () => {
    it('is an AuthenticationError with the credential\'s reason in one line and what to do', async () => {
      const server = await startScripted([reply.challenge()]);
      try {
        const throwing: TokenCredential = { getToken: async () => { throw new Error('Azure CLI could not be found. Please visit https://aka.ms/azure-cli\nfor installation instructions.'); } };
        const client = new KeyVaultClient(server.url, throwing, { allowInsecureConnection: true });
        const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
        expect(error).to.be.instanceOf(AuthenticationError).and.include({ code: 'CredentialUnavailable' });
        const { message } = error as Error;
        expect(message).to.not.include('\n');
        expect(message).to.include('The credential could not get a token: Azure CLI could not be found.');
        expect(message).to.include('Pass a credential');
        expect(message).to.include('"The local vault"');
        // Not retried: one challenge, no request after it.
        expect(server.seen).to.have.length(1);
      } finally {
        await server.stop();
      }
    });

    it('a chain of credentials (as DefaultAzureCredential) that is exhausted names each one\'s reason, on one line', async () => {
      const saved = { ...process.env };
      for (const name of Object.keys(process.env)) if (name.startsWith('AZURE_')) delete process.env[name];
      try {
        const chain = new ChainedTokenCredential(new EnvironmentCredential(), { getToken: async () => { throw new CredentialUnavailableError('Second credential refused.\nMore details here.'); } });
        const error = await chain.getToken('https://vault.azure.net/.default').catch((e: unknown) => e);
        const converted = credentialError(error, 'No credential was passed, and DefaultAzureCredential');
        expect(converted).to.be.instanceOf(AuthenticationError);
        expect(converted.message).to.not.include('\n');
        expect(converted.message).to.match(/^No credential was passed, and DefaultAzureCredential could not get a token: none of the credentials it tried could \(EnvironmentCredential is unavailable; Second credential refused\)\. Pass a credential/);
        expect(converted.cause).to.equal(error);
      } finally {
        Object.assign(process.env, saved);
      }
    });
  });

  describe('retry.limit governs the challenge too', () => {
    it('an unreachable vault with limit 0 costs exactly one connection attempt per call', async () => {
      const port = await countingPort();
      try {
        const client = new KeyVaultClient(`http://127.0.0.1:${port.port}`, working, { allowInsecureConnection: true, retry: { limit: 0 } });
        const first = await client.secrets.getSecret('a').catch((e: unknown) => e);
        expect(first).to.be.instanceOf(NetworkError).and.include({ code: 'NetworkError' });
        expect(port.connections).to.equal(1);
        await client.secrets.getSecret('a').catch((e: unknown) => e);
        expect(port.connections).to.equal(2);
      } finally {
        await port.stop();
      }
    });

    it('with the default limit, the challenge is tried 1 + 3 times, no more', async () => {
      const port = await countingPort();
      try {
        const client = new KeyVaultClient(`http://127.0.0.1:${port.port}`, working, { allowInsecureConnection: true, retry: { backoffMs: 1, maxDelayMs: 2 } });
        expect(await client.secrets.getSecret('a').catch((e: unknown) => e)).to.be.instanceOf(NetworkError);
        expect(port.connections).to.equal(4);
      } finally {
        await port.stop();
      }
    });
  });

  describe('TLS', () => {
    let vault: RunningVault;
    let other: RunningVault;
    before(async () => {
      // nock (loaded by other specs in the same process) wraps every socket, TLS ones included, which hides the
      // handshake this test is about: these tests talk to real sockets only.
      nock.restore();
      [vault, other] = await Promise.all([startVault(), startVault()]);
    });
    after(async () => {
      await Promise.all([vault.stop(), other.stop()]);
      nock.activate();
    });

    for (const [what, ca] of [['no ca', undefined], ['another vault\'s ca', () => other.ca]] as const) {
      it(`an untrusted certificate (${what}) fails at once, naming the certificate and how to trust it`, async () => {
        const port = await countingPort({ host: '127.0.0.1', port: Number(new URL(vault.url).port) });
        try {
          const client = new KeyVaultClient(`https://localhost:${port.port}`, working, { ...(ca ? { ca: ca() } : {}), disableChallengeResourceVerification: true });
          const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
          expect(error).to.be.instanceOf(NetworkError).and.include({ code: 'CertificateError', method: 'GET', path: '/secrets/a/' });
          const { message } = error as Error;
          expect(message).to.include('subject "CN=keyvault-kit local vault"');
          expect(message).to.include('issuer "CN=keyvault-kit local vault CA ');
          expect(message).to.include('`ca` option');
          expect(message).to.include('{ ca: vault.ca }');
          expect(message).to.not.include('--use-system-ca');
          // Never retried: it will not heal.
          expect(port.connections).to.equal(1);
        } finally {
          await port.stop();
        }
      });
    }

    it('the right ca works through the same path', async () => {
      const client = new KeyVaultClient(vault.url, working, { ca: vault.ca });
      await client.secrets.setSecret('trusted', 'yes');
      expect((await client.secrets.getSecret('trusted')).value).to.equal('yes');
    });

    it('a certificate for another host names that certificate too; a handshake failure is a TlsError', () => {
      const where = { method: 'GET', path: '/secrets/a/', clientRequestId: 'id' };
      const altname = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID', cert: { subject: { CN: 'other.example.com' }, issuer: { CN: 'Some CA', O: ['A', 'B'] } } });
      expect(tlsError(altname as never, where, '(GET /secrets/a/)')).to.be.instanceOf(NetworkError).and.include({ code: 'CertificateError' })
        .and.have.property('message').that.includes('subject "CN=other.example.com", issuer "CN=Some CA, O=A+B"');
      const handshake = Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
      expect(tlsError(handshake, where, '(GET /secrets/a/)')).to.include({ code: 'TlsError' });
      expect(tlsError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), where, '')).to.equal(undefined);
    });

    it('a ca given as a file path is a ValidationError at construction', () => {
      expect(() => new KeyVaultClient(vault.url, working, { ca: vault.caFile })).to.throw(ValidationError, /ca must be PEM text, not a file path.*vault\.ca/).with.property('code', 'InvalidCa');
      expect(() => new KeyVaultClient(vault.url, working, { ca: [vault.ca, 'not a certificate\nat all'] })).to.throw(ValidationError, /BEGIN CERTIFICATE/);
    });
  });
});
