import { expect } from 'chai';
import { AbortError, KeyVaultClient, NotFoundError, TimeoutError, type FullOperationResponse } from '../../lib/index.js';
import { tokenCredential } from '../reliability/fault-proxy.js';
import { json, reply, startScripted, type Step } from '../reliability/scripted-server.js';
import { expectChallenge, mockedClient, vault, VAULT } from '../helpers/mock.js';
import type { AbortSignalLike } from '../../lib/index.js';

const API = { 'api-version': '2025-07-01' };
const secretBody = (origin: string, name: string, value = 'v') => ({ value, id: `${origin}/secrets/${name}/0123456789abcdef0123456789abcdef`, attributes: { enabled: true } });

/** A client on the undici dispatch (the default transport) against a scripted loopback server. */
async function scripted(steps: Step[], options: ConstructorParameters<typeof KeyVaultClient>[2] = {}) {
  const server = await startScripted([reply.challenge(), ...steps]);
  const client = new KeyVaultClient(server.url, tokenCredential(3_600_000, 't').credential, { allowInsecureConnection: true, retry: { limit: 0 }, ...options });
  return { server, client };
}

/** An Azure-style AbortSignalLike that is NOT a DOM AbortSignal, counting its listeners. */
function signalLike() {
  const listeners = new Set<(ev: unknown) => void>();
  const signal: AbortSignalLike & { abort(): void; listeners: number } = {
    aborted: false,
    addEventListener: (_type, listener) => { listeners.add(listener as (ev: unknown) => void); },
    removeEventListener: (_type, listener) => { listeners.delete(listener as (ev: unknown) => void); },
    abort() {
      (this as { aborted: boolean }).aborted = true;
      for (const listener of [...listeners]) listener.call(signal, { type: 'abort' });
    },
    get listeners() { return listeners.size; },
  };
  return signal;
}

describe('per-call options (Microsoft\'s OperationOptions)', () => {
  it('requestOptions.headers are sent on that call only (on the undici dispatch), winning over the client\'s header of the same name', async () => {
    const { server, client } = await scripted([reply.secret('a'), reply.secret('a')], { headers: { 'x-app': 'client', 'x-keep': 'k' } });
    try {
      await client.secrets.getSecret('a', { requestOptions: { headers: { 'X-App': 'call', 'x-trace-id': 42, authorization: 'Bearer nope' } } });
      await client.secrets.getSecret('a');
      const [, first, second] = server.seen;
      expect(first!.headers).to.include({ 'x-app': 'call', 'x-trace-id': '42', 'x-keep': 'k', authorization: 'Bearer t1' });
      expect(second!.headers).to.include({ 'x-app': 'client', 'x-keep': 'k' }).and.not.have.property('x-trace-id');
    } finally {
      await server.stop();
    }
  });

  it('requestOptions.headers reach an injected fetch too, and an x-ms-client-request-id given per call is the call\'s id', async () => {
    const { client } = mockedClient({ headers: { 'x-app': 'client' } });
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API)
      .matchHeader('x-app', 'call')
      .matchHeader('x-ms-client-request-id', 'my-own-id')
      .reply(200, secretBody(VAULT, 'a', 'secret-value'));
    const secret = await client.secrets.getSecret('a', { requestOptions: { headers: { 'x-app': 'call', 'x-ms-client-request-id': 'my-own-id' } } });
    expect(secret.value).to.equal('secret-value');
    scope.done();
  });

  it('requestOptions.timeout limits each attempt of that call (TimeoutError), whatever the client\'s timeout', async () => {
    const { server, client } = await scripted([reply.after(5_000, reply.secret('slow')), reply.secret('slow')], { timeout: 60_000 });
    try {
      const error = await client.secrets.getSecret('slow', { requestOptions: { timeout: 50 } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TimeoutError).and.include({ code: 'Timeout' });
      expect((error as Error).message).to.include('50 ms');
      // The next call, without one, has the client's limit again and gets its answer.
      expect((await client.secrets.getSecret('slow')).name).to.equal('slow');
    } finally {
      await server.stop();
    }
  });

  it('requestOptions.timeout works through an injected fetch as well (its signal is aborted)', async () => {
    let aborted = false;
    const hanging: typeof fetch = async (input) => {
      const request = input as Request;
      if (!request.headers.get('authorization')) return Response.json({ error: { code: 'Unauthorized' } }, { status: 401, headers: { 'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/t", resource="${VAULT}"` } });
      return new Promise<Response>((_resolve, reject) => request.signal.addEventListener('abort', () => { aborted = true; reject(request.signal.reason); }));
    };
    const client = new KeyVaultClient(VAULT, tokenCredential().credential, { fetch: hanging, retry: { limit: 0 } });
    const error = await client.secrets.getSecret('slow', { requestOptions: { timeout: 40 } }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TimeoutError);
    expect(aborted).to.equal(true);
  });

  it('onResponse gets the final response once: status, headers, bodyAsText, parsedBody and the request', async () => {
    const { server, client } = await scripted([(req, res, origin) => json(res, 200, secretBody(origin, 'a', 'the-value'), { 'x-ms-request-id': 'req-1' })]);
    try {
      const seen: FullOperationResponse[] = [];
      const rest: unknown[][] = [];
      const secret = await client.secrets.getSecret('a', { onResponse: (raw, ...more) => { seen.push(raw); rest.push(more); } });
      expect(secret.value).to.equal('the-value');
      expect(seen).to.have.length(1);
      const [raw] = seen;
      expect(raw!.status).to.equal(200);
      expect(raw!.headers.get('X-MS-Request-Id')).to.equal('req-1');
      expect(raw!.headers.has('content-type')).to.equal(true);
      expect(raw!.rawHeaders['x-ms-request-id']).to.equal('req-1');
      expect(JSON.parse(raw!.bodyAsText!)).to.deep.equal(raw!.parsedBody);
      expect(raw!.parsedBody).to.deep.include({ value: 'the-value' });
      expect(raw!.request).to.include({ method: 'GET', url: `${server.url}/secrets/a/?api-version=2025-07-01` });
      expect(raw!.request.requestId).to.equal(server.seen[1]!.headers['x-ms-client-request-id']);
      expect(raw!.request.headers.has('authorization')).to.equal(false);
      // As Microsoft's: no error on success.
      expect(rest[0]!.every((x) => x === undefined)).to.equal(true);
    } finally {
      await server.stop();
    }
  });

  it('onResponse sees an error answer with the error (as Microsoft\'s: raw, error)', async () => {
    const { server, client } = await scripted([reply.status(404, { error: { code: 'SecretNotFound', message: 'A secret with (name/id) gone was not found in this key vault.' } })]);
    try {
      const calls: [FullOperationResponse, unknown][] = [];
      const error = await client.secrets.getSecret('gone', { onResponse: (raw, e) => calls.push([raw, e]) }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(NotFoundError);
      expect(calls).to.have.length(1);
      expect(calls[0]![0].status).to.equal(404);
      expect(calls[0]![0].parsedBody).to.deep.equal({ error: { code: 'SecretNotFound', message: 'A secret with (name/id) gone was not found in this key vault.' } });
      expect(calls[0]![1]).to.equal(error);
    } finally {
      await server.stop();
    }
  });

  it('an AbortSignalLike that is not an AbortSignal aborts the call in flight, and its listener is removed after each call', async () => {
    const { server, client } = await scripted([reply.secret('a'), reply.after(5_000, reply.secret('a'))]);
    try {
      const signal = signalLike();
      expect((await client.secrets.getSecret('a', { abortSignal: signal })).name).to.equal('a');
      expect(signal.listeners).to.equal(0);
      const pending = client.secrets.getSecret('a', { abortSignal: signal }).catch((e: unknown) => e);
      while (server.seen.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      signal.abort();
      expect(await pending).to.be.instanceOf(AbortError).and.include({ code: 'Aborted' });
      expect(signal.listeners).to.equal(0);
      // Already aborted: nothing more is sent.
      expect(await client.secrets.getSecret('a', { abortSignal: signal }).catch((e: unknown) => e)).to.be.instanceOf(AbortError);
      expect(server.seen).to.have.length(3);
    } finally {
      await server.stop();
    }
  });

  it('a listing sends its per-call options with every page, and a poller with every poll', async () => {
    const page2 = (origin: string) => `${origin}/secrets?api-version=2025-07-01&$skiptoken=p2`;
    const { server, client } = await scripted([
      (_req, res, origin) => json(res, 200, { value: [{ id: `${origin}/secrets/a`, attributes: {} }], nextLink: page2(origin) }),
      (_req, res, origin) => json(res, 200, { value: [{ id: `${origin}/secrets/b`, attributes: {} }] }),
      (_req, res, origin) => json(res, 200, { recoveryId: `${origin}/deletedsecrets/a`, id: `${origin}/secrets/a`, attributes: {} }),
      reply.status(404, { error: { code: 'SecretNotFound', message: 'not yet' } }),
      (_req, res, origin) => json(res, 200, { recoveryId: `${origin}/deletedsecrets/a`, id: `${origin}/secrets/a`, attributes: {} }),
    ]);
    try {
      const statuses: number[] = [];
      const options = { requestOptions: { headers: { 'x-app': 'port' } }, onResponse: (raw: FullOperationResponse) => statuses.push(raw.status) };
      const names: string[] = [];
      for await (const p of client.secrets.listPropertiesOfSecrets(options)) names.push(p.name);
      expect(names).to.deep.equal(['a', 'b']);
      const poller = await client.secrets.beginDeleteSecret('a', { ...options, intervalInMs: 0 });
      await poller.pollUntilDone();
      expect(server.seen.slice(1).map((s) => s.headers['x-app'])).to.deep.equal(['port', 'port', 'port', 'port', 'port']);
      expect(statuses).to.deep.equal([200, 200, 200, 404, 200]);
    } finally {
      await server.stop();
    }
  });

  it('a per-call timeout that is not a number of ms is refused before sending', async () => {
    const { client } = mockedClient();
    const error = await client.secrets.getSecret('a', { requestOptions: { timeout: -1 } }).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'InvalidOption');
  });
});
