import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createDefaultHttpClient, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { KeyVaultClient, NetworkError } from '../../lib/index.js';
import { bypassesProxy, proxyOf } from '../../lib/core/client-options.js';
import { countingCredential } from '../helpers/mock.js';
import { useVault } from '../helpers/vault.js';

/** A CONNECT proxy on loopback that records what it was asked to reach, and with which credentials. */
async function startProxy() {
  const connects: { target: string; authorization: string | undefined }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => { res.writeHead(405); res.end(); });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    connects.push({ target: req.url ?? '', authorization: req.headers['proxy-authorization'] });
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => s.destroy()); s.on('close', () => sockets.delete(s)); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, connects, stop: () => new Promise<void>((resolve) => { server.close(() => resolve()); for (const s of sockets) s.destroy(); }) };
}

describe('client options against the local vault', function () {
  this.timeout(60_000);
  const vault = useVault();
  const credential = () => countingCredential('local-token').credential;
  const hostPort = () => new URL(vault().url).host;

  it('proxyOptions: the call goes through the proxy (CONNECT to the vault\'s host:port, with the credentials) and succeeds', async () => {
    const proxy = await startProxy();
    try {
      const client = new KeyVaultClient(vault().url, credential(), {
        ca: vault().ca,
        proxyOptions: { host: 'http://127.0.0.1', port: proxy.port, username: 'user', password: 'p@ss' },
      });
      await client.secrets.setSecret('via-proxy', 'through');
      expect((await client.secrets.getSecret('via-proxy')).value).to.equal('through');
      expect(proxy.connects.length).to.be.greaterThan(0);
      for (const seen of proxy.connects) {
        expect(seen.target).to.equal(hostPort());
        expect(seen.authorization).to.equal(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
      }
    } finally {
      await proxy.stop();
    }
  });

  it('without proxyOptions, HTTPS_PROXY is used as Microsoft\'s clients use it, and NO_PROXY exempts the vault\'s host', async () => {
    const proxy = await startProxy();
    const saved = { HTTPS_PROXY: process.env['HTTPS_PROXY'], NO_PROXY: process.env['NO_PROXY'] };
    try {
      process.env['HTTPS_PROXY'] = `http://127.0.0.1:${proxy.port}`;
      delete process.env['NO_PROXY'];
      const proxied = new KeyVaultClient(vault().url, credential(), { ca: vault().ca });
      await proxied.secrets.setSecret('env-proxy', 'env');
      expect(proxy.connects.map((c) => c.target)).to.include(hostPort());
      const before = proxy.connects.length;
      process.env['NO_PROXY'] = 'example.com,127.0.0.1';
      const direct = new KeyVaultClient(vault().url, credential(), { ca: vault().ca });
      expect((await direct.secrets.getSecret('env-proxy')).value).to.equal('env');
      expect(proxy.connects.length).to.equal(before);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await proxy.stop();
    }
  });

  it('httpClient: every request goes through it (here Microsoft\'s default HttpClient, recorded), the call succeeds', async () => {
    const inner = createDefaultHttpClient();
    const sent: string[] = [];
    const recording: HttpClient = {
      sendRequest: async (request: PipelineRequest) => {
        sent.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.has('authorization') ? 'token' : 'challenge'} ca=${request.tlsSettings?.ca === undefined ? 'none' : 'ours'} keepAlive=${!request.disableKeepAlive}`);
        return inner.sendRequest(request);
      },
    };
    const client = new KeyVaultClient(vault().url, credential(), { ca: vault().ca, httpClient: recording, keepAliveOptions: { enable: false } });
    await client.secrets.setSecret('via-client', 'recorded');
    expect((await client.secrets.getSecret('via-client')).value).to.equal('recorded');
    // The client's CA reaches it as Microsoft's `tlsSettings` (its own HTTPS then trusts the vault), keep-alive off as `disableKeepAlive`.
    expect(sent).to.deep.equal(['PUT /secrets/via-client challenge', 'PUT /secrets/via-client token', 'GET /secrets/via-client/ token'].map((s) => `${s} ca=ours keepAlive=false`));
  });

  it('tlsOptions.ca trusts the vault as ca does; without it the certificate is refused', async () => {
    const trusted = new KeyVaultClient(vault().url, credential(), { tlsOptions: { ca: vault().ca } });
    await trusted.secrets.setSecret('tls', 'trusted');
    expect((await trusted.secrets.getSecret('tls')).value).to.equal('trusted');
    const untrusted = new KeyVaultClient(vault().url, credential(), { tlsOptions: {}, retry: { limit: 0 } });
    const error = await untrusted.secrets.getSecret('tls').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NetworkError).with.property('code', 'CertificateError');
  });

  it('agent: a Node https.Agent\'s TLS settings are used (its CA here)', async () => {
    const client = new KeyVaultClient(vault().url, credential(), { agent: new HttpsAgent({ ca: vault().ca, keepAlive: true }) });
    await client.secrets.setSecret('agent', 'from-agent');
    expect((await client.secrets.getSecret('agent')).value).to.equal('from-agent');
  });
});

describe('proxy settings', () => {
  it('NO_PROXY by Microsoft\'s rules: an exact host, or .domain for the domain and any host under it', () => {
    expect(bypassesProxy('myvault.vault.azure.net', 'localhost, .vault.azure.net')).to.equal(true);
    expect(bypassesProxy('vault.azure.net', '.vault.azure.net')).to.equal(true);
    expect(bypassesProxy('myvault.vault.azure.net', 'vault.azure.net')).to.equal(false);
    expect(bypassesProxy('127.0.0.1', '127.0.0.1')).to.equal(true);
    expect(bypassesProxy('127.0.0.1', undefined)).to.equal(false);
  });

  it('proxyOptions become a URL without credentials and a Basic Proxy-Authorization', () => {
    expect(proxyOf({ host: 'http://proxy.example', port: 3128, username: 'me', password: 'a:b' }, 'v')).to.deep.equal({
      uri: 'http://proxy.example:3128/', token: `Basic ${Buffer.from('me:a:b').toString('base64')}`,
    });
    expect(proxyOf({ host: 'http://proxy.example', port: 8080 }, 'v')).to.deep.equal({ uri: 'http://proxy.example:8080/', token: undefined });
  });
});
