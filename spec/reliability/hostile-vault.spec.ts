import { expect } from 'chai';
import { KeyVaultClient, ServiceError } from '../../lib/index.js';
import { tokenCredential } from './fault-proxy.js';
import { json, reply, startScripted, type Step } from './scripted-server.js';

/**
 * A broken or hostile vault cannot hang or exhaust the client: a listing that loops, an answer without end.
 * Each case against a small misbehaving server, counting what it was asked.
 */
const credential = () => tokenCredential(3_600_000, 't').credential;
const item = (origin: string, name: string) => ({ id: `${origin}/secrets/${name}`, attributes: { enabled: true } });

describe('a hostile vault', () => {
  it('a nextLink that points back at its own page ends the listing with RepeatedNextLink, each item listed once', async () => {
    const server = await startScripted([
      reply.challenge(),
      (req, res, origin) => json(res, 200, { value: [item(origin, 'a')], nextLink: `${origin}${req.url}` }),
    ]);
    try {
      const client = new KeyVaultClient(server.url, credential(), { allowInsecureConnection: true });
      const names: string[] = [];
      const error = await (async () => { for await (const p of client.secrets.listPropertiesOfSecrets()) names.push(p.name); })().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceError).and.include({ code: 'RepeatedNextLink', path: '/secrets' });
      expect((error as Error).message).to.include(`${server.url}/secrets?api-version=`);
      expect(names).to.deep.equal(['a']);
      // The challenge, the page, and the same page once more: the answer that proves the loop.
      expect(server.seen).to.have.length(3);
    } finally {
      await server.stop();
    }
  });

  it('a nextLink that leads back to an earlier page (a cycle of two) is caught too, each page listed once', async () => {
    // As a deterministic server would loop: each link always gives the same page.
    const pages: Record<string, [string, string]> = { '': ['a', 'p2'], p2: ['b', 'p3'], p3: ['c', 'p2'] };
    const page: Step = (req, res, origin) => {
      const [name, next] = pages[new URL(req.url!, origin).searchParams.get('$skiptoken') ?? '']!;
      json(res, 200, { value: [item(origin, name)], nextLink: `${origin}/secrets?api-version=2025-07-01&$skiptoken=${next}` });
    };
    const server = await startScripted([reply.challenge(), page]);
    try {
      const client = new KeyVaultClient(server.url, credential(), { allowInsecureConnection: true });
      const names: string[] = [];
      const error = await (async () => { for await (const p of client.secrets.listPropertiesOfSecrets()) names.push(p.name); })().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceError).and.include({ code: 'RepeatedNextLink' });
      expect((error as Error).message).to.include('$skiptoken=p2');
      expect(names).to.deep.equal(['a', 'b', 'c']);
      expect(server.seen.map((r) => decodeURIComponent(r.url).replace(/api-version=[^&]*&?/, ''))).to.deep.equal(['/secrets?', '/secrets?', '/secrets?$skiptoken=p2', '/secrets?$skiptoken=p3', '/secrets?$skiptoken=p2']);
    } finally {
      await server.stop();
    }
  });

  it('a link that repeats with a new answer is followed (as a replay with sanitised skiptokens serves it)', async () => {
    let n = 0;
    const server = await startScripted([
      reply.challenge(),
      (_req, res, origin) => { n++; json(res, 200, { value: [item(origin, `s${n}`)], nextLink: n < 3 ? `${origin}/secrets?api-version=2025-07-01&$skiptoken=Sanitized` : null }); },
    ]);
    try {
      const client = new KeyVaultClient(server.url, credential(), { allowInsecureConnection: true });
      const names: string[] = [];
      for await (const p of client.secrets.listPropertiesOfSecrets()) names.push(p.name);
      expect(names).to.deep.equal(['s1', 's2', 's3']);
    } finally {
      await server.stop();
    }
  });

  it('an answer that never ends is cut at maxResponseBytes with ResponseTooLarge, and not asked again', async () => {
    const endless: Step = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"value":"');
      const timer = setInterval(() => res.write('x'.repeat(16_384)), 1);
      res.on('close', () => clearInterval(timer));
    };
    const server = await startScripted([reply.challenge(), endless]);
    try {
      const client = new KeyVaultClient(server.url, credential(), { allowInsecureConnection: true, maxResponseBytes: 256 * 1024 });
      const error = await client.secrets.getSecret('big').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceError).and.include({ code: 'ResponseTooLarge', method: 'GET', path: '/secrets/big/' });
      expect((error as Error).message).to.include('maxResponseBytes (262144)');
      expect(server.seen).to.have.length(2);
    } finally {
      await server.stop();
    }
  });

  it('a 300 MB answer is refused by its declared length before it is read (the default cap, 16 MiB)', async () => {
    let written = 0;
    const huge: Step = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 300 * 1024 * 1024 });
      const timer = setInterval(() => { written += 65_536; res.write(Buffer.alloc(65_536, 0x20)); }, 1);
      res.on('close', () => clearInterval(timer));
    };
    const server = await startScripted([reply.challenge(), huge]);
    try {
      const client = new KeyVaultClient(server.url, credential(), { allowInsecureConnection: true });
      const error = await client.secrets.getSecret('huge').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceError).and.include({ code: 'ResponseTooLarge' });
      expect((error as Error).message).to.include(`maxResponseBytes (${16 * 1024 * 1024})`);
      expect(written).to.be.below(16 * 1024 * 1024);
    } finally {
      await server.stop();
    }
  });

  it('the same cap holds with an injected fetch', async () => {
    const server = await startScripted([reply.challenge(), reply.status(200, { value: 'x'.repeat(10_000) })]);
    try {
      const client = new KeyVaultClient(server.url, credential(), { allowInsecureConnection: true, maxResponseBytes: 5_000, fetch: (input, init) => fetch(input, init) });
      const error = await client.secrets.getSecret('big').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceError).and.include({ code: 'ResponseTooLarge' });
    } finally {
      await server.stop();
    }
  });
});
