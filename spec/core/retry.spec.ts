import { expect } from 'chai';
import { AbortError, NetworkError, ServiceError, ThrottledError, TimeoutError, ValidationError } from '../../lib/index.js';
import { errorFromResponse } from '../../lib/core/failure.js';
import { delay, isRetryable, retryDelayMs, retryPolicy, serverDelayMs, withRetries } from '../../lib/core/retry.js';
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

describe('the attempt loop (withRetries, delay, isRetryable)', () => {
  const fast = { limit: 3, backoffMs: 1, maxDelayMs: 2 };
  const failing = (...errors: Error[]) => {
    let calls = 0;
    const retries: number[] = [];
    const attempt = async (retry: number) => {
      retries.push(retry);
      const error = errors[Math.min(calls++, errors.length - 1)];
      if (error) throw error;
      return 'done';
    };
    return { attempt, retries, calls: () => calls };
  };
  const status = (statusCode: number, retryAfterMs?: number) => new ServiceError('x', { code: 'X', statusCode, retryAfterMs });

  it('retries what may heal, up to the limit, telling each attempt its retry number', async () => {
    const { attempt, retries } = failing(status(503), new NetworkError('reset', { code: 'NetworkError' }), new TimeoutError('slow', { code: 'Timeout' }), undefined as never);
    expect(await withRetries(attempt, fast, undefined)).to.equal('done');
    expect(retries).to.deep.equal([0, 1, 2, 3]);
  });

  it('stops at the limit with the last error, and never retries what will not heal', async () => {
    const last = status(429);
    const { attempt, calls } = failing(status(503), last);
    expect(await withRetries(attempt, { ...fast, limit: 1 }, undefined).catch((e: unknown) => e)).to.equal(last);
    expect(calls()).to.equal(2);
    for (const permanent of [status(400), new NetworkError('tls', { code: 'CertificateError' }), new NetworkError('tls', { code: 'TlsError' }), new Error('a bug')]) {
      const once = failing(permanent);
      expect(await withRetries(once.attempt, fast, undefined).catch((e: unknown) => e)).to.equal(permanent);
      expect(once.calls()).to.equal(1);
    }
  });

  it('waits as the server asks (capped by maxDelayMs) and reports each retry before its wait', async () => {
    const seen: [number, string, number][] = [];
    const { attempt } = failing(status(503, 7), status(503, 90_000), undefined as never);
    await withRetries(attempt, { limit: 3, backoffMs: 1, maxDelayMs: 20 }, undefined, (n, error, waitMs) => seen.push([n, error.constructor.name, waitMs]));
    expect(seen).to.deep.equal([[1, 'ServiceError', 7], [2, 'ServiceError', 20]]);
  });

  it('ends a wait when the caller aborts, with the signal\'s reason, and never retries after an abort', async () => {
    const controller = new AbortController();
    const { attempt, calls } = failing(status(503, 10_000));
    const pending = withRetries(attempt, fast, controller.signal, () => controller.abort(new Error('stop')));
    expect(await pending.catch((e: unknown) => (e as Error).message)).to.equal('stop');
    expect(calls()).to.equal(1);
    expect(isRetryable(status(503), AbortSignal.abort())).to.equal(false);
  });

  it('delay resolves after its time, or rejects at once with an aborted signal\'s reason', async () => {
    await delay(1);
    await delay(1, new AbortController().signal);
    const reason = new Error('gone');
    expect(await delay(10_000, AbortSignal.abort(reason)).catch((e: unknown) => e)).to.equal(reason);
  });

  it('retryPolicy fills the defaults and refuses a limit that is not a whole number', () => {
    expect(retryPolicy(undefined)).to.deep.equal({ limit: 3, backoffMs: 800, maxDelayMs: 60_000 });
    expect(retryPolicy({ limit: 0 })).to.include({ limit: 0 });
    for (const limit of [-1, 1.5, Number.NaN]) expect(() => retryPolicy({ limit })).to.throw(ValidationError, /retry\.limit/);
  });
});

describe('an error answer, read once for its wait hint', () => {
  it('carries the Retry-After family as retryAfterMs on any status, through the error\'s init', async () => {
    const where = { method: 'GET', path: '/secrets/a/', clientRequestId: 'id' };
    const answer = (status: number, headers: Record<string, string>) => new Response(JSON.stringify({ error: { code: 'Busy', message: 'later' } }), { status, headers });
    const throttled = await errorFromResponse(answer(429, { 'x-ms-retry-after-ms': '1500', 'x-ms-request-id': 'rid' }), where);
    expect(throttled).to.be.instanceOf(ThrottledError).and.include({ retryAfterMs: 1500, code: 'Busy', requestId: 'rid', statusCode: 429 });
    expect(await errorFromResponse(answer(503, { 'retry-after-ms': '20' }), where)).to.be.instanceOf(ServiceError).and.include({ retryAfterMs: 20 });
    expect(await errorFromResponse(answer(429, { 'retry-after': '2' }), where)).to.include({ retryAfterMs: 2000 });
    expect(await errorFromResponse(new Response('<html>proxy</html>', { status: 502 }), where)).to.be.instanceOf(ServiceError).and.include({ code: 'Http502', retryAfterMs: undefined });
  });

  it('reaches the caller: a ThrottledError after the retries keeps the service\'s last hint', async () => {
    const { client } = mockedClient({ retry: { limit: 0 } });
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).reply(429, { error: { code: 'Throttled', message: 'slow down' } }, { 'retry-after-ms': '2500' });
    expect(await client.secrets.getSecret('a').catch((e: unknown) => e)).to.be.instanceOf(ThrottledError).and.include({ retryAfterMs: 2500 });
    scope.done();
  });
});
