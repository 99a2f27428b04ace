import { expect } from 'chai';
import { AuthenticationError, KeyVaultClient, ServiceError } from '../../lib/index.js';
import { TENANT, VAULT, expectChallenge, mockedClient, vault } from '../helpers/mock.js';
import { tokenCredential } from './fault-proxy.js';
import { reply, startScripted } from './scripted-server.js';

/**
 * Regressions found by the fault suite (faults.spec.ts), pinned down with exact request sequences: what the
 * SDK does with a 401 on a request that carried a token.
 */
const API = { 'api-version': '2025-07-01' };
const bundle = (name: string) => ({ value: 'v', id: `${VAULT}/secrets/${name}/0123456789abcdef0123456789abcdef` });
const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
// As Key Vault sends it for continuous access evaluation: no resource, no scope, the "common" authority.
const CAE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString('base64')}"`;

/** Tokens t1, t2, ... (t2-claims when claims were asked for), so a test can tell which one a request carried. */
const numberedCredential = () => tokenCredential(3_600_000, 't');

describe('a 401 on a request that carried a token', () => {
  it('answers a CAE challenge that names no resource with the scope and tenant learnt first, plus the claims', async () => {
    const { client, calls } = mockedClient({}, numberedCredential());
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).matchHeader('authorization', 'Bearer t1').reply(401, {}, { 'WWW-Authenticate': CAE });
    scope.get('/secrets/a/').query(API).matchHeader('authorization', 'Bearer t2-claims').reply(200, bundle('a'));
    expect((await client.secrets.getSecret('a')).name).to.equal('a');
    expect(calls).to.deep.equal([
      { scopes: ['https://vault.azure.net/.default'], tenantId: TENANT, claims: undefined },
      { scopes: ['https://vault.azure.net/.default'], tenantId: TENANT, claims: CLAIMS },
    ]);
    scope.done();
  });

  it('retries a resend that failed on the network, like any attempt (it used to end the call with a NetworkError)', async () => {
    const server = await startScripted([
      reply.challenge(),
      reply.challenge(),
      (req) => req.socket.resetAndDestroy(),
      reply.secret('a'),
    ]);
    try {
      const client = new KeyVaultClient(server.url, numberedCredential().credential, { allowInsecureConnection: true, retry: { backoffMs: 1, maxDelayMs: 5 } });
      expect((await client.secrets.getSecret('a')).name).to.equal('a');
      expect(server.seen.map((r) => r.authorization)).to.deep.equal([undefined, 'Bearer t1', 'Bearer t2', 'Bearer t2']);
    } finally {
      await server.stop();
    }
  });

  it('resends with a live signal after an attempt timed out (the stale, aborted one made it an AbortError)', async () => {
    const server = await startScripted([
      reply.challenge(),
      reply.after(2_000, reply.secret('a')),
      reply.challenge(),
      reply.secret('a'),
    ]);
    try {
      const client = new KeyVaultClient(server.url, numberedCredential().credential, { allowInsecureConnection: true, retry: { backoffMs: 1, maxDelayMs: 5 }, timeout: 300 });
      expect((await client.secrets.getSecret('a')).name).to.equal('a');
      expect(server.seen.map((r) => r.authorization)).to.deep.equal([undefined, 'Bearer t1', 'Bearer t1', 'Bearer t2']);
    } finally {
      await server.stop();
    }
  });

  it('refreshes once for many concurrent requests refused with the same token, whenever their 401s arrive', async () => {
    const n = 8;
    const server = await startScripted([
      reply.challenge(),
      // The n requests carrying t1 are refused one after the other, after the first refresh is done.
      ...Array.from({ length: n }, (_, i) => reply.after(40 * (i + 1), reply.challenge())),
      reply.secret('b'),
    ]);
    try {
      const { credential, calls } = numberedCredential();
      const client = new KeyVaultClient(server.url, credential, { allowInsecureConnection: true });
      const got = await Promise.all(Array.from({ length: n }, (_, i) => client.secrets.getSecret(`b${i}`)));
      expect(got).to.have.length(n);
      expect(calls).to.have.length(2);
      expect(server.seen.slice(1 + n).map((r) => r.authorization)).to.deep.equal(Array(n).fill('Bearer t2'));
    } finally {
      await server.stop();
    }
  });

  it('still fails with AuthenticationError when even a fresh token is refused (two resends at most)', async () => {
    const { client, calls } = mockedClient({}, numberedCredential());
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/a/');
    scope.get('/secrets/a/').query(API).times(3).reply(401, { error: { code: 'Unauthorized', message: 'AKV10032: Invalid issuer.' } }, { 'WWW-Authenticate': `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"` });
    const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AuthenticationError).and.to.have.property('name', 'RestError');
    expect(error).to.have.property('code', 'Unauthorized');
    expect(calls).to.have.length(3);
    scope.done();
  });
});

describe('the challenge (the first, token-less request)', () => {
  it('fails as the request would once its retries run out: a 503 is a ServiceError, not a missing challenge', async () => {
    const server = await startScripted([reply.status(503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } })]);
    try {
      const client = new KeyVaultClient(server.url, numberedCredential().credential, { allowInsecureConnection: true, retry: { backoffMs: 1, maxDelayMs: 5 } });
      const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceError).and.to.have.property('name', 'RestError');
      expect(error).to.have.property('statusCode', 503);
      expect(server.seen).to.have.length(4);
    } finally {
      await server.stop();
    }
  });

  it('has the attempt timeout: a challenge answered too late is asked again', async () => {
    const server = await startScripted([reply.after(2_000, reply.challenge()), reply.challenge(), reply.secret('a')]);
    try {
      const client = new KeyVaultClient(server.url, numberedCredential().credential, { allowInsecureConnection: true, retry: { backoffMs: 1, maxDelayMs: 5 }, timeout: 300 });
      expect((await client.secrets.getSecret('a')).name).to.equal('a');
      expect(server.seen.map((r) => r.authorization)).to.deep.equal([undefined, undefined, 'Bearer t1']);
    } finally {
      await server.stop();
    }
  });

  it('ends with a TimeoutError when every challenge attempt times out', async () => {
    const server = await startScripted([reply.after(5_000, reply.challenge())]);
    try {
      const client = new KeyVaultClient(server.url, numberedCredential().credential, { allowInsecureConnection: true, retry: { backoffMs: 1, maxDelayMs: 5 }, timeout: 100 });
      const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
      expect(error).to.have.property('name', 'TimeoutError');
      expect(server.seen).to.have.length(4);
    } finally {
      await server.stop();
    }
  });
});
