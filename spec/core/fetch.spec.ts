import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BufferedResponse, createTransportFetch, readBody } from '../../lib/core/fetch.js';
import { VAULT, expectChallenge, mockedClient, vault } from '../helpers/mock.js';

const bytes = (text: string) => Buffer.from(text);

describe('BufferedResponse (what the transport hands to ky)', () => {
  it('has the Response surface: status, ok, url, headers (built when read, repeated names kept), toString tag', () => {
    const response = new BufferedResponse(bytes('{}'), 404, 'Not Found', { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }, 'https://v.test/x');
    expect([response.status, response.ok, response.statusText, response.url, response.type, response.redirected]).to.deep.equal([404, false, 'Not Found', 'https://v.test/x', 'basic', false]);
    expect(response.headers.get('content-type')).to.equal('application/json');
    expect(response.headers.getSetCookie()).to.deep.equal(['a=1', 'b=2']);
    expect(Object.prototype.toString.call(response)).to.equal('[object Response]');
    expect(new BufferedResponse(null, 204, '', {}, '').ok).to.equal(true);
  });

  it('decodes text as a WHATWG Response does (UTF-8, a leading BOM dropped), json, bytes', async () => {
    expect(await new BufferedResponse(Buffer.from('\uFEFF{"v":"é"}'), 200, 'OK', {}, '').json()).to.deep.equal({ v: 'é' });
    expect([...(await new BufferedResponse(bytes('ab'), 200, 'OK', {}, '').bytes())]).to.deep.equal([97, 98]);
    expect(await new BufferedResponse(null, 204, '', {}, '').text()).to.equal('');
  });

  it('is read once; clone() shares the bytes without sharing the used state', async () => {
    const response = new BufferedResponse(bytes('hello'), 200, 'OK', {}, '');
    const copy = response.clone();
    expect(await response.text()).to.equal('hello');
    expect(response.bodyUsed).to.equal(true);
    await response.text().then(() => expect.fail('read twice'), (error: unknown) => expect(error).to.be.instanceOf(TypeError));
    expect(() => response.clone()).to.throw(TypeError);
    expect(await copy.text()).to.equal('hello');
  });

  it('offers its bytes as a stream on demand, and no stream for an empty answer', async () => {
    const response = new BufferedResponse(bytes('streamed'), 200, 'OK', {}, '');
    expect(Buffer.from(await new Response(response.body).arrayBuffer()).toString()).to.equal('streamed');
    expect(response.bodyUsed).to.equal(true);
    expect(new BufferedResponse(null, 204, '', {}, '').body).to.equal(null);
  });
});

describe('readBody', () => {
  it('reads every chunk and leaves the stream unlocked (ky cancels it afterwards without an error)', async () => {
    const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
      start(controller) {
        controller.enqueue(new Uint8Array(bytes('ab')));
        controller.enqueue(new Uint8Array(bytes('cd')));
        controller.close();
      },
    });
    expect((await readBody(stream)).toString()).to.equal('abcd');
    expect(stream.locked).to.equal(false);
    await stream.cancel();
  });
});

describe('the transport fetch (undici dispatch under ky)', () => {
  let server: Server;
  let origin: string;
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let transport: typeof fetch & { close?: () => Promise<void> };

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
        if (req.url === '/empty') return void res.writeHead(204).end();
        res.writeHead(200, { 'content-type': 'application/json', 'x-two': ['1', '2'] }).end(JSON.stringify({ echo: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    transport = createTransportFetch();
  });
  after(async () => {
    await transport.close?.();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => { seen.length = 0; });

  it('sends the request as built (method, path with query, headers) and answers with its status, headers and body', async () => {
    const response = await transport(new Request(`${origin}/secrets/a/?api-version=7.6`, { headers: { 'x-ms-client-request-id': 'id-1', authorization: 'Bearer t' } }));
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-two')).to.equal('1, 2');
    expect(await response.json()).to.deep.equal({ echo: '/secrets/a/?api-version=7.6' });
    expect(seen[0]).to.deep.include({ method: 'GET', url: '/secrets/a/?api-version=7.6', body: '' });
    expect(seen[0]!.headers).to.deep.include({ 'x-ms-client-request-id': 'id-1', authorization: 'Bearer t' });
  });

  it('sends a body given beside the request (fetch(request, { body })), or else the request\'s own', async () => {
    const put = new Request(`${origin}/secrets/b`, { method: 'PUT', headers: { 'content-type': 'application/json' } });
    await (await transport(put, { body: '{"value":"beside"}' })).text();
    await (await transport(new Request(`${origin}/secrets/c`, { method: 'PUT', body: '{"value":"inside"}' }))).text();
    expect(seen.map((s) => [s.method, s.body, s.headers['content-length']])).to.deep.equal([
      ['PUT', '{"value":"beside"}', '18'],
      ['PUT', '{"value":"inside"}', '18'],
    ]);
  });

  it('answers 204 with no body', async () => {
    const response = await transport(new Request(`${origin}/empty`, { method: 'DELETE' }));
    expect([response.status, response.body]).to.deep.equal([204, null]);
  });

  it('rejects with the signal\'s reason when aborted before or during the request', async () => {
    const reason = new Error('stop');
    await transport(new Request(`${origin}/x`, { signal: AbortSignal.abort(reason) })).then(() => expect.fail('sent'), (error: unknown) => expect(error).to.equal(reason));
    const controller = new AbortController();
    const pending = transport(new Request(`${origin}/slow`, { signal: controller.signal }));
    setTimeout(() => controller.abort(reason), 50);
    await pending.then(() => expect.fail('answered'), (error: unknown) => expect(error).to.equal(reason));
  });

  it('fails as WHATWG fetch does when the vault cannot be reached (a TypeError ky treats as a network error)', async () => {
    const error = await transport(new Request('http://127.0.0.1:1/')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TypeError).with.property('message', 'fetch failed');
  });
});

describe('a body travels beside ky\'s request, to every attempt', () => {
  const API = { 'api-version': '2025-07-01' };
  const bundle = { value: 'v', id: `${VAULT}/secrets/a/0123456789abcdef0123456789abcdef` };
  const CAE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from('{"access_token":{}}').toString('base64')}"`;

  it('reaches an injected fetch as fetch(request, { body }) on the first send, a retry and a 401 resend', async () => {
    const { client } = mockedClient();
    const bodies: unknown[] = [];
    const seen = (body: unknown) => { bodies.push(body); return true; };
    const scope = vault();
    expectChallenge(scope, 'put', '/secrets/a');
    scope.put('/secrets/a', seen).query(API).reply(503, {}, { 'retry-after': '0' });
    scope.put('/secrets/a', seen).query(API).reply(401, {}, { 'WWW-Authenticate': CAE });
    scope.put('/secrets/a', seen).query(API).reply(200, bundle);
    expect((await client.secrets.setSecret('a', 'v')).value).to.equal('v');
    expect(bodies).to.deep.equal([{ value: 'v', attributes: {} }, { value: 'v', attributes: {} }, { value: 'v', attributes: {} }]);
    scope.done();
  });
});
