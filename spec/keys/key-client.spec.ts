import { expect } from 'chai';
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ConflictError, ForbiddenError, KeyClient, NotFoundError, ValidationError } from '../../lib/index.js';
import { countingCredential, expectChallenge, vault, VAULT } from '../helpers/mock.js';
import { API, crud, example, ready, rotation } from './fixtures.js';

const NAME = 'livekvtestkey-nameca6733e9';
const EC_VERSION = '49e339118cb240019848c324a4d178ec';
const RECORDED_ID = `https://vaultname.vault.azure.net/keys/${NAME}/${EC_VERSION}`;
const ROTATING = 'key-rotation-sample-key-1776798424386';
const b64 = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString('base64url');

describe('KeyClient', () => {
  describe('create and import', () => {
    it('createEcKey sends {kty, attributes} and maps the bundle: Uint8Array x/y, dates, keyOps, properties', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.post(`/keys/${ROTATING}/create`, { kty: 'EC', attributes: {} }).query(API).matchHeader('content-type', 'application/json').reply(200, rotation[1]!.ResponseBody);
      const key = await keys.createEcKey(ROTATING);
      expect(key.name).to.equal(ROTATING);
      expect(key.id).to.equal(`https://keyvault_name.vault.azure.net/keys/${ROTATING}/8303f11d0c044c75b32e238bcb79dc5b`);
      expect(key.keyType).to.equal('EC');
      expect(key.keyOperations).to.deep.equal(['sign', 'verify']);
      expect(key.key?.crv).to.equal('P-256');
      expect(key.key?.x).to.be.instanceOf(Uint8Array).with.length(32);
      expect(b64(key.key?.x)).to.equal('akQkoTxfnBsmny7z0G8pdZqq3L2u9q63T5OnAqWnDnw');
      expect(key.properties).to.deep.include({
        name: ROTATING, version: '8303f11d0c044c75b32e238bcb79dc5b', vaultUrl: 'https://keyvault_name.vault.azure.net',
        enabled: true, recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 7, exportable: false, hsmPlatform: '0',
      });
      expect(key.properties.createdOn?.getTime()).to.equal(1776798427000);
      scope.done();
    });

    it('createRsaKey with hsm/keySize/keyOps/expiresOn/tags/publicExponent, createKey and createOctKey send exactly those fields', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      const ops = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];
      scope.post(`/keys/${NAME}/create`, { kty: 'RSA-HSM', key_size: 2048, public_exponent: 65537, key_ops: ops, attributes: { exp: 2527401600 }, tags: { a: 'b' } }).query(API).reply(200, crud[1]!.ResponseBody);
      scope.post(`/keys/${NAME}/create`, { kty: 'EC', crv: 'P-256K', attributes: { enabled: false, nbf: 1700000000 } }).query(API).reply(200, crud[3]!.ResponseBody);
      scope.post('/keys/sym/create', { kty: 'oct-HSM', key_size: 256, attributes: { exportable: true }, release_policy: { contentType: 'application/json; charset=utf-8', immutable: true, data: b64(Buffer.from('{"anyOf":[]}')) } })
        .query(API).reply(200, { key: { kid: `${VAULT}/keys/sym/0123456789abcdef0123456789abcdef`, kty: 'oct-HSM', key_ops: ['encrypt', 'decrypt'] }, attributes: { enabled: true, exportable: true }, release_policy: { contentType: 'application/json; charset=utf-8', immutable: true, data: b64(Buffer.from('{"anyOf":[]}')) } });
      const rsa = await keys.createRsaKey(NAME, { hsm: true, keySize: 2048, publicExponent: 65537, keyOps: ops, expiresOn: new Date(2527401600e3), tags: { a: 'b' } });
      expect(rsa.keyType).to.equal('RSA-HSM');
      expect(rsa.key?.n).to.have.length(256);
      expect(rsa.properties.expiresOn?.toISOString()).to.equal('2050-02-02T08:00:00.000Z');
      const ec = await keys.createKey(NAME, 'EC', { curve: 'P-256K', enabled: false, notBefore: new Date(1700000000e3) });
      expect(ec.properties.version).to.equal(EC_VERSION);
      const oct = await keys.createOctKey('sym', {
        hsm: true, keySize: 256, exportable: true,
        releasePolicy: { contentType: 'application/json; charset=utf-8', immutable: true, encodedPolicy: new Uint8Array(Buffer.from('{"anyOf":[]}')) },
      });
      expect(oct.properties.exportable).to.equal(true);
      expect(Buffer.from(oct.properties.releasePolicy!.encodedPolicy!).toString()).to.equal('{"anyOf":[]}');
      expect(oct.properties.releasePolicy?.immutable).to.equal(true);
      scope.done();
    });

    it('importKey sends the JsonWebKey base64url (private parts included) with Hsm, and the answer keeps no private part', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      const jwk = { kty: 'RSA', keyOps: ['sign', 'verify'], n: new Uint8Array([1, 2, 3]), e: new Uint8Array([1, 0, 1]), d: new Uint8Array([9, 9]), p: new Uint8Array([7]), q: new Uint8Array([5]), dp: new Uint8Array([4]), dq: new Uint8Array([3]), qi: new Uint8Array([2]) };
      scope.put('/keys/imported', {
        key: { kty: 'RSA', key_ops: ['sign', 'verify'], n: 'AQID', e: 'AQAB', d: 'CQk', p: 'Bw', q: 'BQ', dp: 'BA', dq: 'Aw', qi: 'Ag' },
        Hsm: true, attributes: { enabled: true }, tags: { t: '1' },
      }).query(API).reply(200, { key: { kid: `${VAULT}/keys/imported/0123456789abcdef0123456789abcdef`, kty: 'RSA-HSM', key_ops: ['sign', 'verify'], n: 'AQID', e: 'AQAB' }, attributes: { enabled: true } });
      const key = await keys.importKey('imported', jwk, { hardwareProtected: true, enabled: true, tags: { t: '1' } });
      expect(key.key?.d).to.equal(undefined);
      expect(Array.from(key.key!.n!)).to.deep.equal([1, 2, 3]);
      scope.done();
    });

    it('keeps private key members out of JSON, inspect and spreads, yet readable (and re-importable)', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.get('/keys/exported/').query(API).reply(200, { key: { kid: `${VAULT}/keys/exported/0123456789abcdef0123456789abcdef`, kty: 'oct', k: 'U0VOVElORUwtU0VOVElORUw', d: 'U0VOVElORUw' }, attributes: {} });
      const key = await keys.getKey('exported');
      expect(Buffer.from(key.key!.k!).toString()).to.equal('SENTINEL-SENTINEL');
      expect(JSON.stringify(key)).to.not.match(/"k"|"d"/);
      expect(inspect(key, { depth: 10 })).to.not.match(/\b[kd]: /).and.not.include('SENTINEL');
      expect({ ...key.key }).to.not.have.property('k');
      scope.put('/keys/copy', { key: { kid: `${VAULT}/keys/exported/0123456789abcdef0123456789abcdef`, kty: 'oct', d: 'U0VOVElORUw', k: 'U0VOVElORUwtU0VOVElORUw' }, attributes: {} })
        .query(API).reply(200, { key: { kid: `${VAULT}/keys/copy/0123456789abcdef0123456789abcdef`, kty: 'oct' }, attributes: {} });
      await keys.importKey('copy', key.key!);
      expect(inspect(keys)).to.equal(`KeyClient { vaultUrl: '${VAULT}' }`);
      scope.done();
    });
  });

  describe('read and update', () => {
    it('getKey asks for the latest with a trailing slash, or a version, or an id URL of this vault', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.get(`/keys/${NAME}/`).query(API).reply(200, crud[4]!.ResponseBody);
      scope.get(`/keys/${NAME}/${EC_VERSION}`).query(API).twice().reply(200, crud[5]!.ResponseBody);
      expect((await keys.getKey(NAME)).id).to.equal(RECORDED_ID);
      expect((await keys.getKey(NAME, { version: EC_VERSION })).properties.version).to.equal(EC_VERSION);
      expect((await keys.getKey(`${VAULT}/keys/${NAME}/${EC_VERSION}`)).key?.kty).to.equal('EC');
      scope.done();
    });

    it('updateKeyProperties takes (name, version, options) and (name, options) = latest', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.patch(`/keys/${NAME}/`, { attributes: { exp: 2524723200 }, tags: { foo: 'updated tag' } }).query(API).reply(200, crud[6]!.ResponseBody);
      scope.patch(`/keys/${NAME}/${EC_VERSION}`, { key_ops: ['verify'], attributes: { enabled: false } }).query(API).reply(200, crud[6]!.ResponseBody);
      const latest = await keys.updateKeyProperties(NAME, { expiresOn: new Date(2524723200e3), tags: { foo: 'updated tag' } });
      expect(latest.properties.tags).to.deep.equal({ foo: 'updated tag' });
      expect(latest.properties.expiresOn?.getTime()).to.equal(2524723200e3);
      await keys.updateKeyProperties(NAME, EC_VERSION, { keyOps: ['verify'], enabled: false });
      scope.done();
    });

    it('updateKeyProperties$ has both argument forms too', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.patch(`/keys/${NAME}/`, { attributes: { enabled: true }, tags: {} }).query(API).reply(200, crud[6]!.ResponseBody);
      scope.patch(`/keys/${NAME}/${EC_VERSION}`, { attributes: {} }).query(API).reply(200, crud[6]!.ResponseBody);
      expect((await firstValueFrom(keys.updateKeyProperties$(NAME, { enabled: true, tags: {} }))).name).to.equal(NAME);
      expect((await firstValueFrom(keys.updateKeyProperties$(NAME, EC_VERSION))).name).to.equal(NAME);
      scope.done();
    });

    it('getKeyAttestation reads /attestation (latest without a version segment) and maps the blobs to bytes', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      const body = example('2025-07-01', 'GetKeyAttestation');
      scope.get('/keys/KeyAttestationTest/78deebed173b48e48f55abf87ed4cf71/attestation').query(API).reply(200, body);
      scope.get('/keys/KeyAttestationTest/attestation').query(API).reply(200, body);
      const key = await keys.getKeyAttestation('KeyAttestationTest', { version: '78deebed173b48e48f55abf87ed4cf71' });
      const attestation = key.properties.attestation!;
      expect(attestation.certificatePemFile).to.be.instanceOf(Uint8Array);
      expect(Buffer.from(attestation.certificatePemFile!).toString()).to.match(/^-----BEGIN CERTIFICATE-----/);
      // The example's blobs are truncated (not canonical base64url): compare the bytes they decode to.
      expect(Buffer.from(attestation.publicKeyAttestation!)).to.deep.equal(Buffer.from(body.attributes.attestation.publicKeyAttestation, 'base64url'));
      expect(Buffer.from(attestation.privateKeyAttestation!)).to.deep.equal(Buffer.from(body.attributes.attestation.privateKeyAttestation, 'base64url'));
      expect((await keys.getKeyAttestation('KeyAttestationTest')).properties.tags).to.deep.equal(body.tags);
      scope.done();
    });
  });

  describe('delete, recover, purge, backup', () => {
    it('beginDeleteKey polls the deleted key through 404 until it is there', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.delete(`/keys/${NAME}`).query(API).reply(200, crud[7]!.ResponseBody);
      scope.get(`/deletedkeys/${NAME}`).query(API).reply(404, crud[8]!.ResponseBody);
      scope.get(`/deletedkeys/${NAME}`).query(API).reply(200, crud[9]!.ResponseBody);
      const poller = await keys.beginDeleteKey(NAME, { intervalInMs: 0 });
      expect(poller.isDone()).to.equal(false);
      const deleted = await poller.pollUntilDone();
      expect(deleted.name).to.equal(NAME);
      expect(deleted.properties.recoveryId).to.equal(`https://vaultname.vault.azure.net/deletedkeys/${NAME}`);
      expect(deleted.properties.deletedOn?.getTime()).to.equal(1748906968000);
      expect(deleted.properties.scheduledPurgeDate?.getTime()).to.equal(1749511768000);
      expect(deleted.key?.crv).to.equal('P-256');
      scope.done();
    });

    it('beginDeleteKey ends at once without soft-delete (no recoveryId)', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.delete('/keys/plain').query(API).reply(200, { key: { kid: `${VAULT}/keys/plain/00000000000000000000000000000001`, kty: 'RSA' }, attributes: {} });
      const poller = await keys.beginDeleteKey('plain', { intervalInMs: 0 });
      expect(poller.isDone()).to.equal(true);
      expect((await poller.pollUntilDone()).name).to.equal('plain');
      scope.done();
    });

    it('beginRecoverDeletedKey polls the key through 404 until it is back; beginDeleteKey$ emits each state', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.post(`/deletedkeys/${NAME}/recover`).query(API).reply(200, crud[5]!.ResponseBody);
      scope.get(`/keys/${NAME}/`).query(API).reply(404, { error: { code: 'KeyNotFound', message: 'not yet' } });
      scope.get(`/keys/${NAME}/`).query(API).reply(200, crud[5]!.ResponseBody);
      const recovered = await (await keys.beginRecoverDeletedKey(NAME, { intervalInMs: 0 })).pollUntilDone();
      expect(recovered.properties.version).to.equal(EC_VERSION);
      scope.delete(`/keys/${NAME}`).query(API).reply(200, crud[7]!.ResponseBody);
      scope.get(`/deletedkeys/${NAME}`).query(API).reply(200, crud[9]!.ResponseBody);
      const states = await lastValueFrom(keys.beginDeleteKey$(NAME, { intervalInMs: 0 }).pipe(toArray()));
      expect(states.at(-1)).to.include({ isCompleted: true, name: NAME });
      expect(states.at(-1)?.result?.properties.recoveryId).to.be.a('string');
      scope.done();
    });

    it('getDeletedKey, purgeDeletedKey (204), listDeletedKeys (items without material)', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.get(`/deletedkeys/${NAME}`).query(API).reply(200, crud[9]!.ResponseBody);
      scope.delete(`/deletedkeys/${NAME}`).query(API).reply(204);
      scope.get('/deletedkeys').query(API).reply(200, {
        value: [{ kid: `${VAULT}/keys/gone/0123456789abcdef0123456789abcdef`, recoveryId: `${VAULT}/deletedkeys/gone`, deletedDate: 1700000000, scheduledPurgeDate: 1700604800, attributes: { enabled: true } }],
        nextLink: null,
      });
      expect((await keys.getDeletedKey(NAME)).properties.tags).to.deep.equal({ foo: 'updated tag' });
      expect(await keys.purgeDeletedKey(NAME)).to.equal(undefined);
      const deleted = [];
      for await (const item of keys.listDeletedKeys()) deleted.push(item);
      expect(deleted).to.have.length(1);
      expect(deleted[0]!.name).to.equal('gone');
      expect(deleted[0]!.properties.deletedOn?.getTime()).to.equal(1700000000000);
      expect(deleted[0]!.properties.recoveryId).to.equal(`${VAULT}/deletedkeys/gone`);
      scope.done();
    });

    it('backupKey returns bytes; restoreKeyBackup sends them back base64url', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      const blob = Buffer.from('opaque backup blob \u00ff').toString('base64url');
      scope.post(`/keys/${NAME}/backup`).query(API).reply(200, { value: blob });
      scope.post('/keys/restore', { value: blob }).query(API).reply(200, crud[5]!.ResponseBody);
      const bytes = await keys.backupKey(NAME);
      expect(bytes).to.be.instanceOf(Uint8Array);
      expect(b64(bytes)).to.equal(blob);
      expect((await keys.restoreKeyBackup(bytes)).name).to.equal(NAME);
      scope.done();
    });
  });

  describe('listings', () => {
    it('listPropertiesOfKeys follows nextLink page by page and maps items; byPage honours maxPageSize', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      const first = example('7.6', 'GetKeys');
      const next = new URL(first.nextLink);
      scope.get('/keys').query({ ...API, maxresults: 1 }).reply(200, { ...first, nextLink: `${VAULT}${next.pathname}${next.search}` });
      scope.get('/keys').query((q) => q['$skiptoken'] !== undefined && q['api-version'] === '2025-07-01').reply(200, { value: [{ kid: `${VAULT}/keys/second`, attributes: { enabled: false } }], nextLink: null });
      const pages = [];
      for await (const page of keys.listPropertiesOfKeys().byPage({ maxPageSize: 1 })) pages.push(page);
      expect(pages).to.have.length(2);
      expect(pages[0]![0]).to.deep.include({ name: 'sdktestkey', vaultUrl: 'https://myvault.vault.azure.net', enabled: true, recoveryLevel: 'Recoverable+Purgeable' });
      expect(pages[0]![0]!.version).to.equal(undefined);
      expect(pages[0]!.continuationToken).to.include('$skiptoken=');
      expect(pages[1]![0]).to.deep.include({ name: 'second', enabled: false });
      scope.done();
    });

    it('listPropertiesOfKeyVersions and its $ twin emit the versions', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      const body = { ...example('7.6', 'GetKeyVersions'), nextLink: null };
      scope.get('/keys/listkeyversionstest/versions').query({ ...API, maxresults: 5 }).twice().reply(200, body);
      const versions = [];
      for await (const item of keys.listPropertiesOfKeyVersions('listkeyversionstest', { maxPageSize: 5 })) versions.push(item);
      expect(versions.map((v) => v.version)).to.deep.equal(['7c9dc67.6d0e4177827c4f98f482fc12']);
      const emitted = await lastValueFrom(keys.listPropertiesOfKeyVersions$('listkeyversionstest', { maxPageSize: 5 }).pipe(toArray()));
      expect(emitted).to.deep.equal(versions);
      scope.done();
    });
  });

  describe('rotation, random bytes, release', () => {
    it('updateKeyRotationPolicy sends the recorded bodies and maps durations, actions and dates', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.put(`/keys/${ROTATING}/rotationpolicy`, rotation[2]!.RequestBody as Record<string, string>).query(API).reply(200, rotation[2]!.ResponseBody);
      scope.put(`/keys/${ROTATING}/rotationpolicy`, rotation[4]!.RequestBody as Record<string, string>).query(API).reply(200, rotation[4]!.ResponseBody);
      const first = await keys.updateKeyRotationPolicy(ROTATING, { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }] });
      expect(first).to.deep.equal({
        id: `https://keyvault_name.vault.azure.net/keys/${ROTATING}/rotationpolicy`,
        lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }, { action: 'Notify', timeBeforeExpiry: 'P30D' }],
        createdOn: new Date(1776798427000),
        updatedOn: new Date(1776798427000),
      });
      const second = await keys.updateKeyRotationPolicy(ROTATING, { expiresIn: 'P90D', lifetimeActions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] });
      expect(second.expiresIn).to.equal('P90D');
      scope.done();
    });

    it('getKeyRotationPolicy maps the spec example; action case is normalised', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      const body = example('7.6', 'GetKeyRotationPolicy');
      body.lifetimeActions[0].action.type = 'rotate';
      scope.get('/keys/key01/rotationpolicy').query(API).reply(200, body);
      const policy = await keys.getKeyRotationPolicy('key01');
      expect(policy.lifetimeActions).to.deep.equal([{ action: 'Rotate', timeAfterCreate: 'P90D' }, { action: 'Notify', timeBeforeExpiry: 'P30D' }]);
      expect(policy.expiresIn).to.equal('P2Y');
      expect(policy.createdOn?.getTime()).to.equal(1482188947000);
      scope.done();
    });

    it('rejects malformed rotation policies before sending', async () => {
      const { keys } = ready();
      const bad = [
        { expiresIn: '90 days' },
        { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P' }] },
        { lifetimeActions: [{ action: 'Explode', timeAfterCreate: 'P30D' }] },
        { lifetimeActions: [{ action: 'Rotate' }] },
        { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P1D', timeBeforeExpiry: 'P1D' }] },
      ];
      for (const policy of bad) {
        const error = await keys.updateKeyRotationPolicy('k', policy as never).catch((e: unknown) => e);
        expect(error, JSON.stringify(policy)).to.be.instanceOf(ValidationError);
      }
    });

    it('rotateKey posts /rotate and returns the new version', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.post(`/keys/${ROTATING}/rotate`).query(API).reply(200, rotation[5]!.ResponseBody);
      const key = await keys.rotateKey(ROTATING);
      expect(key.properties.version).to.equal('e9768ea5d99240dab49d02d4e9b7f333');
      expect(key.properties.expiresOn?.getTime()).to.equal(1784574427000);
      scope.done();
    });

    it('getRandomBytes posts {count} to /rng; counts outside 1..128 are refused before sending', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.post('/rng', { count: 4 }).query(API).reply(200, { value: 'AQIDBA' });
      expect(Array.from(await keys.getRandomBytes(4))).to.deep.equal([1, 2, 3, 4]);
      for (const count of [0, 129, 1.5]) expect(await keys.getRandomBytes(count).catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
      scope.done();
    });

    it('releaseKey posts {target, nonce, enc}, to /release for the latest and /{version}/release for a version', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.post('/keys/exportable-aes-key/release', { target: 'attestation-jwt', nonce: 'n1', enc: 'CKM_RSA_AES_KEY_WRAP' }).query(API).reply(200, { value: 'signed.release.token' });
      scope.post('/keys/exportable-aes-key/4eb68492b5f6421e835d961ad2be3155/release', { target: 'attestation-jwt' }).query(API).reply(200, { value: 'other.token' });
      expect(await keys.releaseKey('exportable-aes-key', 'attestation-jwt', { nonce: 'n1', algorithm: 'CKM_RSA_AES_KEY_WRAP' })).to.deep.equal({ value: 'signed.release.token' });
      expect((await keys.releaseKey('exportable-aes-key', 'attestation-jwt', { version: '4eb68492b5f6421e835d961ad2be3155' })).value).to.equal('other.token');
      scope.done();
    });
  });

  describe('errors, validation, faces', () => {
    it('maps Key Vault errors to typed errors with code, status and request id', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.get(`/deletedkeys/${NAME}`).query(API).reply(404, crud[8]!.ResponseBody, { 'x-ms-request-id': 'req-7' });
      scope.post('/keys/restore').query(API).reply(409, { error: { code: 'Conflict', message: 'Key already exists' } });
      scope.get('/keys/off/').query(API).reply(403, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled key.' } });
      const missing = await keys.getDeletedKey(NAME).catch((e: unknown) => e);
      expect(missing).to.be.instanceOf(NotFoundError).and.include({ statusCode: 404, code: 'KeyNotFound', requestId: 'req-7', method: 'GET', path: `/deletedkeys/${NAME}` });
      expect((missing as Error).message).to.include('Deleted Key not found');
      expect(await keys.restoreKeyBackup(new Uint8Array([1])).catch((e: unknown) => e)).to.be.instanceOf(ConflictError);
      expect(await keys.getKey('off').catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError).and.include({ code: 'Forbidden' });
      scope.done();
    });

    it('rejects invalid names, versions, ids and inputs before anything is sent', async () => {
      const { keys } = ready();
      for (const bad of ['', 'has space', 'a/b', 'x'.repeat(128), 'ünï']) {
        expect(await keys.getKey(bad).catch((e: unknown) => e), bad).to.be.instanceOf(ValidationError).and.include({ code: 'InvalidName' });
        expect(await keys.createRsaKey(bad).catch((e: unknown) => e), bad).to.be.instanceOf(ValidationError);
      }
      expect(await keys.getKey('ok', { version: '../x' }).catch((e: unknown) => e)).to.include({ code: 'InvalidVersion' });
      expect(await keys.getKey('https://other.vault.azure.net/keys/x/1').catch((e: unknown) => e)).to.include({ code: 'ForeignHost' });
      expect(await keys.getKey(`${VAULT}/secrets/x/1`).catch((e: unknown) => e)).to.include({ code: 'InvalidId' });
      expect(await keys.restoreKeyBackup(new Uint8Array()).catch((e: unknown) => e)).to.include({ code: 'InvalidBackup' });
      expect(await keys.importKey('k', {} as never).catch((e: unknown) => e)).to.include({ code: 'InvalidKey' });
      expect(await keys.importKey('k', { kty: 'RSA', n: 'AQID' } as never).catch((e: unknown) => e)).to.include({ code: 'InvalidKey' });
      expect(await keys.releaseKey('k', '').catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
      expect(() => keys.getCryptographyClient('bad name')).to.throw(ValidationError);
      // nock has no interceptor but the warm-up: any request would have failed with a network error instead.
    });

    it('getKey$ emits the same key as getKey, and nothing is sent before subscribe', async () => {
      const { keys, scope, warm } = ready();
      await warm();
      scope.get(`/keys/${NAME}/`).query(API).twice().reply(200, crud[4]!.ResponseBody);
      const cold = keys.getKey$(NAME);
      expect(scope.pendingMocks()).to.have.length(1);
      const [viaPromise, viaObservable] = [await keys.getKey(NAME), await firstValueFrom(cold)];
      expect(viaObservable).to.deep.equal(viaPromise);
      scope.done();
    });

    it('every async method has a $ twin', () => {
      const proto = KeyClient.prototype as unknown as Record<string, unknown>;
      const names = ['createKey', 'createRsaKey', 'createEcKey', 'createOctKey', 'importKey', 'getKey', 'getKeyAttestation', 'updateKeyProperties', 'beginDeleteKey', 'getDeletedKey',
        'beginRecoverDeletedKey', 'purgeDeletedKey', 'backupKey', 'restoreKeyBackup', 'rotateKey', 'getKeyRotationPolicy', 'updateKeyRotationPolicy', 'getRandomBytes', 'releaseKey',
        'listPropertiesOfKeys', 'listPropertiesOfKeyVersions', 'listDeletedKeys'];
      for (const name of names) expect(proto[`${name}$`], name).to.be.a('function');
      expect(proto['getCryptographyClient$']).to.equal(undefined);
    });

    it('kv.keys is one lazy instance; a standalone KeyClient does its own challenge', async () => {
      const { client } = ready();
      expect(client.keys).to.equal(client.keys);
      const { credential, calls } = countingCredential('standalone');
      const keys = new KeyClient(VAULT, credential, { fetch: (i, init) => fetch(i, init) });
      const scope = vault();
      expectChallenge(scope, 'get', '/keys/k/');
      scope.get('/keys/k/').query(API).matchHeader('authorization', 'Bearer standalone').reply(200, { key: { kid: `${VAULT}/keys/k/0123456789abcdef0123456789abcdef`, kty: 'RSA' } });
      expect((await keys.getKey('k')).name).to.equal('k');
      expect(calls).to.have.length(1);
      expect(keys.authStats.challenges).to.equal(1);
      scope.done();
    });
  });
});
