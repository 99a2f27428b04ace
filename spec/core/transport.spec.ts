import { expect } from 'chai';
import { KeyVaultClient } from '../../lib/index.js';
import { VAULT, countingCredential, expectChallenge, mockedClient, vault } from '../helpers/mock.js';
import { reply, startScripted } from '../reliability/scripted-server.js';

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

describe('the headers of a client, prepared once', () => {
  it('sends ours and the user\'s on every request (the user\'s win), and never a user\'s copy of a per-request header', async () => {
    const server = await startScripted([reply.challenge(), reply.secret('a')]);
    try {
      const client = new KeyVaultClient(server.url, countingCredential('tok').credential, {
        allowInsecureConnection: true,
        userAgentPrefix: 'myapp/1.2',
        headers: { 'x-custom': 'c', Accept: 'application/json; odata=none', Authorization: 'Bearer stolen', 'x-ms-client-request-id': 'fixed' },
      });
      await client.secrets.getSecret('a');
      const headers = server.seen.map((r) => r.headers);
      for (const seen of headers) {
        expect(seen['user-agent']).to.match(/^myapp\/1\.2 keyvault-kit\/\S+ Node\/\S+$/);
        expect(seen).to.include({ 'x-custom': 'c', accept: 'application/json; odata=none' });
        expect(seen['x-ms-client-request-id']).to.match(/^[0-9a-f-]{36}$/);
      }
      expect(headers.map((h) => h.authorization)).to.deep.equal([undefined, 'Bearer tok']);
    } finally {
      await server.stop();
    }
  });
});

describe('attempt deadlines', () => {
  const API = { 'api-version': '2025-07-01' };
  it('timeout: false sets none, on an injected fetch too (which then gets only the caller\'s signal)', async () => {
    const signals: (AbortSignal | null)[] = [];
    const { client } = mockedClient({ timeout: false, fetch: (input, init) => { signals.push((input as Request).signal); return fetch(input, init); } });
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).reply(200, { value: 'v', id: `${VAULT}/secrets/a/0123456789abcdef0123456789abcdef` });
    expect((await client.secrets.getSecret('a')).value).to.equal('v');
    expect(signals.map((s) => s?.aborted)).to.deep.equal([false, false]);
    scope.done();
  });

  it('refuses a timeout or maxResponseBytes that is not a positive number at construction', () => {
    for (const options of [{ timeout: 0 }, { timeout: -5 }, { timeout: 'soon' }, { maxResponseBytes: 0 }, { maxResponseBytes: 1.5 }]) {
      expect(() => new KeyVaultClient(VAULT, countingCredential().credential, options as never), JSON.stringify(options)).to.throw(/must be/).with.property('code', 'InvalidOption');
    }
  });
});
