import { expect } from 'chai';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { startVault } from '../../lib/emulator/index.js';
import { useVault } from '../helpers/vault.js';
import { call, example, expectError, fieldsOf } from './http.js';

const versionOf = (kid: string): string => kid.split('/').pop()!;
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'key_hsm'];

describe('emulator keys', () => {
  const vault = useVault();
  const create = (name: string, body: unknown) => call(vault(), 'POST', `/keys/${name}/create`, { body });

  describe('create', () => {
    for (const [kty, body, size] of [
      ['RSA', {}, 2048],
      ['RSA', { key_size: 3072, public_exponent: 3 }, 3072],
      ['RSA-HSM', { key_size: 4096 }, 4096],
    ] as const) {
      it(`creates ${kty} ${size} keys with the service's defaults`, async () => {
        const a = await create(`rsa-${size}`, { kty, ...body });
        expect(a.status).to.equal(200);
        expect(a.json.key.kid).to.match(new RegExp(`^${vault().url}/keys/rsa-${size}/[0-9a-f]{32}$`));
        expect(a.json.key.kty).to.equal(kty);
        expect(a.json.key.key_ops).to.deep.equal(['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey']);
        expect(Buffer.from(a.json.key.n, 'base64url').length * 8).to.equal(size);
        expect(a.json.key.e).to.equal('public_exponent' in body ? 'Aw' : 'AQAB');
        for (const p of PRIVATE) expect(a.json.key).to.not.have.property(p);
        expect(a.json.attributes).to.include({ enabled: true, exportable: false, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90, hsmPlatform: kty.endsWith('HSM') ? '2' : '0' });
        const pub = createPublicKey({ key: { kty: 'RSA', n: a.json.key.n, e: a.json.key.e }, format: 'jwk' });
        expect(pub.asymmetricKeyDetails?.modulusLength).to.equal(size);
      });
    }

    for (const crv of ['P-256', 'P-384', 'P-521', 'P-256K']) {
      it(`creates EC ${crv} keys`, async () => {
        const a = await create(`ec-${crv}`, { kty: 'EC-HSM', crv });
        expect(a.status).to.equal(200);
        expect(a.json.key).to.include({ kty: 'EC-HSM', crv });
        expect(a.json.key.key_ops).to.deep.equal(['sign', 'verify']);
        for (const p of PRIVATE) expect(a.json.key).to.not.have.property(p);
        const pub = createPublicKey({ key: { kty: 'EC', crv: crv === 'P-256K' ? 'secp256k1' : crv, x: a.json.key.x, y: a.json.key.y }, format: 'jwk' });
        expect(pub.asymmetricKeyType).to.equal('ec');
      });
    }

    it('creates EC P-256 by default and oct keys of 128/192/256 bits without exposing material', async () => {
      expect((await create('ec-default', { kty: 'EC' })).json.key.crv).to.equal('P-256');
      for (const size of [128, 192, 256]) {
        const a = await create(`oct-${size}`, { kty: 'oct-HSM', key_size: size });
        expect(a.status).to.equal(200);
        expect(Object.keys(a.json.key).sort()).to.deep.equal(['key_ops', 'kid', 'kty']);
        expect(a.json.key.key_ops).to.deep.equal(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
      }
    });

    it('keeps key_ops, tags, nbf/exp as asked, as the spec example shows', async () => {
      const ex = await example('7.5/examples/CreateKey-example.json');
      const a = await create('CreateKeyTest', ex.parameters['parameters']);
      expect(a.status).to.equal(200);
      expect([...fieldsOf(a.json)]).to.include.members([...fieldsOf(ex.body)].filter((f) => !f.startsWith('attributes.recoverable')));
      const b = await create('opsKey', { kty: 'RSA', key_ops: ['sign', 'verify'], tags: { t: 'v' }, attributes: { nbf: 1000, exp: 2000000000, enabled: false } });
      expect(b.json.key.key_ops).to.deep.equal(['sign', 'verify']);
      expect(b.json.tags).to.deep.equal({ t: 'v' });
      expect(b.json.attributes).to.include({ nbf: 1000, exp: 2000000000, enabled: false });
    });

    it('rejects bad parameters with 400 BadParameter', async () => {
      expectError(await create('bad', {}), 400, 'BadParameter');
      expectError(await create('bad', { kty: 'DSA' }), 400, 'BadParameter');
      expectError(await create('bad', { kty: 'RSA', key_size: 1024 }), 400, 'BadParameter');
      expectError(await create('bad', { kty: 'EC', crv: 'P-192' }), 400, 'BadParameter');
      expectError(await create('bad', { kty: 'oct', key_size: 512 }), 400, 'BadParameter');
      expectError(await create('bad', { kty: 'RSA', key_ops: ['explode'] }), 400, 'BadParameter');
      expectError(await create('bad', { kty: 'RSA', attributes: { exportable: true } }), 400, 'BadParameter');
      expectError(await create('bad', { kty: 'RSA', attributes: { nbf: 10, exp: 5 } }), 400, 'BadParameter');
    });
  });

  describe('import', () => {
    it('imports a JWK as the spec example and strips private parts (n without a leading zero)', async () => {
      const ex = await example('7.6/examples/ImportKey-example.json');
      const params = ex.parameters['parameters'] as { key: Record<string, string> };
      const a = await call(vault(), 'PUT', '/keys/ImportSoftKeyTest', { body: params });
      expect(a.status).to.equal(200);
      expect([...fieldsOf(a.json)]).to.include.members([...fieldsOf(ex.body)].filter((f) => !f.startsWith('attributes.recoverable')));
      expect(a.json.key.n).to.equal(Buffer.from(params.key['n']!, 'base64url').toString('base64url'));
      for (const p of PRIVATE) expect(a.json.key).to.not.have.property(p);
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = privateKey.export({ format: 'jwk' });
      const padded = { ...jwk, n: Buffer.concat([Buffer.alloc(1), Buffer.from(jwk.n!, 'base64url')]).toString('base64url') };
      const b = await call(vault(), 'PUT', '/keys/padded', { body: { key: { ...padded, key_ops: ['sign'] }, Hsm: true } });
      expect(b.json.key).to.include({ kty: 'RSA-HSM', n: jwk.n, e: jwk.e });
      expect(b.json.key.key_ops).to.deep.equal(['sign']);
      expect(b.json.attributes.hsmPlatform).to.equal('2');
    });

    it('imports EC and oct keys; refuses public-only or malformed keys', async () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'jwk' });
      const a = await call(vault(), 'PUT', '/keys/imported-ec', { body: { key: { ...ec, crv: 'P-256K' } } });
      expect(a.json.key).to.include({ kty: 'EC', crv: 'P-256K', x: ec.x, y: ec.y });
      const oct = await call(vault(), 'PUT', '/keys/imported-oct', { body: { key: { kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url') } } });
      expect(Object.keys(oct.json.key).sort()).to.deep.equal(['key_ops', 'kid', 'kty']);
      expectError(await call(vault(), 'PUT', '/keys/pub', { body: { key: { kty: 'RSA', n: ec.x, e: 'AQAB' } } }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/keys/junk', { body: { key: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' } } }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/keys/nokey', { body: {} }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/keys/badoct', { body: { key: { kty: 'oct', k: 'AAAA' } } }), 400, 'BadParameter');
    });
  });

  describe('read, update, list', () => {
    it('gets latest and versions, updates as the spec example, lists keys and versions', async () => {
      const v1 = await create('lifecycle', { kty: 'RSA' });
      const v2 = await create('lifecycle', { kty: 'EC' });
      expect((await call(vault(), 'GET', '/keys/lifecycle/')).json).to.deep.equal(v2.json);
      expect((await call(vault(), 'GET', `/keys/lifecycle/${versionOf(v1.json.key.kid)}`)).json).to.deep.equal(v1.json);
      expectError(await call(vault(), 'GET', `/keys/lifecycle/${'f'.repeat(32)}`), 404, 'KeyNotFound');
      expectError(await call(vault(), 'GET', '/keys/missing'), 404, 'KeyNotFound');

      const ex = await example('7.6/examples/UpdateKey-example.json');
      const updated = await call(vault(), 'PATCH', `/keys/lifecycle/${versionOf(v1.json.key.kid)}`, { body: ex.parameters['parameters'] });
      expect(updated.status).to.equal(200);
      expect(updated.json.key.key_ops).to.deep.equal(['decrypt', 'encrypt']);
      expect(updated.json.attributes).to.include({ enabled: false, nbf: 631180800, exp: 662716800 });
      expectError(await call(vault(), 'GET', `/keys/lifecycle/${versionOf(v1.json.key.kid)}`), 403, 'Forbidden');
      const tagged = await call(vault(), 'PATCH', '/keys/lifecycle', { body: { tags: { a: 'b' } } });
      expect(tagged.json.tags).to.deep.equal({ a: 'b' });
      expect(tagged.json.key.kid).to.equal(v2.json.key.kid);
      expectError(await call(vault(), 'PATCH', '/keys/lifecycle', { body: { attributes: { exportable: true } } }), 400, 'BadParameter');

      const versions = await call(vault(), 'GET', '/keys/lifecycle/versions?maxresults=1');
      expect(versions.json.value).to.have.length(1);
      expect(versions.json.nextLink).to.match(/\$skiptoken=.+&maxresults=1$/);
      const rest = await call(vault(), 'GET', versions.json.nextLink.replace(vault().url, ''), { apiVersion: null });
      const kids = [versions.json.value[0].kid, ...rest.json.value.map((x: { kid: string }) => x.kid)];
      expect(kids.sort()).to.deep.equal([v1.json.key.kid, v2.json.key.kid].sort());
      expect(versions.json.value[0]).to.not.have.property('key');

      const list = await call(vault(), 'GET', '/keys');
      const item = list.json.value.find((k: { kid: string }) => k.kid === `${vault().url}/keys/lifecycle`);
      expect(item.tags).to.deep.equal({ a: 'b' });
      expect(item.attributes.hsmPlatform).to.equal('0');
    });
  });

  describe('delete, recover, purge, backup, restore', () => {
    it('soft-deletes with recoveryId and dates, recovers, purges (204)', async () => {
      const created = await create('del-key', { kty: 'EC', tags: { x: 'y' } });
      const del = await call(vault(), 'DELETE', '/keys/del-key');
      expect(del.status).to.equal(200);
      expect(del.json.recoveryId).to.equal(`${vault().url}/deletedkeys/del-key`);
      expect(del.json.key).to.deep.equal(created.json.key);
      expect(del.json.scheduledPurgeDate - del.json.deletedDate).to.equal(90 * 86400);
      expectError(await call(vault(), 'GET', '/keys/del-key'), 404, 'KeyNotFound');
      expectError(await create('del-key', { kty: 'EC' }), 409, 'Conflict');
      expect((await call(vault(), 'GET', '/deletedkeys/del-key')).json).to.deep.equal(del.json);
      const deletedList = await call(vault(), 'GET', '/deletedkeys');
      const item = deletedList.json.value.find((k: { kid: string }) => k.kid === `${vault().url}/keys/del-key`);
      expect(item).to.include({ recoveryId: del.json.recoveryId, deletedDate: del.json.deletedDate });
      const recovered = await call(vault(), 'POST', '/deletedkeys/del-key/recover');
      expect(recovered.json.key).to.deep.equal(created.json.key);
      expectError(await call(vault(), 'GET', '/deletedkeys/del-key'), 404, 'KeyNotFound');
      await call(vault(), 'DELETE', '/keys/del-key');
      const purged = await call(vault(), 'DELETE', '/deletedkeys/del-key');
      expect(purged.status).to.equal(204);
      expect(purged.text).to.equal('');
      expectError(await call(vault(), 'GET', '/deletedkeys/del-key'), 404, 'KeyNotFound');
    });

    it('backs up a key with all versions and restores it elsewhere, where it still signs', async () => {
      const v1 = await create('bk-key', { kty: 'EC', crv: 'P-384' });
      await create('bk-key', { kty: 'EC', crv: 'P-384' });
      const backup = await call(vault(), 'POST', '/keys/bk-key/backup');
      expect(backup.json.value).to.match(/^[A-Za-z0-9_-]+$/);
      expectError(await call(vault(), 'POST', '/keys/restore', { body: { value: backup.json.value } }), 409, 'Conflict');
      const secretBackup = await call(vault(), 'POST', '/secrets/restore', { body: { value: backup.json.value } });
      expectError(secretBackup, 400, 'BadParameter');
      const other = await startVault();
      try {
        const restored = await call(other, 'POST', '/keys/restore', { body: { value: backup.json.value } });
        expect(restored.status).to.equal(200);
        const digest = Buffer.alloc(48, 1).toString('base64url');
        const sig = await call(other, 'POST', `/keys/bk-key/${versionOf(v1.json.key.kid)}/sign`, { body: { alg: 'ES384', value: digest } });
        const ok = await call(vault(), 'POST', `/keys/bk-key/${versionOf(v1.json.key.kid)}/verify`, { body: { alg: 'ES384', digest, value: sig.json.value } });
        expect(ok.json.value).to.equal(true);
      } finally {
        await other.stop();
      }
    });
  });

  describe('rotation', () => {
    it('stores a rotation policy with the default Notify action added, as the service', async () => {
      await create('rot', { kty: 'EC' });
      const initial = await call(vault(), 'GET', '/keys/rot/rotationpolicy');
      expect(initial.json.id).to.equal(`${vault().url}/keys/rot/rotationpolicy`);
      expect(initial.json.lifetimeActions).to.deep.equal([{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }]);
      const put = await call(vault(), 'PUT', '/keys/rot/rotationpolicy', { body: { lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'rotate' } }], attributes: {} } });
      expect(put.json.lifetimeActions).to.deep.equal([
        { trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Rotate' } },
        { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } },
      ]);
      expect(put.json.attributes.created).to.be.a('number');
      expect((await call(vault(), 'GET', '/keys/rot/rotationpolicy')).json).to.deep.equal(put.json);
      const ex = await example('7.6/examples/UpdateKeyRotationPolicy-example.json');
      const exPut = await call(vault(), 'PUT', '/keys/rot/rotationpolicy', { body: ex.parameters['keyRotationPolicy'] });
      expect(exPut.json.lifetimeActions).to.deep.equal(ex.body['lifetimeActions']);
      expect(exPut.json.attributes.expiryTime).to.equal('P2Y');
      expectError(await call(vault(), 'PUT', '/keys/rot/rotationpolicy', { body: { lifetimeActions: [{ trigger: { timeAfterCreate: 'soon' }, action: { type: 'Rotate' } }] } }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/keys/rot/rotationpolicy', { body: { lifetimeActions: [{ trigger: {}, action: { type: 'Rotate' } }] } }), 400, 'BadParameter');
      expectError(await call(vault(), 'PUT', '/keys/rot/rotationpolicy', { body: { lifetimeActions: [], attributes: { expiryTime: 'P1D' } } }), 400, 'BadParameter');
      expectError(await call(vault(), 'GET', '/keys/none/rotationpolicy'), 404, 'KeyNotFound');
    });

    it('rotates to a new version of the same type with exp from the policy expiryTime', async () => {
      const first = await create('rotate-me', { kty: 'RSA', key_size: 3072, key_ops: ['sign', 'verify'], tags: { t: '1' } });
      await call(vault(), 'PUT', '/keys/rotate-me/rotationpolicy', { body: { lifetimeActions: [], attributes: { expiryTime: 'P90D' } } });
      const rotated = await call(vault(), 'POST', '/keys/rotate-me/rotate');
      expect(rotated.status).to.equal(200);
      expect(rotated.json.key.kid).to.not.equal(first.json.key.kid);
      expect(rotated.json.key.n).to.not.equal(first.json.key.n);
      expect(Buffer.from(rotated.json.key.n, 'base64url').length).to.equal(384);
      expect(rotated.json.key.key_ops).to.deep.equal(['sign', 'verify']);
      expect(rotated.json.tags).to.deep.equal({ t: '1' });
      expect(rotated.json.attributes.exp - rotated.json.attributes.created).to.equal(90 * 86400);
      expect((await call(vault(), 'GET', '/keys/rotate-me')).json.key.kid).to.equal(rotated.json.key.kid);
      expectError(await call(vault(), 'POST', '/keys/nothing/rotate'), 404, 'KeyNotFound');
    });
  });

  describe('random bytes, release, attestation', () => {
    it('returns count random bytes, 1..128', async () => {
      const a = await call(vault(), 'POST', '/rng', { body: { count: 33 } });
      expect(Buffer.from(a.json.value, 'base64url')).to.have.length(33);
      expect((await call(vault(), 'POST', '/rng', { body: { count: 33 } })).json.value).to.not.equal(a.json.value);
      expectError(await call(vault(), 'POST', '/rng', { body: { count: 0 } }), 400, 'BadParameter');
      expectError(await call(vault(), 'POST', '/rng', { body: { count: 129 } }), 400, 'BadParameter');
      expectError(await call(vault(), 'POST', '/rng', { body: {} }), 400, 'BadParameter');
    });

    const policy = { contentType: 'application/json; charset=utf-8', data: Buffer.from(JSON.stringify({ anyOf: [{ allOf: [{ claim: 'x', equals: 'y' }], authority: 'https://a' }], version: '1.0.0' })).toString('base64url') };

    it('releases an exportable key as a signed token carrying it, wrapped for an RSA key in the target', async () => {
      const a = await create('exportable', { kty: 'RSA-HSM', attributes: { exportable: true }, release_policy: policy });
      expect(a.json.attributes.exportable).to.equal(true);
      expect(a.json.release_policy).to.deep.equal(policy);
      const ex = await example('7.6/examples/release-example.json');
      const target = (ex.parameters['parameters'] as { target: string }).target;
      const released = await call(vault(), 'POST', `/keys/exportable/${versionOf(a.json.key.kid)}/release`, { body: { target, nonce: 'n1' } });
      expect(released.status).to.equal(200);
      const [header, payload, signature] = released.json.value.split('.');
      expect(signature).to.be.a('string').and.not.empty;
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).to.include({ alg: 'ES256' });
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      expect(claims.request).to.include({ nonce: 'n1', enc: 'CKM_RSA_AES_KEY_WRAP', kid: a.json.key.kid });
      expect(claims.response.key.key.n).to.equal(a.json.key.n);
      const keyHsm = JSON.parse(Buffer.from(claims.response.key.key.key_hsm, 'base64url').toString());
      expect(keyHsm.header.enc).to.equal('CKM_RSA_AES_KEY_WRAP');
      // The example target carries an RSA-2048 key: RSA-OAEP block (256 bytes) then the AES-KWP-wrapped PKCS#8.
      expect(Buffer.from(keyHsm.ciphertext, 'base64url').length).to.be.greaterThan(256 + 1000);
    });

    it('refuses release of a non-exportable key and checks inputs', async () => {
      const a = await create('not-exportable', { kty: 'RSA' });
      expectError(await call(vault(), 'POST', `/keys/not-exportable/${versionOf(a.json.key.kid)}/release`, { body: { target: 'x.y.z' } }), 403, 'Forbidden');
      expectError(await call(vault(), 'POST', `/keys/not-exportable/${versionOf(a.json.key.kid)}/release`, { body: {} }), 400, 'BadParameter');
      expectError(await create('policy-only', { kty: 'RSA', release_policy: policy }), 400, 'BadParameter');
      expectError(await create('bad-policy', { kty: 'RSA', attributes: { exportable: true }, release_policy: { data: 'not json!' } }), 400, 'BadParameter');
    });

    it('attests HSM keys only', async () => {
      const ex = await example('2025-07-01/examples/GetKeyAttestation-example.json');
      const hsm = await create('attested', { kty: 'RSA-HSM', tags: { purpose: 'unit test' } });
      const a = await call(vault(), 'GET', `/keys/attested/${versionOf(hsm.json.key.kid)}/attestation`, { apiVersion: '2025-07-01' });
      expect(a.status).to.equal(200);
      expect([...fieldsOf(a.json)]).to.include.members([...fieldsOf(ex.body)].filter((f) => !f.startsWith('tags.')));
      expect(Buffer.from(a.json.attributes.attestation.certificatePemFile, 'base64').toString()).to.match(/^-----BEGIN CERTIFICATE-----/);
      expect(a.json.key).to.deep.equal(hsm.json.key);
      const soft = await create('software', { kty: 'RSA' });
      expectError(await call(vault(), 'GET', `/keys/software/${versionOf(soft.json.key.kid)}/attestation`, { apiVersion: '2025-07-01' }), 400, 'BadParameter');
    });
  });
});
