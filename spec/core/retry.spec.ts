import { expect } from 'chai';
import { AbortError, NetworkError, ServiceError, ThrottledError, TimeoutError } from '../../lib/index.js';
import { retryDelayMs, serverDelayMs } from '../../lib/core/retry.js';
import { VAULT, expectChallenge, mockedClient, vault } from '../helpers/mock.js';

const API = { 'api-version': '2025-07-01' };
const bundle = { value: 'v', id: `${VAULT}/secrets/a/0123456789abcdef0123456789abcdef` };
const policy = { limit: 3, backoffMs: 800, maxDelayMs: 60_000 };

describe('retry delays (pure)', () => {
  it('reads retry-after-ms, x-ms-retry-after-ms, Retry-After seconds and HTTP dates', () => {
    expect(serverDelayMs(new Headers({ 'retry-after-ms': '250' }))).to.equal(250);
    expect(serverDelayMs(new Headers({ 'x-ms-retry-after-ms': '40' }))).to.equal(40);
    expect(serverDelayMs(new Headers({ 'retry-after': '3' }))).to.equal(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(serverDelayMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).to.equal(5000);
    expect(serverDelayMs(new Headers({}))).to.equal(undefined);
  });

  it('backs off exponentially with full jitter, capped, and prefers the server hint', () => {
    expect(retryDelayMs(1, undefined, policy, () => 1)).to.equal(800);
    expect(retryDelayMs(3, undefined, policy, () => 1)).to.equal(3200);
    expect(retryDelayMs(3, undefined, policy, () => 0.5)).to.equal(1600);
    expect(retryDelayMs(20, undefined, policy, () => 1)).to.equal(60_000);
    expect(retryDelayMs(1, serverDelayMs(new Headers({ 'retry-after': '2' })), policy, () => 1)).to.equal(2000);
    expect(retryDelayMs(1, serverDelayMs(new Headers({ 'retry-after': '600' })), policy, () => 1)).to.equal(60_000);
  });
});

describe('retries through the transport', () => {
  async function warm(options = {}) {
    const { client } = mockedClient(options);
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).reply(200, bundle);
    await client.secrets.getSecret('a');
    return { secrets: client.secrets, scope };
  }

  for (const status of [408, 429, 500, 502, 503, 504]) {
    it(`retries ${status} and keeps the client request id`, async () => {
      const { secrets, scope } = await warm();
      const ids: string[] = [];
      scope.get('/secrets/a/').query(API).reply(status, (): object => ({ error: { code: 'Busy', message: 'try later' } }), { 'retry-after-ms': '1' });
      scope.get('/secrets/a/').query(API).reply(200, bundle);
      scope.on('request', (req: { headers: Record<string, string> }) => ids.push(req.headers['x-ms-client-request-id']!));
      expect((await secrets.getSecret('a')).value).to.equal('v');
      expect(ids).to.have.length(2);
      expect(ids[0]).to.equal(ids[1]);
      scope.done();
    });
  }

  it('retries PUT and POST too (Key Vault writes are safe to repeat)', async () => {
    const { secrets, scope } = await warm();
    scope.put('/secrets/a').query(API).reply(503, {}, { 'retry-after': '0' });
    scope.put('/secrets/a').query(API).reply(200, bundle);
    expect((await secrets.setSecret('a', 'v')).name).to.equal('a');
    scope.done();
  });

  it('gives up after the limit with a typed error carrying the service code', async () => {
    const { secrets, scope } = await warm({ retry: { limit: 2, backoffMs: 1 } });
    scope.get('/secrets/a/').query(API).times(3).reply(429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': '0' });
    const error = await secrets.getSecret('a').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ThrottledError).and.include({ statusCode: 429, code: 'Throttled' });
    scope.done();
  });

  it('does not retry 4xx other than 408 and 429', async () => {
    const { secrets, scope } = await warm();
    scope.get('/secrets/a/').query(API).once().reply(400, { error: { code: 'BadParameter', message: 'nope' } });
    expect(await secrets.getSecret('a').catch((e: unknown) => e)).to.include({ statusCode: 400, code: 'BadParameter' });
    scope.done();
  });

  /** A transport that fails the way sockets do (nock cannot script these for fetch), then defers to nock. */
  function failing(times: number, how: 'reset' | 'hang') {
    let calls = 0;
    const fetchImpl = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = input as Request;
      if (!request.url.includes('/secrets/b/') || calls++ >= times) return fetch(input, init);
      if (how === 'reset') return Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }));
      return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));
    };
    return { fetchImpl, attempts: () => calls };
  }

  it('retries network errors, then succeeds', async () => {
    const { fetchImpl, attempts } = failing(2, 'reset');
    const { secrets, scope } = await warm({ fetch: fetchImpl });
    scope.get('/secrets/b/').query(API).reply(200, { ...bundle, id: `${VAULT}/secrets/b/0123456789abcdef0123456789abcdef` });
    expect((await secrets.getSecret('b')).name).to.equal('b');
    expect(attempts()).to.equal(3);
    scope.done();
  });

  it('reports a NetworkError with the socket error code once retries run out', async () => {
    const { fetchImpl, attempts } = failing(10, 'reset');
    const { secrets } = await warm({ fetch: fetchImpl, retry: { limit: 2, backoffMs: 1 } });
    const error = await secrets.getSecret('b').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NetworkError).and.include({ code: 'NetworkError', method: 'GET', path: '/secrets/b/' });
    expect((error as Error).message).to.include('ECONNRESET');
    expect(attempts()).to.equal(3);
  });

  it('times out each attempt, retries it, and reports a TimeoutError', async () => {
    const { fetchImpl, attempts } = failing(10, 'hang');
    const { secrets } = await warm({ fetch: fetchImpl, timeout: 20, retry: { limit: 2, backoffMs: 1 } });
    const error = await secrets.getSecret('b').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TimeoutError).and.include({ code: 'Timeout' });
    expect(attempts()).to.equal(3);
  });

  it('never retries an aborted call, and aborts a wait between retries', async () => {
    const { secrets, scope } = await warm({ retry: { limit: 5, backoffMs: 10_000, maxDelayMs: 10_000 } });
    let attempts = 0;
    scope.get('/secrets/a/').query(API).times(5).reply(503, () => { attempts++; return {}; });
    const controller = new AbortController();
    const pending = secrets.getSecret('a', { abortSignal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    const error = await pending;
    expect(error).to.be.instanceOf(AbortError).and.include({ code: 'Aborted' });
    expect(attempts).to.equal(1);
  });

  it('honours an overall deadline across retries (AbortSignal.timeout)', async () => {
    const { secrets, scope } = await warm({ retry: { limit: 5, backoffMs: 10_000, maxDelayMs: 10_000 } });
    scope.get('/secrets/a/').query(API).times(5).reply(503, {});
    const error = await secrets.getSecret('a', { abortSignal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TimeoutError).and.include({ code: 'Timeout' });
  });
});
