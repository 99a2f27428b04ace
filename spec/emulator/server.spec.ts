import { expect } from 'chai';
import { Agent, request } from 'undici';
import { EMULATOR_TENANT_ID, startVault } from '../../lib/emulator/index.js';
import { useVault } from '../helpers/vault.js';
import { call, expectError, servedCertificate } from './http.js';

describe('emulator server: auth, api-version, routing, bad input', () => {
  const vault = useVault();

  describe('auth', () => {
    it('challenges a request without a token before reading its body, with the vault origin as resource', async () => {
      const a = await call(vault(), 'PUT', '/secrets/x', { token: null, body: '{not json' });
      expectError(a, 401, 'Unauthorized');
      expect(a.json.error.message).to.equal('AKV10000: Request is missing a Bearer or PoP token.');
      expect(a.headers['www-authenticate']).to.equal(`Bearer authorization="https://login.microsoftonline.com/${EMULATOR_TENANT_ID}", resource="${vault().url}"`);
    });

    it('challenges a non-bearer or empty authorization', async () => {
      expectError(await call(vault(), 'GET', '/secrets', { token: null, headers: { authorization: 'Basic abc' } }), 401, 'Unauthorized');
      expectError(await call(vault(), 'GET', '/secrets', { token: null, headers: { authorization: 'Bearer ' } }), 401, 'Unauthorized');
    });

    it('accepts only the configured token when one is set', async () => {
      const v = await startVault({ token: 'only-this' });
      try {
        const wrong = await call(v, 'GET', '/secrets', { token: 'other' });
        expectError(wrong, 401, 'Unauthorized');
        expect(wrong.headers['www-authenticate']).to.match(/^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}", resource="/);
        const right = await call(v, 'GET', '/secrets', { token: 'only-this' });
        expect(right.status).to.equal(200);
        expect(right.json).to.deep.equal({ value: [], nextLink: null });
      } finally {
        await v.stop();
      }
    });
  });

  describe('api-version', () => {
    it('is required', async () => expectError(await call(vault(), 'GET', '/secrets', { apiVersion: null }), 400, 'BadParameter'));
    it('rejects unknown versions', async () => expectError(await call(vault(), 'GET', '/secrets', { apiVersion: '9.9' }), 400, 'BadParameter'));
    for (const v of ['2016-10-01', '7.3', '7.4-preview.1', '7.4', '7.5', '7.6', '2025-07-01']) {
      it(`accepts ${v}`, async () => expect((await call(vault(), 'GET', '/secrets', { apiVersion: v })).status).to.equal(200));
    }
    it('accepts a percent-encoded key (api%2Dversion), as Microsoft sends it', async () => {
      const a = await call(vault(), 'GET', '/secrets?api%2Dversion=7.6', { apiVersion: null });
      expect(a.status).to.equal(200);
      expect(a.json).to.have.property('value').that.is.an('array');
    });
  });

  describe('routing and input', () => {
    it('answers 404 NotFound for an unknown route', async () => expectError(await call(vault(), 'GET', '/nothing/here'), 404, 'NotFound'));
    it('answers 405 for a known path with another method', async () => expectError(await call(vault(), 'PATCH', '/secrets'), 405, 'MethodNotAllowed'));
    it('rejects malformed JSON', async () => expectError(await call(vault(), 'PUT', '/secrets/a', { body: '{"value":' }), 400, 'BadParameter'));
    it('rejects a body that is not an object', async () => expectError(await call(vault(), 'PUT', '/secrets/a', { body: [1, 2] }), 400, 'BadParameter'));
    it('rejects wrong types', async () => {
      expectError(await call(vault(), 'PUT', '/secrets/a', { body: { value: 5 } }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/secrets/a', { body: { value: 'v', attributes: { enabled: 'yes' } } }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/secrets/a', { body: { value: 'v', attributes: { exp: 1.5 } } }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/secrets/a', { body: { value: 'v', tags: { a: 1 } } }), 400, 'BadParameter');
      expectError(await call(vault(), 'POST', '/keys/k/create', { body: { kty: 'RSA', key_size: '2048' } }), 400, 'BadParameter');
    });
    it('rejects a missing body where one is required', async () => expectError(await call(vault(), 'PUT', '/secrets/a'), 400, 'BadParameter'));
    it('rejects invalid names', async () => {
      expectError(await call(vault(), 'PUT', '/secrets/bad_name', { body: { value: 'v' } }), 400, 'BadParameter');
      expectError(await call(vault(), 'GET', `/secrets/${'a'.repeat(128)}`), 400, 'BadParameter');
      expectError(await call(vault(), 'GET', '/keys/a%20b'), 400, 'BadParameter');
    });
    it('rejects a secret value over 25 KB', async () => {
      expectError(await call(vault(), 'PUT', '/secrets/big', { body: { value: 'x'.repeat(25 * 1024 + 1) } }), 400, 'BadParameter');
      expect((await call(vault(), 'PUT', '/secrets/big', { body: { value: 'x'.repeat(25 * 1024) } })).status).to.equal(200);
    });
    it('refuses bodies over 1 MB with 413 in the error shape', async () => {
      expectError(await call(vault(), 'PUT', '/secrets/huge', { body: { value: 'x'.repeat(1024 * 1024 + 10) } }), 413, 'RequestBodyTooLarge');
      // The vault still serves afterwards.
      expect((await call(vault(), 'GET', '/secrets')).status).to.equal(200);
    });
    it('refuses bodies over 1 MB sent without a content-length (chunked)', async () => {
      const agent = new Agent({ connect: { ca: vault().ca } });
      const { Readable } = await import('node:stream');
      const chunks = Readable.from(Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x61)));
      const res = await request(`${vault().url}/secrets/huge?api-version=7.6`, { method: 'PUT', dispatcher: agent, headers: { authorization: 'Bearer t' }, body: chunks });
      expect(res.statusCode).to.equal(413);
      expect(((await res.body.json()) as { error: { code: string } }).error.code).to.equal('RequestBodyTooLarge');
      await agent.close();
    });
    it('rejects maxresults outside 1..25', async () => {
      expectError(await call(vault(), 'GET', '/secrets?maxresults=0'), 400, 'BadParameter');
      expectError(await call(vault(), 'GET', '/keys?maxresults=26'), 400, 'BadParameter');
      expectError(await call(vault(), 'GET', '/secrets?maxresults=x'), 400, 'BadParameter');
    });
    it('rejects a skip token it did not issue', async () => expectError(await call(vault(), 'GET', '/secrets?$skiptoken=zzz'), 400, 'BadParameter'));
    it('rejects a malformed query string', async () => expectError(await call(vault(), 'GET', '/secrets?x=%E0%A4%A'), 400, 'BadParameter'));
  });

  describe('transport', () => {
    it('serves plain HTTP on loopback when asked, and refuses it elsewhere', async () => {
      const v = await startVault({ tls: false });
      try {
        expect(v.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(v.ca).to.equal('');
        const a = await call(v, 'GET', '/secrets');
        expect(a.status).to.equal(200);
        const challenge = await call(v, 'GET', '/secrets', { token: null });
        expect(challenge.headers['www-authenticate']).to.contain(`resource="${v.url}"`);
      } finally {
        await v.stop();
      }
      let error: unknown;
      try {
        await startVault({ tls: false, host: '0.0.0.0' });
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/loopback/);
    });

    it('writes its CA to a file and serves a certificate for 127.0.0.1 and localhost', async () => {
      const { readFileSync } = await import('node:fs');
      const { X509Certificate } = await import('node:crypto');
      expect(readFileSync(vault().caFile, 'utf8')).to.equal(vault().ca);
      // The served certificate is issued by the CA (spec/emulator/tls.spec.ts).
      const cert = await servedCertificate(vault().url, vault().ca);
      expect(cert.verify(new X509Certificate(vault().ca).publicKey)).to.equal(true);
      expect(cert.subjectAltName).to.contain('DNS:localhost').and.contain('IP Address:127.0.0.1');
      expect(cert.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    });

    it('sends a request id on every answer and echoes the client request id', async () => {
      const ok = await call(vault(), 'GET', '/secrets', { headers: { 'x-ms-client-request-id': 'client-42' } });
      expect(ok.headers['x-ms-request-id']).to.match(/^[0-9a-f-]{36}$/);
      expect(ok.headers['x-ms-client-request-id']).to.equal('client-42');
      const challenged = await call(vault(), 'GET', '/secrets', { token: null });
      expect(challenged.headers['x-ms-request-id']).to.match(/^[0-9a-f-]{36}$/);
      expect(challenged.headers['x-ms-request-id']).to.not.equal(ok.headers['x-ms-request-id']);
    });

    it('uses the origin the client reached in ids', async () => {
      const a = await call(vault(), 'PUT', '/secrets/origin-check', { body: { value: 'v' }, headers: { host: `localhost:${new URL(vault().url).port}` } });
      expect(a.json.id).to.match(new RegExp(`^https://localhost:${new URL(vault().url).port}/secrets/origin-check/[0-9a-f]{32}$`));
    });
  });
});
