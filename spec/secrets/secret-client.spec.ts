import { expect } from 'chai';
import nock from 'nock';
import { inspect } from 'node:util';
import { firstValueFrom, toArray } from 'rxjs';
import { ConflictError, ForbiddenError, NotFoundError, SecretClient, ValidationError } from '../../lib/index.js';
import { countingCredential, expectChallenge, mockedClient, vault, VAULT } from '../helpers/mock.js';
import { recording } from '../helpers/recordings.js';

const crud = recording('secrets', 'py_test_example_secret_crud_operations[7.6]');
const backup = recording('secrets', 'py_test_example_secrets_backup_restore[7.6]');
const recover = recording('secrets', 'py_test_example_secrets_recover[7.6]');
const API = { 'api-version': '2025-07-01' };
const SECRET_ID = 'https://vaultname.vault.azure.net/secrets/livekvtestsecret-name75f43515/6e3ef094cb754676834ba0f261ab27b3';

/** A client past its challenge, so each test states only the requests of the operation under test. */
function ready() {
  const { client } = mockedClient();
  const scope = vault();
  expectChallenge(scope, 'get', '/secrets/warm-up/');
  scope.get('/secrets/warm-up/').query(API).reply(200, { value: 'x', id: `${VAULT}/secrets/warm-up/0123456789abcdef0123456789abcdef` });
  return { secrets: client.secrets, scope, warm: () => client.secrets.getSecret('warm-up') };
}

describe('SecretClient', () => {
  it('setSecret sends the value, attributes and tags, and maps the bundle', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope
      .put('/secrets/livekvtestsecret-name75f43515', { value: 'secret-value', contentType: 'text/plain', tags: { a: 'b' }, attributes: { enabled: true, exp: 2527401600 } })
      .query(API)
      .matchHeader('content-type', 'application/json')
      .matchHeader('authorization', 'Bearer token-1')
      .matchHeader('x-ms-client-request-id', /^[0-9a-f-]{36}$/)
      .matchHeader('user-agent', /^keyvault-kit\/\d+\.\d+\.\d+ Node\/24/)
      .reply(200, crud[1]!.ResponseBody);
    const secret = await secrets.setSecret('livekvtestsecret-name75f43515', 'secret-value', {
      contentType: 'text/plain', tags: { a: 'b' }, enabled: true, expiresOn: new Date(2527401600 * 1000),
    });
    expect(secret.value).to.equal('secret-value');
    expect(secret.name).to.equal('livekvtestsecret-name75f43515');
    expect(secret.properties).to.deep.include({
      id: SECRET_ID, name: 'livekvtestsecret-name75f43515', version: '6e3ef094cb754676834ba0f261ab27b3', vaultUrl: 'https://vaultname.vault.azure.net',
      enabled: true, recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 7,
    });
    expect(secret.properties.expiresOn?.toISOString()).to.equal('2050-02-02T08:00:00.000Z');
    expect(secret.properties.createdOn?.getTime()).to.equal(1748908222000);
    scope.done();
  });

  it('getSecret asks for the latest with a trailing slash, or a version, or an id URL', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.get('/secrets/livekvtestsecret-name75f43515/').query(API).reply(200, crud[2]!.ResponseBody);
    scope.get('/secrets/livekvtestsecret-name75f43515/6e3ef094cb754676834ba0f261ab27b3').query(API).twice().reply(200, crud[3]!.ResponseBody);
    expect((await secrets.getSecret('livekvtestsecret-name75f43515')).value).to.equal('secret-value');
    expect((await secrets.getSecret('livekvtestsecret-name75f43515', { version: '6e3ef094cb754676834ba0f261ab27b3' })).properties.version).to.equal('6e3ef094cb754676834ba0f261ab27b3');
    const byId = await secrets.getSecret(`${VAULT}/secrets/livekvtestsecret-name75f43515/6e3ef094cb754676834ba0f261ab27b3`);
    expect(byId.value).to.equal('secret-value');
    scope.done();
  });

  it('getSecret passes outContentType for a certificate secret', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.get('/secrets/cert1/').query({ ...API, outContentType: 'application/x-pem-file' }).reply(200, { value: '-----BEGIN', id: `${VAULT}/secrets/cert1/aa`, contentType: 'application/x-pem-file', kid: `${VAULT}/keys/cert1/aa`, managed: true });
    const secret = await secrets.getSecret('cert1', { outContentType: 'application/x-pem-file' });
    expect(secret.properties).to.deep.include({ contentType: 'application/x-pem-file', managed: true, certificateKeyId: `${VAULT}/keys/cert1/aa` });
    scope.done();
  });

  it('updateSecretProperties patches attributes of one version', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.patch('/secrets/livekvtestsecret-name75f43515/6e3ef094cb754676834ba0f261ab27b3', { contentType: 'text/plain', tags: { foo: 'updated tag' }, attributes: { enabled: false } }).query(API).reply(200, crud[4]!.ResponseBody);
    const properties = await secrets.updateSecretProperties('livekvtestsecret-name75f43515', '6e3ef094cb754676834ba0f261ab27b3', { contentType: 'text/plain', tags: { foo: 'updated tag' }, enabled: false });
    expect(properties.tags).to.deep.equal({ foo: 'updated tag' });
    expect(properties.updatedOn?.getTime()).to.equal(1748908223000);
    expect(properties).to.not.have.property('value');
    scope.done();
  });

  it('beginDeleteSecret polls the deleted secret through 404 until it is there', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.delete('/secrets/livekvtestsecret-name75f43515').query(API).reply(200, crud[5]!.ResponseBody);
    scope.get('/deletedsecrets/livekvtestsecret-name75f43515').query(API).reply(404, crud[6]!.ResponseBody);
    scope.get('/deletedsecrets/livekvtestsecret-name75f43515').query(API).reply(200, crud[7]!.ResponseBody);
    const poller = await secrets.beginDeleteSecret('livekvtestsecret-name75f43515', { intervalInMs: 0 });
    expect(poller.isDone()).to.equal(false);
    expect(poller.getOperationState()).to.include({ isStarted: true, name: 'livekvtestsecret-name75f43515' });
    const deleted = await poller.pollUntilDone();
    expect(deleted.recoveryId).to.equal('https://vaultname.vault.azure.net/deletedsecrets/livekvtestsecret-name75f43515');
    expect(deleted.deletedOn?.getTime()).to.equal(1748908223000);
    expect(deleted.scheduledPurgeDate?.getTime()).to.equal(1749513023000);
    expect(deleted.properties.recoveryId).to.equal(deleted.recoveryId);
    scope.done();
  });

  it('beginDeleteSecret ends at once when soft-delete is off (no recoveryId), and on 403 when deleted secrets cannot be read', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.delete('/secrets/plain').query(API).reply(200, { id: `${VAULT}/secrets/plain/00000000000000000000000000000001`, attributes: {} });
    const plain = await secrets.beginDeleteSecret('plain', { intervalInMs: 0 });
    expect(plain.isDone()).to.equal(true);
    scope.delete('/secrets/guarded').query(API).reply(200, { id: `${VAULT}/secrets/guarded/00000000000000000000000000000002`, recoveryId: `${VAULT}/deletedsecrets/guarded`, attributes: {} });
    scope.get('/deletedsecrets/guarded').query(API).reply(403, { error: { code: 'Forbidden', message: 'no get permission' } });
    const guarded = await secrets.beginDeleteSecret('guarded', { intervalInMs: 0 });
    const result = await guarded.pollUntilDone();
    expect(result.recoveryId).to.equal(`${VAULT}/deletedsecrets/guarded`);
    scope.done();
  });

  it('a delete poller resumes from toString() without deleting again', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.delete('/secrets/livekvtestsecret-name75f43515').query(API).reply(200, crud[5]!.ResponseBody);
    // begin's poll reads once after the DELETE (as Microsoft's): not there yet.
    scope.get('/deletedsecrets/livekvtestsecret-name75f43515').query(API).reply(404, { error: { code: 'SecretNotFound', message: 'Deleted Secret not found' } });
    const first = await secrets.beginDeleteSecret('livekvtestsecret-name75f43515', { intervalInMs: 0 });
    const saved = first.toString();
    expect(saved).to.not.include('secret-value');
    scope.get('/deletedsecrets/livekvtestsecret-name75f43515').query(API).reply(200, crud[7]!.ResponseBody);
    const resumed = await secrets.beginDeleteSecret('livekvtestsecret-name75f43515', { resumeFrom: saved, intervalInMs: 0 });
    expect((await resumed.pollUntilDone()).name).to.equal('livekvtestsecret-name75f43515');
    scope.done();
  });

  it('a resumeFrom that is not a poller state is a ValidationError, and nothing is sent', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    const error = await secrets.beginDeleteSecret('a', { resumeFrom: 'not json' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect(error).to.include({ code: 'InvalidResumeState' });
    expect(error).to.not.be.instanceOf(SyntaxError);
    scope.done();
  });

  it('beginRecoverDeletedSecret polls the secret through 404 until it is back', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    const name = new URL(recover[4]!.RequestUri).pathname.split('/')[2]!;
    scope.post(`/deletedsecrets/${name}/recover`).query(API).reply(200, recover[4]!.ResponseBody);
    scope.get(`/secrets/${name}/`).query(API).reply(404, recover[5]!.ResponseBody);
    scope.get(`/secrets/${name}/`).query(API).reply(200, recover[6]!.ResponseBody);
    const poller = await secrets.beginRecoverDeletedSecret(name, { intervalInMs: 0 });
    const properties = await poller.pollUntilDone();
    expect(properties.name).to.equal(name);
    expect(properties.enabled).to.equal(true);
    scope.done();
  });

  it('getDeletedSecret, purgeDeletedSecret (204)', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.get('/deletedsecrets/livekvtestsecret-name75f43515').query(API).reply(200, crud[7]!.ResponseBody);
    scope.delete('/deletedsecrets/livekvtestsecret-name75f43515').query(API).reply(204);
    const deleted = await secrets.getDeletedSecret('livekvtestsecret-name75f43515');
    expect(deleted.properties.contentType).to.equal('text/plain');
    expect(await secrets.purgeDeletedSecret('livekvtestsecret-name75f43515')).to.equal(undefined);
    scope.done();
  });

  it('backupSecret returns the blob bytes and restoreSecretBackup sends them back base64url', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    const blob = backup.find((e) => e.RequestUri.includes('/backup'))!.ResponseBody.value as string;
    const restored = backup.find((e) => e.RequestUri.includes('/restore') && e.StatusCode === 200)!;
    const name = new URL(backup[1]!.RequestUri).pathname.split('/')[2]!;
    scope.post(`/secrets/${name}/backup`).query(API).reply(200, { value: blob });
    scope.post('/secrets/restore', { value: blob }).query(API).reply(200, restored.ResponseBody);
    const bytes = await secrets.backupSecret(name);
    expect(bytes).to.be.instanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString('base64url')).to.equal(blob);
    const properties = await secrets.restoreSecretBackup(bytes);
    expect(properties.name).to.equal(name);
    scope.done();
  });

  it('maps Key Vault errors to typed errors with code, status and request id', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.get('/secrets/missing/').query(API).reply(404, { error: { code: 'SecretNotFound', message: 'A secret with (name/id) missing was not found in this key vault.' } }, { 'x-ms-request-id': 'req-42' });
    scope.post('/secrets/restore').query(API).reply(409, { error: { code: 'Conflict', message: 'Secret already exists' } });
    scope.get('/secrets/off/').query(API).reply(403, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled secret.' } });
    const missing = await secrets.getSecret('missing').catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(NotFoundError);
    expect(missing).to.include({ statusCode: 404, code: 'SecretNotFound', requestId: 'req-42', method: 'GET', path: '/secrets/missing/' });
    expect((missing as Error).message).to.include('was not found');
    expect(await secrets.restoreSecretBackup(new Uint8Array([1])).catch((e: unknown) => e)).to.be.instanceOf(ConflictError);
    expect(await secrets.getSecret('off').catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError).and.include({ code: 'Forbidden' });
    scope.done();
  });

  it('rejects invalid names and values before anything is sent', async () => {
    const { secrets } = mockedClient().client;
    for (const bad of ['', 'has space', 'a/b', 'x'.repeat(128), 'ünï']) {
      const error = await secrets.getSecret(bad).catch((e: unknown) => e);
      expect(error, bad).to.be.instanceOf(ValidationError).and.include({ code: 'InvalidName' });
    }
    expect(await secrets.setSecret('ok', 42 as unknown as string).catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
    expect(await secrets.getSecret('ok', { version: '../x' }).catch((e: unknown) => e)).to.be.instanceOf(ValidationError).and.include({ code: 'InvalidVersion' });
    expect(await secrets.getSecret('https://other.vault.azure.net/secrets/x/1').catch((e: unknown) => e)).to.be.instanceOf(ValidationError).and.include({ code: 'ForeignHost' });
    // nock has no interceptor: any request would have failed with a network error instead.
  });

  it('keeps the secret value out of JSON, inspect and spreads, yet readable', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.get('/secrets/s/').query(API).reply(200, { value: 'hunter2-SENTINEL', id: `${VAULT}/secrets/s/0123456789abcdef0123456789abcdef` });
    const secret = await secrets.getSecret('s');
    expect(secret.value).to.equal('hunter2-SENTINEL');
    expect(JSON.stringify(secret)).to.not.include('SENTINEL');
    expect(inspect(secret, { depth: 10 })).to.not.include('SENTINEL');
    expect(inspect(secrets)).to.equal(`SecretClient { vaultUrl: '${VAULT}' }`);
    scope.done();
  });

  it('getSecret$ emits the same secret as getSecret', async () => {
    const { secrets, scope, warm } = ready();
    await warm();
    scope.get('/secrets/livekvtestsecret-name75f43515/').query(API).reply(200, crud[2]!.ResponseBody);
    const values = await firstValueFrom(secrets.getSecret$('livekvtestsecret-name75f43515').pipe(toArray()));
    expect(values.map((s) => s.value)).to.deep.equal(['secret-value']);
    scope.done();
  });

  it('is constructible on its own, with its own challenge', async () => {
    const { credential, calls } = countingCredential('standalone');
    const secrets = new SecretClient(VAULT, credential, { fetch: (i, init) => fetch(i, init) });
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/s/');
    scope.get('/secrets/s/').query(API).matchHeader('authorization', 'Bearer standalone').reply(200, { value: 'v', id: `${VAULT}/secrets/s/0123456789abcdef0123456789abcdef` });
    expect((await secrets.getSecret('s')).value).to.equal('v');
    expect(calls).to.have.length(1);
    scope.done();
  });
});

describe('a vault under a base path', () => {
  it('works end to end, including ids the service returns', async () => {
    const base = 'https://gw.example.com/some-prefix';
    const { credential } = countingCredential();
    const secrets = new SecretClient(`${base}/`, credential, { fetch: (i, init) => fetch(i, init), disableChallengeResourceVerification: true });
    const scope = nock('https://gw.example.com');
    scope.get('/some-prefix/secrets/db/').query(API).reply(401, {}, { 'WWW-Authenticate': 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"' });
    scope.get('/some-prefix/secrets/db/').query(API).reply(200, { value: 'v', id: `${base}/secrets/db/0123456789abcdef0123456789abcdef` });
    scope.get('/some-prefix/secrets/db/0123456789abcdef0123456789abcdef').query(API).reply(200, { value: 'v2', id: `${base}/secrets/db/0123456789abcdef0123456789abcdef` });
    const secret = await secrets.getSecret('db');
    expect(secret.properties.vaultUrl).to.equal(base);
    expect((await secrets.getSecret(secret.properties.id!)).value).to.equal('v2');
    scope.done();
  });
});
