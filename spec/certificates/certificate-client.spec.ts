import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  BadRequestError, CertificateClient, CertificateOperationFailedError, ConflictError, ForbiddenError, KeyVaultClient, NotFoundError, ValidationError,
  type CertificateOperationState, type CertificatePolicy,
} from '../../lib/index.js';
import { countingCredential, expectChallenge, mockedClient, vault, VAULT } from '../helpers/mock.js';
import { recording } from '../helpers/recordings.js';
import { issueLeaf, makeCa, type Issued } from './fixtures.js';

const API = { 'api-version': '2025-07-01' };
const polling = recording('certificates', 'js_recording_create_a_certificate_with_polling[2025-07-01]');
const policyRec = recording('certificates', 'js_recording_get_a_certificate_policy[2025-07-01]');
const merge = recording('certificates', 'js_recording_can_merge_a_self_signed_certificate[2025-07-01]');
const issuerRec = recording('certificates', 'js_recording_can_create_read_and_delete_a_certificate_issuer[2025-07-01]');
const contacts = recording('certificates', 'js_recording_manage_certificate_contacts[2025-07-01]');
const imported = recording('certificates', 'py_test_import_certificate_not_password_encoded_no_policy[7.6]');
const example = (name: string) => (JSON.parse(readFileSync(new URL(`../fixtures/spec/keyvault/7.6/examples/${name}-example.json`, import.meta.url), 'utf8')) as { responses: Record<string, { body: any }> }).responses;

/** A recorded request body, as nock's body matcher takes it. */
type Body = Parameters<ReturnType<typeof vault>['put']>[1] & object;

const HELLO = 'hello-world-1776811165470';
const inProgress = polling[2]!.ResponseBody;
const completed = polling[4]!.ResponseBody;
const bundle = polling[5]!.ResponseBody;

/** A client past its challenge, so each test states only the requests of the operation under test. */
function ready(options: ConstructorParameters<typeof KeyVaultClient>[2] = {}) {
  const { client } = mockedClient(options);
  const scope = vault();
  const api = { 'api-version': options.apiVersion ?? '2025-07-01' };
  expectChallenge(scope, 'get', '/certificates/warm-up/');
  scope.get('/certificates/warm-up/').query(api).reply(200, { ...bundle, id: `${VAULT}/certificates/warm-up/0123456789abcdef0123456789abcdef` });
  return { client, certificates: client.certificates, scope, warm: () => client.certificates.getCertificate('warm-up') };
}

/** Rejects before anything is sent (nock has no interceptor, and the net is disconnected). */
async function rejectsBeforeSending(call: () => Promise<unknown>, code: string) {
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error, 'should reject').to.be.instanceOf(ValidationError);
  expect((error as ValidationError).code).to.equal(code);
}

describe('CertificateClient', () => {
  describe('beginCreateCertificate', () => {
    it('sends the policy in wire shape, polls pending until completed, then reads the certificate (recorded)', async () => {
      const { client, calls } = mockedClient();
      const scope = vault();
      expectChallenge(scope, 'post', `/certificates/${HELLO}/create`);
      scope
        .post(`/certificates/${HELLO}/create`, {
          policy: {
            key_props: { kty: 'EC', crv: 'P-256', exportable: true },
            x509_props: { subject: 'cn=MyCert', sans: { dns_names: ['my.example'] }, validity_months: 12 },
            issuer: { name: 'Self' },
            lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
          },
          attributes: { enabled: true },
          tags: { team: 'a' },
        })
        .query(API)
        .matchHeader('authorization', 'Bearer token-1')
        .reply(202, polling[1]!.ResponseBody, { Location: `${VAULT}/certificates/${HELLO}/pending?api-version=2025-07-01`, 'Retry-After': '10' });
      scope.get(`/certificates/${HELLO}/pending`).query(API).twice().reply(200, inProgress);
      scope.get(`/certificates/${HELLO}/pending`).query(API).reply(200, completed);
      scope.get(`/certificates/${HELLO}/`).query(API).reply(200, bundle);
      const policy: CertificatePolicy = {
        issuerName: 'Self', subject: 'cn=MyCert', subjectAlternativeNames: { dnsNames: ['my.example'] }, keyType: 'EC', keyCurveName: 'P-256',
        exportable: true, validityInMonths: 12, lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
      };
      const poller = await client.certificates.beginCreateCertificate(HELLO, policy, { intervalInMs: 0, enabled: true, tags: { team: 'a' } });
      expect(poller.isDone()).to.equal(false);
      expect(poller.getOperationState()).to.include({ isStarted: true, certificateName: HELLO });
      expect(poller.getOperationState().certificateOperation).to.include({ status: 'inProgress', name: HELLO, issuerName: 'Sanitized', requestId: '7fe94fdd4e504c1b994a1d0088bf9a69' });
      expect(poller.getOperationState().certificateOperation?.csr?.[0]).to.equal(0x30);
      const states: boolean[] = [];
      poller.onProgress((state) => states.push(state.isCompleted));
      const certificate = await poller.pollUntilDone();
      expect(states).to.deep.equal([false, false, true]);
      expect(poller.getOperationState().certificateOperation).to.include({ status: 'completed', target: `https://keyvault_name.vault.azure.net/certificates/${HELLO}` });

      // The bundle mapped: DER cer, thumbprint, ids, dates, policy.
      expect(certificate.name).to.equal(HELLO);
      expect(certificate.keyId).to.equal(`https://keyvault_name.vault.azure.net/keys/${HELLO}/27863d159c9f4733ac4d7c60c0c9bbdf`);
      expect(certificate.secretId).to.equal(`https://keyvault_name.vault.azure.net/secrets/${HELLO}/27863d159c9f4733ac4d7c60c0c9bbdf`);
      const x509 = new X509Certificate(certificate.cer!);
      expect(x509.subject).to.equal('CN=MyCert');
      expect(certificate.properties.x509ThumbprintString).to.equal(x509.fingerprint.replace(/:/g, '').toLowerCase());
      expect(Buffer.from(certificate.properties.x509Thumbprint!).toString('base64url')).to.equal(bundle.x5t);
      expect(certificate.properties).to.deep.include({
        id: bundle.id, name: HELLO, version: '27863d159c9f4733ac4d7c60c0c9bbdf', vaultUrl: 'https://keyvault_name.vault.azure.net',
        enabled: true, recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 7,
      });
      expect(certificate.properties.notBefore?.getTime()).to.equal(1776810569000);
      expect(certificate.properties.expiresOn?.getTime()).to.equal(1808347169000);
      expect(certificate.policy).to.include({ issuerName: 'Sanitized', subject: 'cn=MyCert', keyType: 'RSA', keySize: 2048, contentType: 'application/x-pkcs12', validityInMonths: 12 });
      expect(calls).to.have.length(1);
      scope.done();
    });

    it('resumes from toString() without creating again', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.post(`/certificates/${HELLO}/create`).query(API).reply(202, polling[1]!.ResponseBody);
      const first = await certificates.beginCreateCertificate(HELLO, { issuerName: 'Self', subject: 'cn=MyCert' }, { intervalInMs: 0 });
      const saved = first.toString();
      expect(JSON.parse(saved)).to.deep.equal({ state: { certificateName: HELLO, isStarted: true, isCompleted: false } });
      scope.get(`/certificates/${HELLO}/pending`).query(API).reply(200, completed);
      scope.get(`/certificates/${HELLO}/`).query(API).reply(200, bundle);
      const resumed = await certificates.beginCreateCertificate(HELLO, { issuerName: 'Self', subject: 'cn=MyCert' }, { resumeFrom: saved, intervalInMs: 0 });
      expect((await resumed.pollUntilDone()).properties.version).to.equal('27863d159c9f4733ac4d7c60c0c9bbdf');
      await rejectsBeforeSending(() => certificates.beginCreateCertificate(HELLO, { subject: 'CN=a' }, { resumeFrom: 'not json' }), 'InvalidResumeState');
      scope.done();
    });

    it('cancelOperation() patches the operation; the poller ends cancelled when the vault says so', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.post('/certificates/c1/create').query(API).reply(202, { ...inProgress, id: `${VAULT}/certificates/c1/pending` });
      const poller = await certificates.beginCreateCertificate('c1', { issuerName: 'Unknown', subject: 'CN=c1' }, { intervalInMs: 0 });
      // Right after begin, the pending certificate, as Microsoft's poller gives it.
      expect(poller.getResult()).to.deep.include({ name: 'c1', id: `${VAULT}/certificates/c1/pending` });
      scope.patch('/certificates/c1/pending', { cancellation_requested: true }).query(API).reply(200, { ...inProgress, id: `${VAULT}/certificates/c1/pending`, cancellation_requested: true });
      await poller.cancelOperation();
      expect(poller.isDone()).to.equal(false);
      expect(poller.getOperationState().certificateOperation?.cancellationRequested).to.equal(true);
      scope.get('/certificates/c1/pending').query(API).reply(200, { ...inProgress, id: `${VAULT}/certificates/c1/pending`, cancellation_requested: true, status: 'cancelled' });
      scope.get('/certificates/c1/').query(API).reply(404, { error: { code: 'CertificateNotFound', message: 'gone' } });
      const error = await poller.pollUntilDone().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CertificateOperationFailedError);
      expect(error).to.include({ code: 'OperationCancelled' });
      expect((error as CertificateOperationFailedError).operation.status).to.equal('cancelled');
      expect(poller.getOperationState()).to.include({ isCancelled: true, isCompleted: true });
      expect(poller.getResult()).to.equal(undefined);
      scope.done();
    });

    it('a failed operation rejects with its error and still yields the certificate as the result', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.post('/certificates/f1/create').query(API).reply(202, { ...inProgress, id: `${VAULT}/certificates/f1/pending` });
      scope.get('/certificates/f1/pending').query(API).reply(200, {
        id: `${VAULT}/certificates/f1/pending`, status: 'failed', status_details: 'The issuer refused.',
        error: { code: 'CertificateRequestRejected', message: 'The issuer refused the request.', innererror: { code: 'PolicyViolation', message: 'no wildcards' } },
      });
      scope.get('/certificates/f1/').query(API).reply(200, { ...bundle, id: `${VAULT}/certificates/f1/00000000000000000000000000000001`, attributes: { enabled: false } });
      const poller = await certificates.beginCreateCertificate('f1', { issuerName: 'Self', subject: 'CN=f1' }, { intervalInMs: 0 });
      const error = await poller.pollUntilDone().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CertificateOperationFailedError);
      expect(error).to.include({ code: 'CertificateRequestRejected', message: 'The issuer refused the request.' });
      expect((error as CertificateOperationFailedError).operation.error?.innerError).to.deep.equal({ code: 'PolicyViolation', message: 'no wildcards' });
      expect(poller.getResult()?.properties.enabled).to.equal(false);
      scope.done();
    });

    it('completes at start when the vault answers the create already completed', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.post(`/certificates/${HELLO}/create`).query(API).reply(202, completed);
      scope.get(`/certificates/${HELLO}/`).query(API).reply(200, bundle);
      const poller = await certificates.beginCreateCertificate(HELLO, { issuerName: 'Self', subject: 'cn=MyCert' });
      expect(poller.isDone()).to.equal(true);
      expect((await poller.pollUntilDone()).name).to.equal(HELLO);
      scope.done();
    });

    it('beginCreateCertificate$ emits each state, is cold, and completes', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const states$ = certificates.beginCreateCertificate$(HELLO, { issuerName: 'Self', subject: 'cn=MyCert' }, { intervalInMs: 0 });
      // Nothing is sent before subscribe: no interceptor exists yet.
      scope.post(`/certificates/${HELLO}/create`).query(API).reply(202, polling[1]!.ResponseBody);
      scope.get(`/certificates/${HELLO}/pending`).query(API).reply(200, inProgress);
      scope.get(`/certificates/${HELLO}/pending`).query(API).reply(200, completed);
      scope.get(`/certificates/${HELLO}/`).query(API).reply(200, bundle);
      const states: CertificateOperationState[] = await lastValueFrom(states$.pipe(toArray()));
      // The create answer's state (begin's poll), then one per read.
      expect(states.map((s) => s.certificateOperation?.status)).to.deep.equal(['inProgress', 'inProgress', 'completed']);
      expect(states.at(-1)?.result?.name).to.equal(HELLO);
      scope.done();
    });

    it('rejects impossible policies and bad names before sending', async () => {
      const { certificates } = ready();
      await rejectsBeforeSending(() => certificates.beginCreateCertificate('c', { subject: 'CN=a', keyType: 'EC', keySize: 256 } as unknown as CertificatePolicy), 'InvalidPolicy');
      await rejectsBeforeSending(() => certificates.beginCreateCertificate('c', { subject: 'CN=a', keyType: 'RSA', keyCurveName: 'P-256' } as unknown as CertificatePolicy), 'InvalidPolicy');
      await rejectsBeforeSending(() => certificates.beginCreateCertificate('c', { issuerName: 'Self' } as unknown as CertificatePolicy), 'InvalidPolicy');
      await rejectsBeforeSending(() => certificates.beginCreateCertificate('no spaces', { subject: 'CN=a' }), 'InvalidName');
      await rejectsBeforeSending(() => certificates.beginCreateCertificate('c', { subject: 'CN=a', issuerName: 'a/b' }), 'InvalidName');
    });
  });

  describe('operations', () => {
    it('getCertificateOperation polls an operation awaiting a merge (recorded)', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const name = 'mergeCertificateName-canmergeaselfsignedcertificate-';
      scope.get(`/certificates/${name}/pending`).query(API).reply(200, merge[2]!.ResponseBody);
      const poller = await certificates.getCertificateOperation(name, { intervalInMs: 0 });
      const operation = poller.getOperationState().certificateOperation!;
      expect(operation).to.include({ issuerName: 'Unknown', status: 'inProgress', statusDetails: 'Pending certificate created. Please Perform Merge to complete the request.', cancellationRequested: false, name });
      expect(operation.vaultUrl).to.equal('https://keyvault_name.vault.azure.net');
      expect(poller.isDone()).to.equal(false);
      scope.done();
    });

    it('cancelCertificateOperation and deleteCertificateOperation return the operation', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const cancelled = example('UpdateCertificateOperation')['200']!.body;
      const deleted = example('DeleteCertificateOperation')['200']!.body;
      scope.patch('/certificates/cancellationRequestedCert01/pending', { cancellation_requested: true }).query(API).reply(200, cancelled);
      scope.delete('/certificates/deletedRequestedCert01/pending').query(API).reply(200, deleted);
      expect(await certificates.cancelCertificateOperation('cancellationRequestedCert01')).to.include({ cancellationRequested: true, issuerName: 'issuer02', name: 'cancellationRequestedCert01' });
      expect(await certificates.deleteCertificateOperation('deletedRequestedCert01')).to.include({ issuerName: 'issuer03', requestId: 'b88791e33d9c4d609d3e3cc3d2d40d11' });
      scope.done();
    });

    it('mergeCertificate sends x5c as base64 DER, from DER or from a PEM chain', async () => {
      const ca = await makeCa();
      const leaf: Issued = await issueLeaf(ca);
      const { certificates, scope, warm } = ready();
      await warm();
      const name = 'mergeCertificateName-canmergeaselfsignedcertificate-';
      const x5c = [Buffer.from(leaf.der).toString('base64'), Buffer.from(ca.der).toString('base64')];
      scope.post(`/certificates/${name}/pending/merge`, { x5c }).query(API).times(3).reply(201, merge[5]!.ResponseBody);
      const fromDer = await certificates.mergeCertificate(name, [leaf.der, ca.der]);
      const fromPem = await certificates.mergeCertificate(name, [leaf.certificatePem]);
      // Microsoft's sample passes the base64 text of each certificate as bytes: decoded, not encoded twice.
      await certificates.mergeCertificate(name, x5c.map((b64) => new Uint8Array(Buffer.from(b64))));
      expect(fromDer.name).to.equal(name);
      expect(fromPem.policy?.issuerName).to.equal('Unknown');
      await rejectsBeforeSending(() => certificates.mergeCertificate(name, []), 'InvalidCertificate');
      scope.done();
    });

    it('mergeCertificate sends what it does not recognise as Microsoft\'s client does (base64 of the bytes), for the service to judge', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const name = 'mergeCertificateName-canmergeaselfsignedcertificate-';
      // The recorded request: base64 text that kept its -----END CERTIFICATE----- line, accepted by the service (201).
      const recorded = (merge[5]!.RequestBody as { x5c: string[] }).x5c;
      expect(Buffer.from(recorded[0]!, 'base64').toString('latin1')).to.contain('-----END CERTIFICATE-----');
      scope.post(`/certificates/${name}/pending/merge`, { x5c: recorded }).query(API).reply(201, merge[5]!.ResponseBody);
      scope.post(`/certificates/${name}/pending/merge`, { x5c: ['AQID'] }).query(API).reply(400, { error: { code: 'BadParameter', message: 'Property x5c has invalid value' } });
      expect((await certificates.mergeCertificate(name, recorded.map((entry) => new Uint8Array(Buffer.from(entry, 'base64'))))).name).to.equal(name);
      const refused = await certificates.mergeCertificate(name, [new Uint8Array([1, 2, 3])]).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(BadRequestError).and.include({ code: 'BadParameter', statusCode: 400 });
      scope.done();
    });
  });

  describe('import', () => {
    it('a PFX goes base64 with its password, and no policy unless given (recorded response)', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const name = 'livekvtestimportNotPasswordEncodedCertificate461a40c1';
      const value = (imported[1]!.RequestBody as { value: string }).value;
      scope.post(`/certificates/${name}/import`, { value, pwd: 'pw', tags: { a: 'b' }, attributes: { enabled: true } }).query(API).reply(200, imported[1]!.ResponseBody);
      scope.post(`/certificates/${name}/import`, { value }).query(API).reply(200, imported[1]!.ResponseBody);
      const certificate = await certificates.importCertificate(name, new Uint8Array(Buffer.from(value, 'base64')), { password: 'pw', tags: { a: 'b' }, enabled: true });
      // A string that is not PEM is the PFX in base64.
      await certificates.importCertificate(name, value);
      expect(certificate.policy).to.include({ issuerName: 'Unknown', subject: 'O=Internet Widgits Pty Ltd, S=Some-State, C=AU', validityInMonths: 1197 });
      expect(certificate.policy?.enhancedKeyUsage).to.deep.equal([]);
      expect(certificate.properties.expiresOn?.getTime()).to.equal(4781870437000);
      scope.done();
    });

    it('PEM (bytes or text) goes as text with the application/x-pem-file content type the service needs', async () => {
      const ca = await makeCa();
      const leaf = await issueLeaf(ca);
      const { certificates, scope, warm } = ready();
      await warm();
      const reply = { ...bundle, id: `${VAULT}/certificates/pem1/00000000000000000000000000000001` };
      scope.post('/certificates/pem1/import', { value: leaf.pem, policy: { secret_props: { contentType: 'application/x-pem-file' } } }).query(API).twice().reply(200, reply);
      scope.post('/certificates/pem1/import', { value: leaf.pem, policy: { key_props: { exportable: false }, secret_props: { contentType: 'application/x-pem-file' }, issuer: { name: 'Unknown' } } }).query(API).reply(200, reply);
      await certificates.importCertificate('pem1', new Uint8Array(Buffer.from(leaf.pem)));
      await certificates.importCertificate('pem1', leaf.pem);
      await certificates.importCertificate('pem1', leaf.pem, { policy: { exportable: false, issuerName: 'Unknown' } });
      await rejectsBeforeSending(() => certificates.importCertificate('pem1', leaf.pem, { policy: { contentType: 'application/x-pkcs12' } }), 'InvalidPolicy');
      await rejectsBeforeSending(() => certificates.importCertificate('pem1', new Uint8Array()), 'InvalidCertificate');
      scope.done();
    });
  });

  describe('read, update, policy', () => {
    it('getCertificateVersion reads one version without policy; a version is required', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const body = example('GetCertificate')['200']!.body;
      scope.get('/certificates/selfSignedCert01/f60f2a4f8ae442cfb41ca2090bd4b769').query(API).reply(200, body);
      const certificate = await certificates.getCertificateVersion('selfSignedCert01', 'f60f2a4f8ae442cfb41ca2090bd4b769');
      expect(certificate).to.not.have.property('policy');
      expect(certificate.properties.version).to.equal('f60f2a4f8ae442cfb41ca2090bd4b769');
      expect(new X509Certificate(certificate.cer!).subject).to.equal('CN=KeyVaultTest');
      await rejectsBeforeSending(() => certificates.getCertificateVersion('selfSignedCert01', ''), 'InvalidVersion');
      scope.done();
    });

    it('updateCertificateProperties patches attributes and tags', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const body = example('UpdateCertificate')['200']!.body;
      scope.patch('/certificates/certificate1/', { attributes: { enabled: false }, tags: { department: 'IT' } }).query(API).reply(200, body);
      const certificate = await certificates.updateCertificateProperties('certificate1', '', { enabled: false, tags: { department: 'IT' } });
      expect(certificate.name).to.equal(body.id.split('/')[4]);
      scope.done();
    });

    it('getCertificatePolicy maps the served policy; updateCertificatePolicy returns the updated one', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const name = 'hello-world-1776811238803';
      scope.get(`/certificates/${name}/policy`).query(API).reply(200, policyRec[6]!.ResponseBody);
      const policy = await certificates.getCertificatePolicy(name);
      expect(policy).to.include({ subject: 'cn=MyCert', keySize: 2048, exportable: true });
      const updated = { ...policyRec[6]!.ResponseBody, x509_props: { ...policyRec[6]!.ResponseBody.x509_props, validity_months: 24 } };
      scope.patch(`/certificates/${name}/policy`, (body: { x509_props: { validity_months: number; subject: string }; issuer: { name: string } }) =>
        body.x509_props.validity_months === 24 && body.x509_props.subject === 'cn=MyCert' && body.issuer.name === 'Sanitized').query(API).reply(200, updated);
      const result = await certificates.updateCertificatePolicy(name, { ...policy, validityInMonths: 24 });
      expect(result.validityInMonths).to.equal(24);
      expect(result.subject).to.equal('cn=MyCert');
      scope.done();
    });
  });

  describe('delete, recover, purge, backup, restore', () => {
    it('beginDeleteCertificate polls the deleted certificate through 404', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const deleted = example('DeleteCertificate')['200']!.body;
      scope.delete('/certificates/importCert01').query(API).reply(200, deleted);
      scope.get('/deletedcertificates/importCert01').query(API).reply(404, { error: { code: 'CertificateNotFound', message: 'Deleted Certificate not found' } });
      scope.get('/deletedcertificates/importCert01').query(API).reply(200, deleted);
      const poller = await certificates.beginDeleteCertificate('importCert01', { intervalInMs: 0 });
      expect(poller.getOperationState()).to.include({ certificateName: 'importCert01', isStarted: true, isCompleted: false });
      const result = await poller.pollUntilDone();
      expect(result).to.include({ recoveryId: 'https://myvault.vault.azure.net/deletedcertificates/importCert01', name: 'importCert01' });
      expect(result.deletedOn?.getTime()).to.equal(1493938558000);
      expect(result.scheduledPurgeDate?.getTime()).to.equal(1501714558000);
      expect(result.policy?.keyType).to.equal('RSA');
      scope.done();
    });

    it('beginDeleteCertificate$ emits the states; getDeletedCertificate and purge', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const deleted = example('DeleteCertificate')['200']!.body;
      scope.delete('/certificates/importCert01').query(API).reply(200, deleted);
      scope.get('/deletedcertificates/importCert01').query(API).twice().reply(200, deleted);
      scope.delete('/deletedcertificates/importCert01').query(API).reply(204);
      const states = await lastValueFrom(certificates.beginDeleteCertificate$('importCert01', { intervalInMs: 0 }).pipe(toArray()));
      expect(states.at(-1)).to.include({ isCompleted: true });
      expect((await certificates.getDeletedCertificate('importCert01')).recoveryId).to.equal(deleted.recoveryId);
      expect(await certificates.purgeDeletedCertificate('importCert01')).to.equal(null);
      scope.done();
    });

    it('beginRecoverDeletedCertificate waits until the certificate reads again', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const recovered = example('RecoverDeletedCertificate')['200']!.body;
      const name = 'CertCreateDeleteRecoverPurgeTest';
      scope.post(`/deletedcertificates/${name}/recover`).query(API).reply(200, recovered);
      scope.get(`/certificates/${name}/`).query(API).reply(404, { error: { code: 'CertificateNotFound', message: 'not yet' } });
      scope.get(`/certificates/${name}/`).query(API).reply(200, recovered);
      const poller = await certificates.beginRecoverDeletedCertificate(name, { intervalInMs: 0 });
      expect((await poller.pollUntilDone()).properties.version).to.equal('9ff2572a2c3145679057da8b7f6a4b1d');
      scope.done();
    });

    it('backupCertificate and restoreCertificateBackup move base64url blobs; a taken name is a ConflictError', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const blob = new Uint8Array([0xfb, 0xff, 0x01, 0x02]);
      scope.post('/certificates/c1/backup').query(API).reply(200, { value: Buffer.from(blob).toString('base64url') });
      scope.post('/certificates/restore', { value: '-_8BAg' }).query(API).reply(200, bundle);
      scope.post('/certificates/restore', { value: '-_8BAg' }).query(API).reply(409, { error: { code: 'Conflict', message: 'exists' } });
      const backup = await certificates.backupCertificate('c1');
      expect(backup).to.deep.equal(blob);
      expect((await certificates.restoreCertificateBackup(backup)).name).to.equal(HELLO);
      expect(await certificates.restoreCertificateBackup(backup).catch((e: unknown) => e)).to.be.instanceOf(ConflictError);
      await rejectsBeforeSending(() => certificates.restoreCertificateBackup(new Uint8Array()), 'InvalidBackup');
      scope.done();
    });
  });

  describe('listings', () => {
    it('listPropertiesOfCertificates passes includePending and follows nextLink', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const item = (name: string) => ({ id: `${VAULT}/certificates/${name}`, x5t: 'fLi3U52HunIVNXubkEnf8tP6Wbo', attributes: { enabled: true, created: 1, updated: 2 }, tags: { t: name } });
      scope.get('/certificates').query({ ...API, includePending: 'true' }).reply(200, { value: [item('a')], nextLink: `${VAULT}/certificates?api-version=7.2&$skiptoken=abc&includePending=true` });
      scope.get('/certificates').query({ ...API, $skiptoken: 'abc', includePending: 'true' }).reply(200, { value: [item('b')], nextLink: null });
      const names: (string | undefined)[] = [];
      for await (const properties of certificates.listPropertiesOfCertificates({ includePending: true })) names.push(properties.name);
      expect(names).to.deep.equal(['a', 'b']);
      scope.get('/certificates').query(API).reply(200, { value: [item('c')] });
      const all = await lastValueFrom(certificates.listPropertiesOfCertificates$().pipe(toArray()));
      expect(all[0]).to.include({ name: 'c', x509ThumbprintString: '7cb8b7539d87ba7215357b9b9049dff2d3fa59ba' });
      expect(all[0]?.tags).to.deep.equal({ t: 'c' });
      scope.done();
    });

    it('versions, deleted (includePending) and issuers', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.get('/certificates/c1/versions').query({ ...API, maxresults: '2' }).reply(200, { value: [{ id: `${VAULT}/certificates/c1/0000000000000000000000000000000a` }] });
      scope.get('/deletedcertificates').query({ ...API, includePending: 'false' }).reply(200, { value: example('GetDeletedCertificates')['200']!.body.value });
      scope.get('/certificates/issuers').query(API).reply(200, { value: [{ id: `${VAULT}/certificates/issuers/issuer01`, provider: 'Test' }] });
      const page = (await certificates.listPropertiesOfCertificateVersions('c1').byPage({ maxPageSize: 2 }).next()).value;
      expect(page.map((p: { version?: string }) => p.version)).to.deep.equal(['0000000000000000000000000000000a']);
      const deleted = await firstValueFrom(certificates.listDeletedCertificates$({ includePending: false }));
      expect(deleted).to.include({ name: 'listdeletedcerttest0', recoveryId: 'https://myvault.vault.azure.net/deletedcertificates/listdeletedcerttest0' });
      expect(deleted.deletedOn?.getTime()).to.equal(1493937659000);
      const issuers = await lastValueFrom(certificates.listPropertiesOfIssuers$().pipe(toArray()));
      expect(issuers).to.deep.equal([{ id: `${VAULT}/certificates/issuers/issuer01`, name: 'issuer01', provider: 'Test' }]);
      scope.done();
    });
  });

  describe('contacts', () => {
    it('set, get, delete (returning what was deleted), then NotFoundError (recorded)', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const list = [{ email: 'a@a.com', name: 'a', phone: '111111111111' }, { email: 'b@b.com', name: 'b', phone: '222222222222' }];
      scope.put('/certificates/contacts', contacts[1]!.RequestBody as Body).query(API).reply(200, contacts[1]!.ResponseBody);
      scope.get('/certificates/contacts').query(API).reply(200, contacts[2]!.ResponseBody);
      scope.delete('/certificates/contacts').query(API).reply(200, contacts[3]!.ResponseBody);
      scope.get('/certificates/contacts').query(API).reply(404, contacts[4]!.ResponseBody);
      expect(await certificates.setContacts(list)).to.deep.equal(list);
      expect(await certificates.getContacts()).to.deep.equal(list);
      expect(await certificates.deleteContacts()).to.deep.equal(list);
      const error = await certificates.getContacts().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(NotFoundError).with.property('code', 'ContactsNotFound');
      await rejectsBeforeSending(() => certificates.setContacts([{} as never]), 'InvalidContacts');
      scope.done();
    });
  });

  describe('issuers', () => {
    const name = 'CRUDCertificateName-cancreatereadanddeleteacertificateissuer-';

    it('create, get (with its real name), update, delete (recorded)', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const admin = { firstName: 'John', lastName: 'Doe', email: 'admin@microsoft.com', phone: '4255555555' };
      scope.put(`/certificates/issuers/${name}`, issuerRec[1]!.RequestBody as Body).query(API).reply(200, issuerRec[1]!.ResponseBody);
      scope.get(`/certificates/issuers/${name}`).query(API).reply(200, issuerRec[5]!.ResponseBody);
      scope.patch(`/certificates/issuers/${name}`, issuerRec[6]!.RequestBody as Body).query(API).reply(200, issuerRec[6]!.ResponseBody);
      scope.delete(`/certificates/issuers/${name}`).query(API).reply(200, issuerRec[8]!.ResponseBody);
      scope.get(`/certificates/issuers/${name}`).query(API).reply(404, issuerRec[9]!.ResponseBody);
      const created = await certificates.createIssuer(name, 'Test', { accountId: 'keyvaultuser', administratorContacts: [admin] });
      expect(created).to.deep.include({ name, provider: 'Test', accountId: 'keyvaultuser', enabled: true, administratorContacts: [admin] });
      const read = await certificates.getIssuer(name);
      expect(read.name).to.equal(name);
      expect(read.createdOn?.getTime()).to.equal(1775446674000);
      const updated = await certificates.updateIssuer(name, { accountId: 'keyvaultuser2', administratorContacts: [admin] });
      expect(updated.accountId).to.equal('keyvaultuser2');
      expect((await certificates.deleteIssuer(name)).name).to.equal(name);
      expect(await certificates.getIssuer(name).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError).with.property('code', 'CertificateIssuerNotFound');
      await rejectsBeforeSending(() => certificates.createIssuer(name, ''), 'InvalidIssuer');
      scope.done();
    });

    it("an issuer's password is sent, readable, and never serialised or printed", async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.put('/certificates/issuers/i1', { provider: 'DigiCert', credentials: { account_id: 'acct', pwd: 'hunter2' }, org_details: { id: 'org' }, attributes: { enabled: true } })
        .query(API).reply(200, { id: `${VAULT}/certificates/issuers/i1`, provider: 'DigiCert', credentials: { account_id: 'acct', pwd: 'hunter2' }, org_details: { id: 'org' }, attributes: { enabled: true } });
      const issuer = await certificates.createIssuer('i1', 'DigiCert', { accountId: 'acct', password: 'hunter2', organizationId: 'org', enabled: true });
      expect(issuer.password).to.equal('hunter2');
      expect(issuer.organizationId).to.equal('org');
      expect(JSON.stringify(issuer)).to.not.include('hunter2');
      expect(inspect(issuer)).to.not.include('hunter2');
      scope.done();
    });
  });

  describe('getCertificateWithPrivateKey', () => {
    let leaf: Issued;
    before(async () => { leaf = await issueLeaf(await makeCa(), { subject: 'CN=web.example.com' }); });

    it('reads the secret as PEM through the shared transport (outContentType on 2025-07-01), on both clients', async () => {
      const { client, scope, warm } = ready();
      await warm();
      const secret = { value: leaf.pem, contentType: 'application/x-pem-file', id: `${VAULT}/secrets/web/0000000000000000000000000000000b`, kid: `${VAULT}/keys/web/0000000000000000000000000000000b`, managed: true };
      scope.get('/secrets/web/').query({ ...API, outContentType: 'application/x-pem-file' }).matchHeader('authorization', 'Bearer token-1').twice().reply(200, secret);
      const viaCertificates = await client.certificates.getCertificateWithPrivateKey('web');
      const viaRoot = await client.getCertificateWithPrivateKey('web');
      for (const result of [viaCertificates, viaRoot]) {
        expect(result.certificate.subject).to.equal('CN=web.example.com');
        expect(result.version).to.equal('0000000000000000000000000000000b');
        expect(result.pem).to.equal(leaf.pem);
        expect(JSON.stringify(result)).to.not.include(leaf.pem.split('\n')[1]);
      }
      expect(client.authStats.challenges).to.equal(1);
      scope.done();
    });

    it('asks for PKCS#12 with format pfx; on api 7.6 converts a PKCS#12 secret to PEM locally', async () => {
      const pfxSecret = { value: Buffer.from(leaf.pfx).toString('base64'), contentType: 'application/x-pkcs12', id: `${VAULT}/secrets/web/0000000000000000000000000000000c` };
      const latest = ready();
      await latest.warm();
      latest.scope.get('/secrets/web/0000000000000000000000000000000c').query({ ...API, outContentType: 'application/x-pkcs12' }).reply(200, pfxSecret);
      const asPfx = await latest.client.getCertificateWithPrivateKey$('web', { version: '0000000000000000000000000000000c', format: 'pfx' }).toPromise();
      expect(asPfx?.pfx).to.deep.equal(leaf.pfx);
      latest.scope.done();

      const older = ready({ apiVersion: '7.6' });
      await older.warm();
      older.scope.get('/secrets/web/').query({ 'api-version': '7.6' }).reply(200, pfxSecret);
      const asPem = await older.certificates.getCertificateWithPrivateKey('web');
      expect(asPem.pem).to.equal(leaf.pem);
      older.scope.done();
    });

    it('a non-exportable certificate (no key in the secret) and a missing one are clear errors', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.get('/secrets/nokey/').query(true).reply(200, { value: leaf.certificatePem, contentType: 'application/x-pem-file', id: `${VAULT}/secrets/nokey/0000000000000000000000000000000d` });
      scope.get('/secrets/gone/').query(true).reply(404, { error: { code: 'SecretNotFound', message: 'not found' } });
      scope.get('/secrets/denied/').query(true).reply(403, { error: { code: 'Forbidden', message: 'no secrets/get' } });
      expect(await certificates.getCertificateWithPrivateKey('nokey').catch((e: unknown) => e)).to.be.instanceOf(ValidationError).with.property('code', 'NoPrivateKey');
      expect(await certificates.getCertificateWithPrivateKey('gone').catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
      expect(await certificates.getCertificateWithPrivateKey('denied').catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
      await rejectsBeforeSending(() => certificates.getCertificateWithPrivateKey('web', { format: 'der' as 'pem' }), 'InvalidFormat');
      scope.done();
    });
  });

  describe('client surface', () => {
    it('errors are mapped by status, with the service code', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      scope.get('/certificates/missing/').query(API).reply(404, { error: { code: 'CertificateNotFound', message: 'A certificate with (name/id) missing was not found in this key vault.' } });
      const error = await certificates.getCertificate('missing').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(NotFoundError);
      expect(error).to.include({ code: 'CertificateNotFound', statusCode: 404, method: 'GET', path: '/certificates/missing/' });
      scope.done();
    });

    it('every async method has a $ twin, on the root sub-client and on a standalone client', async () => {
      const standalone = new CertificateClient(VAULT, countingCredential().credential, { fetch: (input, init) => fetch(input, init) });
      const { client } = mockedClient();
      expect(client.certificates).to.equal(client.certificates);
      for (const instance of [standalone, client.certificates]) {
        const proto = Object.getPrototypeOf(instance) as object;
        const methods = Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor' && typeof (proto as Record<string, unknown>)[name] === 'function' && !name.endsWith('$'));
        expect(methods).to.include.members(['beginCreateCertificate', 'getCertificateWithPrivateKey', 'listPropertiesOfIssuers', 'deleteContacts']);
        for (const name of methods) expect(typeof (instance as unknown as Record<string, unknown>)[`${name}$`], `${name}$`).to.equal('function');
      }
      expect(typeof client.getCertificateWithPrivateKey$).to.equal('function');
      expect(inspect(standalone)).to.equal(`CertificateClient { vaultUrl: '${VAULT}' }`);
    });

    it('getCertificate$ sends nothing before subscribe', async () => {
      const { certificates, scope, warm } = ready();
      await warm();
      const observable = certificates.getCertificate$(HELLO);
      scope.get(`/certificates/${HELLO}/`).query(API).reply(200, bundle);
      expect(scope.pendingMocks()).to.have.length(1);
      expect((await firstValueFrom(observable)).name).to.equal(HELLO);
      scope.done();
    });
  });
});
