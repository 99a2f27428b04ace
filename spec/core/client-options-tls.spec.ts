import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { KeyVaultClient, NetworkError } from '../../lib/index.js';
import { countingCredential } from '../helpers/mock.js';
import { json, reply } from '../reliability/scripted-server.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/client-tls/${name}`, import.meta.url));

/** An HTTPS vault stand-in that requires a client certificate from the fixture CA, and records whose it was. */
async function startMutualTls() {
  const clients: string[] = [];
  let count = 0;
  const server: Server = createServer({ cert: fixture('server.pem'), key: fixture('server.key'), ca: fixture('ca.pem'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    clients.push(String((req.socket as TLSSocket).getPeerCertificate().subject.CN));
    const origin = `https://${req.headers.host}`;
    if (count++ === 0) reply.challenge()(req, res, origin);
    else json(res, 200, { value: 'mutual', id: `${origin}/secrets/a/0123456789abcdef0123456789abcdef`, attributes: { enabled: true } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, clients, stop: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) };
}

describe('tlsOptions: a client certificate (Microsoft\'s TlsSettings)', () => {
  const credential = countingCredential('tok').credential;
  let server: Awaited<ReturnType<typeof startMutualTls>>;
  beforeEach(async () => { server = await startMutualTls(); });
  afterEach(() => server.stop());

  it('cert + key are presented to a server that requires them', async () => {
    const client = new KeyVaultClient(server.url, credential, { tlsOptions: { ca: fixture('ca.pem'), cert: fixture('client.pem'), key: fixture('client.key') } });
    expect((await client.secrets.getSecret('a')).value).to.equal('mutual');
    expect(server.clients).to.deep.equal(['port-app client', 'port-app client']);
  });

  it('pfx + passphrase work the same', async () => {
    const client = new KeyVaultClient(server.url, credential, { ca: fixture('ca.pem').toString(), tlsOptions: { pfx: fixture('client.pfx'), passphrase: 'fixture-pass' } });
    expect((await client.secrets.getSecret('a')).value).to.equal('mutual');
    expect(server.clients).to.deep.equal(['port-app client', 'port-app client']);
  });

  it('without a client certificate the server refuses the connection', async () => {
    const client = new KeyVaultClient(server.url, credential, { tlsOptions: { ca: fixture('ca.pem') }, retry: { limit: 0 } });
    const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NetworkError);
    expect(server.clients).to.deep.equal([]);
  });
});
