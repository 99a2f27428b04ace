import { createHash, createPublicKey, verify } from 'node:crypto';
import { expect } from 'chai';
import { type RunningVault, startVault } from '../../lib/emulator/index.js';
import { API_VERSIONS } from '../../lib/emulator/versions.js';
import { call, expectError } from './http.js';

// When each field and operation appeared (azure-rest-api-specs, data-plane/Microsoft.KeyVault/<version>).
const SINCE = { recoverableDays: '7.1', exportable: '7.3', release_policy: '7.3', rotation: '7.3', rng: '7.3', hsmPlatform: '7.5', attestation: '7.6' } as const;
const ORDER = ['2016-10-01', '7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01'];
const RELEASE_POLICY = {
  contentType: 'application/json; charset=utf-8',
  data: Buffer.from(JSON.stringify({ anyOf: [{ allOf: [{ claim: 'x', equals: 'y' }], authority: 'https://a' }], version: '1.0.0' })).toString('base64url'),
};
const base = (v: string) => v.replace(/-preview(\.\d+)?$/, '');
const atLeast = (v: string, since: string) => ORDER.indexOf(base(v)) >= ORDER.indexOf(since);

describe('emulator api-versions', () => {
  let vault: RunningVault;
  before(async () => (vault = await startVault()));
  after(async () => vault.stop());

  it('accepts every version the service does, previews included', () => {
    expect(API_VERSIONS).to.deep.equal([
      '2016-10-01', '7.0', '7.1', '7.2', '7.3-preview', '7.3', '7.4-preview.1', '7.4', '7.5-preview.1', '7.5', '7.6-preview.1', '7.6-preview.2', '7.6', '2025-07-01',
    ]);
  });

  it('refuses an unknown version with the service BadParameter, naming the latest', async () => {
    for (const v of ['7.7', '2015-06-01', '7.4-preview', '6.0']) {
      const answer = await call(vault, 'GET', '/secrets', { apiVersion: v });
      expectError(answer, 400, 'BadParameter');
      expect(answer.json.error.message).to.equal(`The specified version (${v}) is not recognized. Consider using the latest supported version (2025-07-01).`);
    }
  });

  it('2025-07-01 converts a certificate secret from PFX to PEM on outContentType; earlier versions ignore the parameter', async () => {
    const policy = { key_props: { kty: 'EC', crv: 'P-256', exportable: true }, secret_props: { contentType: 'application/x-pkcs12' }, x509_props: { subject: 'CN=out.test', validity_months: 12 }, issuer: { name: 'Self' } };
    const created = await call(vault, 'POST', '/certificates/out-content/create', { apiVersion: '2025-07-01', body: { policy } });
    expect(created.status, created.text).to.equal(202);
    const path = '/secrets/out-content?outContentType=application/x-pem-file';
    const pem = await call(vault, 'GET', path, { apiVersion: '2025-07-01' });
    expect(pem.json.contentType).to.equal('application/x-pem-file');
    expect(pem.json.value).to.match(/^-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
    const older = await call(vault, 'GET', path, { apiVersion: '7.6' });
    expect(older.json.contentType).to.equal('application/x-pkcs12');
    expect(Buffer.from(older.json.value, 'base64')[0]).to.equal(0x30);
    expectError(await call(vault, 'GET', '/secrets/out-content?outContentType=text/plain', { apiVersion: '2025-07-01' }), 400, 'BadParameter');
    // PEM → PFX is not converted: the PEM comes back as stored.
    const pemPolicy = { ...policy, secret_props: { contentType: 'application/x-pem-file' } };
    expect((await call(vault, 'POST', '/certificates/out-pem/create', { apiVersion: '2025-07-01', body: { policy: pemPolicy } })).status).to.equal(202);
    const asStored = await call(vault, 'GET', '/secrets/out-pem?outContentType=application/x-pkcs12', { apiVersion: '2025-07-01' });
    expect(asStored.json.contentType).to.equal('application/x-pem-file');
    expect(asStored.json.value).to.match(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('2025-07-01 names the previous certificate version on a certificate\'s secret (previousVersion); plain secrets and earlier versions have none', async () => {
    const policy = { key_props: { kty: 'EC', crv: 'P-256' }, secret_props: { contentType: 'application/x-pem-file' }, x509_props: { subject: 'CN=prev.test' }, issuer: { name: 'Self' } };
    const versionOf = (id: string): string => id.split('/').pop()!;
    const first = await call(vault, 'POST', '/certificates/prev-cert/create', { apiVersion: '2025-07-01', body: { policy } });
    expect(first.status, first.text).to.equal(202);
    const v1 = versionOf((await call(vault, 'GET', '/certificates/prev-cert', { apiVersion: '2025-07-01' })).json.id);
    expect((await call(vault, 'POST', '/certificates/prev-cert/create', { apiVersion: '2025-07-01', body: { policy } })).status).to.equal(202);
    const v2 = versionOf((await call(vault, 'GET', '/certificates/prev-cert', { apiVersion: '2025-07-01' })).json.id);
    expect(v2).to.not.equal(v1);

    const latest = await call(vault, 'GET', '/secrets/prev-cert', { apiVersion: '2025-07-01' });
    expect(latest.json).to.include({ managed: true, previousVersion: v1 });
    expect(versionOf(latest.json.id)).to.equal(v2);
    const oldest = await call(vault, 'GET', `/secrets/prev-cert/${v1}`, { apiVersion: '2025-07-01' });
    expect(oldest.json).to.not.have.property('previousVersion');
    expect((await call(vault, 'GET', '/secrets/prev-cert', { apiVersion: '7.6' })).json).to.not.have.property('previousVersion');
    // SecretItem has no such field.
    const versions = await call(vault, 'GET', '/secrets/prev-cert/versions', { apiVersion: '2025-07-01' });
    for (const item of versions.json.value) expect(item).to.not.have.property('previousVersion');
    // A plain secret's versions are not certificate versions.
    await call(vault, 'PUT', '/secrets/prev-plain', { apiVersion: '2025-07-01', body: { value: 'a' } });
    const plain = await call(vault, 'PUT', '/secrets/prev-plain', { apiVersion: '2025-07-01', body: { value: 'b' } });
    expect(plain.json).to.not.have.property('previousVersion');
    // DeletedSecretBundle carries it too: the certificate's secret is deleted with the certificate.
    expect((await call(vault, 'DELETE', '/certificates/prev-cert', { apiVersion: '2025-07-01' })).status).to.equal(200);
    expect((await call(vault, 'GET', '/deletedsecrets/prev-cert', { apiVersion: '2025-07-01' })).json).to.include({ previousVersion: v1 });
  });

  it('answers preserveCertOrder (7.5+) on the certificate, its operation and its deleted bundle when the request set it, and nowhere else', async () => {
    const policy = { key_props: { kty: 'EC', crv: 'P-256' }, x509_props: { subject: 'CN=order.test' }, issuer: { name: 'Self' } };
    const created = await call(vault, 'POST', '/certificates/order/create', { apiVersion: '7.6', body: { policy, preserveCertOrder: true } });
    expect(created.status, created.text).to.equal(202);
    expect(created.json.preserveCertOrder).to.equal(true);
    expect((await call(vault, 'GET', '/certificates/order/pending', { apiVersion: '7.6' })).json.preserveCertOrder).to.equal(true);
    const bundle = await call(vault, 'GET', '/certificates/order', { apiVersion: '7.6' });
    expect(bundle.json).to.include({ preserveCertOrder: true });
    expect(bundle.json.cer).to.be.a('string');
    // Before 7.5 the field does not exist; and a certificate made without it answers none (as recorded on 7.6).
    expect((await call(vault, 'GET', '/certificates/order', { apiVersion: '7.4' })).json).to.not.have.property('preserveCertOrder');
    expect((await call(vault, 'POST', '/certificates/unordered/create', { apiVersion: '7.6', body: { policy } })).json).to.not.have.property('preserveCertOrder');
    expect((await call(vault, 'GET', '/certificates/unordered', { apiVersion: '7.6' })).json).to.not.have.property('preserveCertOrder');
    expect((await call(vault, 'DELETE', '/certificates/order', { apiVersion: '7.6' })).json).to.include({ preserveCertOrder: true });
    const pfx = (await call(vault, 'GET', '/secrets/unordered', { apiVersion: '7.6' })).json.value as string;
    const imported = await call(vault, 'POST', '/certificates/order-imported/import', { apiVersion: '7.6', body: { value: pfx, preserveCertOrder: false } });
    expect(imported.status, imported.text).to.equal(200);
    expect(imported.json).to.include({ preserveCertOrder: false });
    expectError(await call(vault, 'POST', '/certificates/bad-order/create', { apiVersion: '7.6', body: { policy, preserveCertOrder: 'yes' } }), 400, 'BadParameter');
  });

  for (const v of API_VERSIONS) {
    describe(`api-version ${v}`, () => {
      const name = `v-${v.replace(/\./g, '-')}`;
      const has = (field: keyof typeof SINCE) => atLeast(v, SINCE[field]);

      it('sets, gets, lists and deletes a secret, with the attributes of its version', async () => {
        const set = await call(vault, 'PUT', `/secrets/${name}`, { apiVersion: v, body: { value: `value for ${v}`, contentType: 'text/plain' } });
        expect(set.status, set.text).to.equal(200);
        expect(set.json.value).to.equal(`value for ${v}`);
        expect(set.json.attributes.recoveryLevel).to.be.a('string');
        expect('recoverableDays' in set.json.attributes).to.equal(has('recoverableDays'));
        const got = await call(vault, 'GET', `/secrets/${name}`, { apiVersion: v });
        expect(got.json.value).to.equal(`value for ${v}`);
        expect(got.json.contentType).to.equal('text/plain');
        expect('recoverableDays' in got.json.attributes).to.equal(has('recoverableDays'));
        const listed = await call(vault, 'GET', '/secrets?maxresults=25', { apiVersion: v });
        const item = (listed.json.value as { id: string; attributes: object }[]).find((i) => i.id.endsWith(`/secrets/${name}`));
        expect(item, listed.text).to.not.equal(undefined);
        expect('recoverableDays' in item!.attributes).to.equal(has('recoverableDays'));
        const deleted = await call(vault, 'DELETE', `/secrets/${name}`, { apiVersion: v });
        expect(deleted.status).to.equal(200);
        expect(deleted.json.recoveryId).to.match(new RegExp(`/deletedsecrets/${name}$`));
        expect('recoverableDays' in deleted.json.attributes).to.equal(has('recoverableDays'));
        expectError(await call(vault, 'GET', `/secrets/${name}`, { apiVersion: v }), 404, 'SecretNotFound');
      });

      it('creates an EC-HSM key and signs with it, with the key fields of its version', async () => {
        const created = await call(vault, 'POST', `/keys/${name}/create`, { apiVersion: v, body: { kty: 'EC-HSM', crv: 'P-256' } });
        expect(created.status, created.text).to.equal(200);
        expect(created.json.key.kty).to.equal('EC-HSM');
        const attributes = created.json.attributes as Record<string, unknown>;
        expect('recoverableDays' in attributes).to.equal(has('recoverableDays'));
        expect('exportable' in attributes).to.equal(has('exportable'));
        expect('hsmPlatform' in attributes).to.equal(has('hsmPlatform'));
        const digest = createHash('sha256').update(`signed under ${v}`).digest();
        const signed = await call(vault, 'POST', `/keys/${name}/${created.json.key.kid.split('/').pop()}/sign`, { apiVersion: v, body: { alg: 'ES256', value: digest.toString('base64url') } });
        expect(signed.status, signed.text).to.equal(200);
        const publicKey = createPublicKey({ key: { ...created.json.key, kty: 'EC' }, format: 'jwk' });
        expect(verify('sha256', Buffer.from(`signed under ${v}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.json.value, 'base64url'))).to.equal(true);
        // An exportable key with a release policy: the bundle names the policy from 7.3 on, and nothing before.
        const releasable = await call(vault, 'POST', `/keys/${name}-rel/create`, { apiVersion: v, body: { kty: 'RSA-HSM', attributes: { exportable: true }, release_policy: RELEASE_POLICY } });
        expect(releasable.status, releasable.text).to.equal(200);
        if (has('release_policy')) expect(releasable.json.release_policy).to.deep.equal(RELEASE_POLICY);
        else expect(releasable.json).to.not.have.property('release_policy');
        expect('exportable' in releasable.json.attributes).to.equal(has('exportable'));
      });

      it('answers the operations of its version, and refuses later ones', async () => {
        const policy = await call(vault, 'GET', `/keys/${name}/rotationpolicy`, { apiVersion: v });
        if (has('rotation')) expect(policy.status, policy.text).to.equal(200);
        else expectError(policy, 400, 'BadParameter');
        const rng = await call(vault, 'POST', '/rng', { apiVersion: v, body: { count: 8 } });
        if (has('rng')) expect(Buffer.from(rng.json.value, 'base64url')).to.have.length(8);
        else expectError(rng, 400, 'BadParameter');
        const attestation = await call(vault, 'GET', `/keys/${name}/attestation`, { apiVersion: v });
        if (has('attestation')) expect(attestation.json.attributes.attestation.certificatePemFile, attestation.text).to.be.a('string');
        else expectError(attestation, 400, 'BadParameter');
      });
    });
  }
});
