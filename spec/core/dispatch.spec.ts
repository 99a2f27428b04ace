import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttemptClock } from '../../lib/core/deadlines.js';
import { createDispatch, type Dispatch } from '../../lib/core/dispatch.js';
import { AnswerTooLarge, AttemptTimedOut } from '../../lib/core/failure.js';

/** The undici side of the transport (what ky's `fetch` sends through), against a plain loopback server. */
describe('the undici dispatch under ky', () => {
  let server: Server;
  let origin: string;
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let dispatch: Dispatch;
  const clock = new AttemptClock(300);

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
        if (req.url === '/empty') return void res.writeHead(204).end();
        if (req.url === '/big') return void res.writeHead(200, { 'content-length': 5_000 }).end('x'.repeat(5_000));
        if (req.url === '/endless') {
          // No content-length: a body that never stops (chunked), as a hostile server would send.
          res.writeHead(200);
          const timer = setInterval(() => res.write('y'.repeat(512)), 1);
          res.on('close', () => clearInterval(timer));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-two': ['1', '2'] }).end(JSON.stringify({ echo: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dispatch = createDispatch({ maxResponseBytes: 4_096, clock });
  });
  after(async () => {
    await dispatch.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => { seen.length = 0; });

  it('sends the request as given (method, path with query, flat headers) and answers with its status, headers and body', async () => {
    const response = await dispatch(`${origin}/secrets/a/?api-version=7.6`, 'GET', ['x-ms-client-request-id', 'id-1', 'authorization', 'Bearer t'], undefined, undefined);
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-two')).to.equal('1, 2');
    expect(await response.json()).to.deep.equal({ echo: '/secrets/a/?api-version=7.6' });
    expect(seen[0]).to.deep.include({ method: 'GET', url: '/secrets/a/?api-version=7.6', body: '' });
    expect(seen[0]!.headers).to.deep.include({ 'x-ms-client-request-id': 'id-1', authorization: 'Bearer t' });
  });

  it('sends a body with its length', async () => {
    await (await dispatch(`${origin}/secrets/b`, 'PUT', ['content-type', 'application/json'], '{"value":"beside"}', undefined)).text();
    expect(seen.map((s) => [s.method, s.body, s.headers['content-length']])).to.deep.equal([['PUT', '{"value":"beside"}', '18']]);
  });

  it('answers 204 with no body', async () => {
    const response = await dispatch(`${origin}/empty`, 'DELETE', [], undefined, undefined);
    expect([response.status, response.body]).to.deep.equal([204, null]);
  });

  it('rejects with the signal\'s reason when aborted before or during the request', async () => {
    const reason = new Error('stop');
    await dispatch(`${origin}/x`, 'GET', [], undefined, AbortSignal.abort(reason)).then(() => expect.fail('sent'), (error: unknown) => expect(error).to.equal(reason));
    const controller = new AbortController();
    const pending = dispatch(`${origin}/slow`, 'GET', [], undefined, controller.signal);
    setTimeout(() => controller.abort(reason), 50);
    await pending.then(() => expect.fail('answered'), (error: unknown) => expect(error).to.equal(reason));
  });

  it('fails as WHATWG fetch does when the vault cannot be reached (a TypeError ky treats as a network error)', async () => {
    const error = await dispatch('http://127.0.0.1:1/', 'GET', [], undefined, undefined).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TypeError).with.property('message', 'fetch failed');
  });

  it('ends an attempt at the client\'s deadline, on the one shared clock', async () => {
    const error = await dispatch(`${origin}/slow`, 'GET', [], undefined, undefined).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AttemptTimedOut).with.property('ms', 300);
    expect(clock.size).to.equal(0);
  });

  it('refuses an answer past maxResponseBytes: declared, or only seen while reading', async () => {
    expect(await dispatch(`${origin}/big`, 'GET', [], undefined, undefined).catch((e: unknown) => e)).to.be.instanceOf(AnswerTooLarge).with.property('limit', 4_096);
    expect(await dispatch(`${origin}/endless`, 'GET', [], undefined, undefined).catch((e: unknown) => e)).to.be.instanceOf(AnswerTooLarge);
    // The pool is still usable afterwards.
    expect((await dispatch(`${origin}/after`, 'GET', [], undefined, undefined)).status).to.equal(200);
  });
});

describe('the attempt clock', () => {
  it('expires attempts in the order they started; a stopped attempt never expires', async () => {
    const clock = new AttemptClock(20);
    const expired: string[] = [];
    let last!: () => void;
    const done = new Promise<void>((resolve) => { last = resolve; });
    const entry = (name: string, then?: () => void) => ({ deadline: 0, expire: () => { expired.push(name); then?.(); } });
    const stopped = entry('stopped');
    clock.start(entry('first'));
    clock.start(stopped);
    clock.stop(stopped);
    await new Promise((r) => setTimeout(r, 5));
    clock.start(entry('second', last));
    await done;
    expect(expired).to.deep.equal(['first', 'second']);
    expect(clock.size).to.equal(0);
  });
});
