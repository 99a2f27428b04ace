import { expect } from 'chai';
import { AuthenticationError, KeyVaultClient, type TokenCredential } from '../../../lib/index.js';
import { parseWwwAuthenticate, scopeOf, tenantOf } from '../../../lib/core/auth/www-authenticate.js';
import { CHALLENGE, TENANT, VAULT, countingCredential, expectChallenge, mockedClient, vault } from '../../helpers/mock.js';

const API = { 'api-version': '2025-07-01' };
const bundle = (name: string) => ({ value: 'v', id: `${VAULT}/secrets/${name}/0123456789abcdef0123456789abcdef` });

describe('WWW-Authenticate parsing', () => {
  it('reads Key Vault challenges with authorization or authorization_uri, scope, claims', () => {
    const c = parseWwwAuthenticate(CHALLENGE)!;
    expect(c).to.deep.equal({ authorization: `https://login.microsoftonline.com/${TENANT}`, resource: 'https://vault.azure.net' });
    expect(scopeOf(c)).to.equal('https://vault.azure.net/.default');
    expect(tenantOf(c)).to.equal(TENANT);
    const other = parseWwwAuthenticate('Bearer authorization_uri="https://login.microsoftonline.com/t2/oauth2/authorize", scope="https://vault.azure.net/custom", error="insufficient_claims", claims="e30="')!;
    expect(tenantOf(other)).to.equal('t2');
    expect(scopeOf(other)).to.equal('https://vault.azure.net/custom');
    expect(other.claims).to.equal('e30=');
    expect(parseWwwAuthenticate('Basic realm="x"')).to.equal(undefined);
  });
});

describe('challenge auth', () => {
  it('sends the first request without token or body, then the real one with both', async () => {
    const seen: { auth: string | null; type: string | null; body: string | null }[] = [];
    const { client, calls } = mockedClient({
      fetch: async (input, init) => {
        const request = input as Request;
        // The transport may hand the body beside the request (read once, reused for a resend).
        const given = init?.body;
        const body = given != null ? (typeof given === 'string' ? given : Buffer.from(given as Uint8Array).toString()) : request.body ? await request.text() : null;
        seen.push({ auth: request.headers.get('authorization'), type: request.headers.get('content-type'), body });
        return fetch(new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal }));
      },
    });
    const scope = vault();
    expectChallenge(scope, 'put', '/secrets/s1');
    scope.put('/secrets/s1', { value: 'payload', attributes: {} }).query(API).matchHeader('authorization', 'Bearer token-1').reply(200, bundle('s1'));
    await client.secrets.setSecret('s1', 'payload');
    expect(seen).to.deep.equal([
      { auth: null, type: null, body: null },
      { auth: 'Bearer token-1', type: 'application/json', body: '{"value":"payload","attributes":{}}' },
    ]);
    expect(calls).to.deep.equal([{ scopes: ['https://vault.azure.net/.default'], tenantId: TENANT, claims: undefined }]);
    expect(client.authStats).to.deep.equal({ challenges: 1, getTokenCalls: 1 });
    scope.done();
  });

  it('later requests send the cached token directly', async () => {
    const { client, calls } = mockedClient();
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).matchHeader('authorization', 'Bearer token-1').reply(200, bundle('a'));
    scope.get('/secrets/b/').query(API).matchHeader('authorization', 'Bearer token-1').reply(200, bundle('b'));
    await client.secrets.getSecret('a');
    await client.secrets.getSecret('b');
    expect(calls).to.have.length(1);
    scope.done();
  });

  it('100 concurrent first calls share one challenge and one getToken', async () => {
    let getTokenCalls = 0;
    const credential: TokenCredential = {
      async getToken() {
        getTokenCalls++;
        await new Promise((r) => setTimeout(r, 5));
        return { token: 'shared', expiresOnTimestamp: Date.now() + 3600e3 };
      },
    };
    const { client } = mockedClient({}, { credential, calls: [] });
    const scope = vault();
    expectChallenge(scope, 'get', /\/secrets\/s\d+\//);
    for (let i = 0; i < 100; i++) scope.get(`/secrets/s${i}/`).query(API).matchHeader('authorization', 'Bearer shared').reply(200, bundle(`s${i}`));
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => client.secrets.getSecret(`s${i}`)));
    expect(results.map((r) => r.name)).to.deep.equal(Array.from({ length: 100 }, (_, i) => `s${i}`));
    expect(getTokenCalls).to.equal(1);
    expect(client.authStats).to.deep.equal({ challenges: 1, getTokenCalls: 1 });
    scope.done();
  });

  it('secrets, keys and certificates of one root share that challenge and token', async () => {
    const { client, calls } = mockedClient();
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).reply(200, bundle('a'));
    await client.secrets.getSecret('a');
    const anyClient = client as unknown as Record<string, { vaultUrl: string } | undefined>;
    for (const sub of ['keys', 'certificates']) if (anyClient[sub]) expect(anyClient[sub]!.vaultUrl).to.equal(VAULT);
    expect(calls).to.have.length(1);
    scope.done();
  });

  it('refuses a challenge whose resource does not match the vault host, naming the opt-out', async () => {
    const { client, calls } = mockedClient();
    const scope = vault();
    scope.get('/secrets/a/').query(API).reply(401, {}, { 'WWW-Authenticate': `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://evil.example.com"` });
    const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AuthenticationError).and.include({ code: 'ChallengeResourceMismatch' });
    expect((error as Error).message).to.include('disableChallengeResourceVerification');
    expect(calls).to.have.length(0);
    scope.done();
  });

  it('accepts that challenge with disableChallengeResourceVerification', async () => {
    const { client, calls } = mockedClient({ disableChallengeResourceVerification: true });
    const scope = vault();
    scope.get('/secrets/a/').query(API).reply(401, {}, { 'WWW-Authenticate': `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://other.example.com"` });
    scope.get('/secrets/a/').query(API).reply(200, bundle('a'));
    await client.secrets.getSecret('a');
    expect(calls[0]!.scopes).to.deep.equal(['https://other.example.com/.default']);
    scope.done();
  });

  it('answers insufficient_claims with one new token carrying the decoded claims, then resends the body', async () => {
    const { client, calls } = mockedClient();
    const scope = vault();
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    expectChallenge(scope, 'put', '/secrets/s1');
    scope.put('/secrets/s1', { value: 'payload', attributes: {} }).query(API).reply(401, {}, {
      'WWW-Authenticate': `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`,
    });
    scope.put('/secrets/s1', { value: 'payload', attributes: {} }).query(API).reply(200, bundle('s1'));
    const secret = await client.secrets.setSecret('s1', 'payload');
    expect(secret.name).to.equal('s1');
    expect(calls.map((c) => c.claims)).to.deep.equal([undefined, claims]);
    scope.done();
  });

  it('authenticates even with retries turned off (the challenge never spends a retry)', async () => {
    const { client } = mockedClient({ retry: { limit: 0 } });
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).reply(200, bundle('a'));
    expect((await client.secrets.getSecret('a')).name).to.equal('a');
    scope.done();
  });

  it('refreshes the token before it expires', async () => {
    let n = 0;
    const credential: TokenCredential = { async getToken() { n++; return { token: `t${n}`, expiresOnTimestamp: Date.now() + 60_000 }; } };
    const client = new KeyVaultClient(VAULT, credential, { fetch: (i, init) => fetch(i, init) });
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    // A token with one minute left is inside the refresh margin: each call asks for a new one.
    scope.get('/secrets/a/').query(API).matchHeader('authorization', 'Bearer t1').reply(200, bundle('a'));
    scope.get('/secrets/a/').query(API).matchHeader('authorization', 'Bearer t2').reply(200, bundle('a'));
    await client.secrets.getSecret('a');
    await client.secrets.getSecret('a');
    expect(n).to.equal(2);
    scope.done();
  });
});
