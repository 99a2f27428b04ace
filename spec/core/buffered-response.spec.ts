import { expect } from 'chai';
import { BufferedResponse } from '../../lib/core/buffered-response.js';
import { AnswerTooLarge } from '../../lib/core/failure.js';

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

describe('BufferedResponse.read (an injected fetch\'s answer, read in full under the size cap)', () => {
  const streamOf = (...parts: string[]) => new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new Uint8Array(bytes(part)));
      controller.close();
    },
  });

  it('reads every chunk of a streamed answer, with its status and headers', async () => {
    const response = await BufferedResponse.read(new Response(streamOf('{"a":', '1}'), { status: 201, headers: { 'x-ms-request-id': 'r1' } }), 100);
    expect([response.status, response.headers.get('x-ms-request-id'), await response.text()]).to.deep.equal([201, 'r1', '{"a":1}']);
  });

  it('stops at the cap, whether the size is declared or only seen while reading', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(64)), cancel: () => { cancelled = true; } });
    const error = await BufferedResponse.read(new Response(endless), 1000).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AnswerTooLarge).with.property('limit', 1000);
    expect(cancelled).to.equal(true);
    const declared = await BufferedResponse.read(new Response('x'.repeat(20), { headers: { 'content-length': '20' } }), 10).catch((e: unknown) => e);
    expect(declared).to.be.instanceOf(AnswerTooLarge);
    const buffered = await BufferedResponse.read(new BufferedResponse(bytes('x'.repeat(20)), 200, 'OK', {}, ''), 10).catch((e: unknown) => e);
    expect(buffered).to.be.instanceOf(AnswerTooLarge);
  });
});
