import { createHash, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type RunningVault, startVault } from '../../lib/emulator/index.js';
import { replay } from '../helpers/replay.js';
import { type Answer, call as send } from './http.js';
import { createSelfSignedCertificate, describeCertificate, type Issuer, signCsr } from '../../lib/pki/certificates.js';
import { generatePrivateKey } from '../../lib/pki/keys.js';
import { fromPem, toPem } from '../../lib/pki/pem.js';
import { readPfx as fromPfx, writePfx as toPfx } from '../../lib/pki/pkcs12.js';

const json = (r: Answer) => r.json as Record<string, any>;

async function testCa(): Promise<Issuer> {
  const key = await generatePrivateKey({ kty: 'EC', crv: 'P-256' });
  const cert = await createSelfSignedCertificate({ subject: 'CN=Test CA', sans: {}, keyUsage: ['keyCertSign', 'cRLSign'], ekus: [], validityMonths: 24, ca: true }, key);
  return { cert, key };
}

describe('emulator certificates (HTTPS)', function () {
  this.timeout(30_000);
  let vault: RunningVault;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;

  const call = (method: string, path: string, body?: unknown): Promise<Answer> => send(vault, method, path, body === undefined ? {} : { body });

  function expectError(r: Answer, status: number, code: string) {
    expect(r.status, JSON.stringify(r.json)).to.equal(status);
    expect(r.json.error.code).to.equal(code);
    expect(r.json.error.message).to.be.a('string').and.not.equal('');
  }

  const selfPolicy = (extra: Record<string, unknown> = {}) => ({
    policy: {
      key_props: { kty: 'RSA', key_size: 2048 },
      x509_props: { subject: 'CN=www.contoso.test, O=Contoso', sans: { dns_names: ['www.contoso.test', 'contoso.test'] } },
      issuer: { name: 'Self' },
      ...extra,
    },
  });

  async function createSelf(name: string, body: Record<string, unknown> = selfPolicy()) {
    const created = await call('POST', `/certificates/${name}/create`, body);
    expect(created.status, JSON.stringify(created.json)).to.equal(202);
    const done = await call('GET', `/certificates/${name}/pending`);
    expect(done.json.status).to.equal('completed');
    return (await call('GET', `/certificates/${name}`)).json;
  }

  async function importPfx(name: string, policy?: Record<string, unknown>) {
    const key = await generatePrivateKey({ kty: 'EC', crv: 'P-256' });
    const cert = await createSelfSignedCertificate(
      { subject: 'CN=imported.test', sans: { dns_names: ['imported.test'] }, keyUsage: ['digitalSignature'], ekus: ['1.3.6.1.5.5.7.3.1'], validityMonths: 24, ca: false },
      key,
    );
    const value = Buffer.from(toPfx({ key, chain: [cert] }, 'pw')).toString('base64');
    const r = await call('POST', `/certificates/${name}/import`, { value, pwd: 'pw', ...(policy ? { policy } : {}) });
    return { r, key, cert };
  }

  before(async () => {
    vault = await startVault();
  });
  after(async () => vault?.stop());

  describe('create with the Self issuer', () => {
    it('answers 202 in progress with Location, Retry-After and a CSR, then completes with a real certificate', async () => {
      const name = unique('self');
      const created = await call('POST', `/certificates/${name}/create`, selfPolicy());
      expect(created.status).to.equal(202);
      expect(created.headers['location']).to.match(new RegExp(`^${vault.url}/certificates/${name}/pending\\?api-version=7\\.6&request_id=[0-9a-f]{32}$`));
      expect(created.headers['retry-after']).to.equal('10');
      expect(created.json).to.include({ id: `${vault.url}/certificates/${name}/pending`, status: 'inProgress', cancellation_requested: false });
      expect(created.json.issuer).to.deep.equal({ name: 'Self' });
      expect(created.json.request_id).to.match(/^[0-9a-f]{32}$/);
      expect(created.headers['location']).to.include(created.json.request_id);

      const pending = await call('GET', `/certificates/${name}/pending`);
      expect(pending.json).to.include({ status: 'completed', target: `${vault.url}/certificates/${name}`, csr: created.json.csr });
      expect(pending.json).not.to.have.property('status_details');

      const bundle = json(await call('GET', `/certificates/${name}/`));
      const version = bundle.id.split('/').pop();
      expect(bundle.id).to.equal(`${vault.url}/certificates/${name}/${version}`);
      expect(bundle.kid).to.equal(`${vault.url}/keys/${name}/${version}`);
      expect(bundle.sid).to.equal(`${vault.url}/secrets/${name}/${version}`);
      expect(bundle.pending).to.deep.equal({ id: `${vault.url}/certificates/${name}/pending` });
      const der = Buffer.from(bundle.cer, 'base64');
      expect(bundle.x5t).to.equal(createHash('sha1').update(der).digest('base64url'));
      const cert = new X509Certificate(der);
      expect(cert.subject).to.equal('O=Contoso\nCN=www.contoso.test');
      expect(cert.subjectAltName).to.equal('DNS:www.contoso.test, DNS:contoso.test');
      expect(cert.verify(cert.publicKey)).to.equal(true);
      expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
      expect(bundle.attributes).to.include({ enabled: true, nbf: Math.floor(Date.parse(cert.validFrom) / 1000), exp: Math.floor(Date.parse(cert.validTo) / 1000) });
      expect(bundle.attributes.recoveryLevel).to.be.a('string');
      expect(bundle.attributes.exp - bundle.attributes.nbf).to.be.within(365 * 86400, 367 * 86400);
    });

    it('serves the policy with the service defaults filled in', async () => {
      const name = unique('defaults');
      await createSelf(name, { policy: { key_props: {}, secret_props: {}, x509_props: { subject: 'cn=MyCert', sans: {} }, issuer: { name: 'Self' }, attributes: {} }, attributes: {} });
      const policy = json(await call('GET', `/certificates/${name}/policy`));
      expect(policy).to.deep.include({
        id: `${vault.url}/certificates/${name}/policy`,
        key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
        secret_props: { contentType: 'application/x-pkcs12' },
        x509_props: {
          subject: 'cn=MyCert',
          sans: {},
          ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
          key_usage: ['digitalSignature', 'keyEncipherment'],
          validity_months: 12,
          basic_constraints: { ca: false },
        },
        lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
        issuer: { name: 'Self' },
      });
      expect(policy.attributes.enabled).to.equal(true);
      expect(policy.attributes.created).to.be.a('number');
    });

    it('stores a managed PFX secret whose key matches the certificate, and a managed key', async () => {
      const name = unique('pfx');
      const bundle = await createSelf(name);
      const secret = json(await call('GET', new URL(bundle.sid).pathname));
      expect(secret).to.include({ contentType: 'application/x-pkcs12', managed: true, kid: bundle.kid, id: bundle.sid });
      const { key, chain } = fromPfx(Buffer.from(secret.value, 'base64'));
      expect(Buffer.from(chain[0]!).toString('base64')).to.equal(bundle.cer);
      const signature = sign('sha256', Buffer.from('payload'), key!);
      expect(verify('sha256', Buffer.from('payload'), new X509Certificate(Buffer.from(bundle.cer, 'base64')).publicKey, signature)).to.equal(true);
      const keyBundle = await call('GET', new URL(bundle.kid).pathname);
      if (keyBundle.status !== 404 || keyBundle.json?.error?.code !== 'NotFound') {
        expect(keyBundle.status).to.equal(200);
        expect(keyBundle.json.managed).to.equal(true);
        expect(keyBundle.json.key.kid).to.equal(bundle.kid);
        expect(keyBundle.json.key).not.to.have.property('d');
      }
    });

    it('keeps the private key out of the secret of a non-exportable certificate', async () => {
      const name = unique('nonexportable');
      const bundle = await createSelf(name, selfPolicy({ key_props: { kty: 'RSA', key_size: 2048, exportable: false } }));
      expect(bundle.policy.key_props.exportable).to.equal(false);
      const secret = json(await call('GET', new URL(bundle.sid).pathname));
      const content = fromPfx(Buffer.from(secret.value, 'base64'));
      expect(content.key).to.equal(undefined);
      expect(Buffer.from(content.chain[0]!).toString('base64')).to.equal(bundle.cer);
      expect(json(await call('GET', new URL(bundle.kid).pathname)).key.n).to.be.a('string');
    });

    it('makes EC certificates and PEM secrets as the policy asks', async () => {
      for (const crv of ['P-256', 'P-384', 'P-521', 'P-256K']) {
        const name = unique(`ec-${crv.toLowerCase()}`);
        const bundle = await createSelf(name, selfPolicy({ key_props: { kty: 'EC', crv }, secret_props: { contentType: 'application/x-pem-file' } }));
        expect(bundle.policy.key_props).to.include({ kty: 'EC', crv });
        const secret = json(await call('GET', new URL(bundle.sid).pathname));
        expect(secret.contentType).to.equal('application/x-pem-file');
        expect(secret.value).to.match(/^-----BEGIN PRIVATE KEY-----/);
        const { key, chain } = fromPem(secret.value);
        const info = describeCertificate(chain[0]!);
        expect(info.key).to.deep.equal({ kty: 'EC', crv });
        const signature = sign('sha256', Buffer.from('x'), key!);
        expect(verify('sha256', Buffer.from('x'), new X509Certificate(chain[0]!).publicKey, signature)).to.equal(true);
      }
    });

    it('applies key usages, EKUs, validity, emails and UPNs, and reuses the key when asked', async () => {
      const name = unique('profile');
      const body = selfPolicy({
        key_props: { kty: 'RSA', key_size: 3072, reuse_key: true },
        x509_props: { subject: 'CN=profile', sans: { emails: ['a@contoso.test'], upns: ['u@contoso.test'] }, key_usage: ['digitalSignature'], ekus: ['1.3.6.1.5.5.7.3.4'], validity_months: 3 },
      });
      const first = await createSelf(name, body);
      const info = describeCertificate(Buffer.from(first.cer, 'base64'));
      expect(info.keyUsage).to.deep.equal(['digitalSignature']);
      expect(info.ekus).to.deep.equal(['1.3.6.1.5.5.7.3.4']);
      expect(info.sans).to.deep.equal({ emails: ['a@contoso.test'], upns: ['u@contoso.test'] });
      expect(info.key).to.deep.equal({ kty: 'RSA', size: 3072 });
      expect((info.notAfter.getTime() - Date.now()) / 86400_000).to.be.within(88, 93);
      const second = await createSelf(name, body);
      expect(second.id).not.to.equal(first.id);
      const spki = (b: any) => new X509Certificate(Buffer.from(b.cer, 'base64')).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      expect(spki(second)).to.equal(spki(first));
      const third = await createSelf(name, selfPolicy({ key_props: { kty: 'RSA', key_size: 3072, reuse_key: false } }));
      expect(spki(third)).not.to.equal(spki(first));
    });

    it('refuses malformed policies with BadParameter', async () => {
      const name = unique('bad');
      const bad: unknown[] = [
        {},
        { policy: 'x' },
        { policy: { key_props: { kty: 'oct' }, x509_props: { subject: 'CN=x' }, issuer: { name: 'Self' } } },
        { policy: { key_props: { kty: 'RSA', key_size: 1024 }, x509_props: { subject: 'CN=x' }, issuer: { name: 'Self' } } },
        { policy: { key_props: { kty: 'EC', crv: 'P-999' }, x509_props: { subject: 'CN=x' }, issuer: { name: 'Self' } } },
        { policy: { key_props: { kty: 'EC', crv: 'P-256', key_size: 384 }, x509_props: { subject: 'CN=x' }, issuer: { name: 'Self' } } },
        { policy: { secret_props: { contentType: 'text/plain' }, x509_props: { subject: 'CN=x' }, issuer: { name: 'Self' } } },
        { policy: { x509_props: {}, issuer: { name: 'Self' } } },
        { policy: { x509_props: { subject: 'not a name' }, issuer: { name: 'Self' } } },
        { policy: { x509_props: { subject: 'CN=x', key_usage: ['everything'] }, issuer: { name: 'Self' } } },
        { policy: { x509_props: { subject: 'CN=x', ekus: ['serverAuth'] }, issuer: { name: 'Self' } } },
        { policy: { x509_props: { subject: 'CN=x', validity_months: 0 }, issuer: { name: 'Self' } } },
        { policy: { x509_props: { subject: 'CN=x' }, issuer: { name: 'Self' }, lifetime_actions: [{ trigger: {}, action: { action_type: 'AutoRenew' } }] } },
        { policy: { x509_props: { subject: 'CN=x' }, issuer: { name: 'Self' }, lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'Explode' } }] } },
        '[1,2]',
      ];
      for (const body of bad) expectError(await call('POST', `/certificates/${name}/create`, body), 400, 'BadParameter');
      expectError(await call('GET', `/certificates/${name}`), 404, 'CertificateNotFound');
      expectError(await call('POST', '/certificates/bad_name!/create', selfPolicy()), 400, 'BadParameter');
    });
  });

  describe('create with the Unknown issuer, then merge', () => {
    it('keeps the operation in progress with a CSR, shows a disabled version, and merges a CA-signed certificate', async () => {
      const name = unique('merge');
      const created = await call('POST', `/certificates/${name}/create`, {
        policy: { x509_props: { subject: 'CN=merge.test', sans: { dns_names: ['merge.test'] } }, issuer: { name: 'Unknown', cert_transparency: false } },
      });
      expect(created.status).to.equal(202);
      expect(created.json.status_details).to.equal('Pending certificate created. Please Perform Merge to complete the request.');
      const pending = await call('GET', `/certificates/${name}/pending`);
      expect(pending.json.status).to.equal('inProgress');
      expect(pending.headers['retry-after']).to.equal('10');
      const planned = json(await call('GET', `/certificates/${name}`));
      expect(planned.attributes.enabled).to.equal(false);
      expect(planned).not.to.have.property('cer');
      expect(planned.policy.lifetime_actions[0].action.action_type).to.equal('EmailContacts');
      expect(planned.policy.issuer).to.deep.equal({ name: 'Unknown', cert_transparency: false });

      const ca = await testCa();
      // A certificate for another key is refused.
      const stranger = await createSelfSignedCertificate(
        { subject: 'CN=stranger', sans: {}, keyUsage: [], ekus: [], validityMonths: 1, ca: false },
        await generatePrivateKey({ kty: 'RSA', size: 2048 }),
      );
      expectError(await call('POST', `/certificates/${name}/pending/merge`, { x5c: [Buffer.from(stranger).toString('base64')] }), 400, 'BadParameter');
      expectError(await call('POST', `/certificates/${name}/pending/merge`, { x5c: [] }), 400, 'BadParameter');
      expectError(await call('POST', `/certificates/${name}/pending/merge`, { x5c: ['bm90IGEgY2VydA=='] }), 400, 'BadParameter');

      const signed = await signCsr(Buffer.from(created.json.csr, 'base64'), ca);
      // As the JS SDK sends it: base64 of the PEM text, then the CA as DER.
      const x5c = [Buffer.from(toPem({ chain: [signed] })).toString('base64'), Buffer.from(ca.cert).toString('base64')];
      const merged = await call('POST', `/certificates/${name}/pending/merge`, { x5c, tags: { merged: 'yes' } });
      expect(merged.status).to.equal(201);
      expect(merged.headers['location']).to.equal(`${vault.url}/certificates/${name}?api-version=7.6`);
      expect(merged.json.cer).to.equal(Buffer.from(signed).toString('base64'));
      expect(merged.json.attributes.enabled).to.equal(true);
      expect(merged.json.tags).to.deep.equal({ merged: 'yes' });
      expect((await call('GET', `/certificates/${name}/pending`)).json).to.include({ status: 'completed', target: `${vault.url}/certificates/${name}` });
      const secret = json(await call('GET', new URL(merged.json.sid).pathname));
      const { key, chain } = fromPfx(Buffer.from(secret.value, 'base64'));
      expect(chain.map((c) => Buffer.from(c).toString('base64'))).to.deep.equal([merged.json.cer, Buffer.from(ca.cert).toString('base64')]);
      expect(new X509Certificate(chain[0]!).checkPrivateKey(key!)).to.equal(true);
      expectError(await call('POST', `/certificates/${name}/pending/merge`, { x5c }), 409, 'Conflict');
    });

    it('cancels and deletes a pending operation', async () => {
      const name = unique('cancel');
      await call('POST', `/certificates/${name}/create`, { policy: { x509_props: { subject: 'CN=c' }, issuer: { name: 'Unknown' } } });
      expectError(await call('POST', `/certificates/${name}/create`, { policy: { x509_props: { subject: 'CN=c' }, issuer: { name: 'Unknown' } } }), 409, 'Conflict');
      expectError(await call('PATCH', `/certificates/${name}/pending`, {}), 400, 'BadParameter');
      const cancelled = await call('PATCH', `/certificates/${name}/pending`, { cancellation_requested: true });
      expect(cancelled.status).to.equal(200);
      expect(cancelled.json).to.include({ status: 'cancelled', cancellation_requested: true });
      const removed = await call('DELETE', `/certificates/${name}/pending`);
      expect(removed.status).to.equal(200);
      expect(removed.json.status).to.equal('cancelled');
      expectError(await call('GET', `/certificates/${name}/pending`), 404, 'PendingCertificateNotFound');
      expectError(await call('DELETE', `/certificates/${name}/pending`), 404, 'PendingCertificateNotFound');
      expectError(await call('GET', `/certificates/${unique('none')}/pending`), 404, 'PendingCertificateNotFound');
    });

    it('leaves a certificate from a registered issuer in progress', async () => {
      const issuer = unique('issuer');
      expect((await call('PUT', `/certificates/issuers/${issuer}`, { provider: 'Test' })).status).to.equal(200);
      const name = unique('issued');
      const created = await call('POST', `/certificates/${name}/create`, { policy: { x509_props: { subject: 'CN=i' }, issuer: { name: issuer } } });
      expect(created.json.status_details).to.match(/in progress/);
      expect((await call('GET', `/certificates/${name}/pending`)).json.status).to.equal('inProgress');
      const planned = json(await call('GET', `/certificates/${name}`));
      expect(planned.policy.lifetime_actions[0].action.action_type).to.equal('AutoRenew');
    });
  });

  describe('import', () => {
    it('imports a password-protected PFX without a policy and derives one', async () => {
      const name = unique('import');
      const { r, cert } = await importPfx(name);
      expect(r.status, JSON.stringify(r.json)).to.equal(200);
      expect(r.json.cer).to.equal(Buffer.from(cert).toString('base64'));
      expect(r.json).not.to.have.property('pending');
      expect(r.json.policy).to.deep.include({
        key_props: { exportable: true, kty: 'EC', key_size: 256, crv: 'P-256', reuse_key: false },
        secret_props: { contentType: 'application/x-pkcs12' },
        lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
        issuer: { name: 'Unknown' },
      });
      expect(r.json.policy.x509_props).to.deep.include({ subject: 'CN=imported.test', sans: { dns_names: ['imported.test'] }, ekus: ['1.3.6.1.5.5.7.3.1'], key_usage: ['digitalSignature'], validity_months: 24, basic_constraints: { ca: false } });
      const secret = json(await call('GET', new URL(r.json.sid).pathname));
      // The secret's PFX has no password, as the service's.
      expect(fromPfx(Buffer.from(secret.value, 'base64')).chain).to.have.length(1);
    });

    it('imports PEM (key and certificate) under a PEM policy', async () => {
      const name = unique('pem');
      const key = await generatePrivateKey({ kty: 'RSA', size: 2048 });
      const cert = await createSelfSignedCertificate({ subject: 'CN=pem.test, O=Fabrikam', sans: {}, keyUsage: [], ekus: [], validityMonths: 12, ca: false }, key);
      const r = await call('POST', `/certificates/${name}/import`, { value: toPem({ key, chain: [cert] }), policy: { secret_props: { contentType: 'application/x-pem-file' } }, tags: { t: '1' } });
      expect(r.status, JSON.stringify(r.json)).to.equal(200);
      expect(r.json.policy.x509_props.subject).to.equal('CN=pem.test, O=Fabrikam');
      expect(r.json.tags).to.deep.equal({ t: '1' });
      const secret = json(await call('GET', new URL(r.json.sid).pathname));
      expect(secret.contentType).to.equal('application/x-pem-file');
      expect(fromPem(secret.value).key?.asymmetricKeyType).to.equal('rsa');
    });

    it('refuses a wrong password, garbage, a certificate without key, and a missing value', async () => {
      const name = unique('import-bad');
      const key = await generatePrivateKey({ kty: 'EC', crv: 'P-256' });
      const cert = await createSelfSignedCertificate({ subject: 'CN=x', sans: {}, keyUsage: [], ekus: [], validityMonths: 1, ca: false }, key);
      const pfx = Buffer.from(toPfx({ key, chain: [cert] }, 'right')).toString('base64');
      expectError(await call('POST', `/certificates/${name}/import`, { value: pfx, pwd: 'wrong' }), 400, 'BadParameter');
      expectError(await call('POST', `/certificates/${name}/import`, { value: 'AAAA' }), 400, 'BadParameter');
      expectError(await call('POST', `/certificates/${name}/import`, { value: toPem({ chain: [cert] }) }), 400, 'BadParameter');
      expectError(await call('POST', `/certificates/${name}/import`, {}), 400, 'BadParameter');
      // An Ed25519 certificate: valid PEM, a key type Key Vault certificates do not hold.
      const ed = generateKeyPairSync('ed25519').privateKey;
      const edKey = ed.export({ type: 'pkcs8', format: 'pem' }).toString();
      const dir = mkdtempSync(join(tmpdir(), 'kv-ed-'));
      try {
        writeFileSync(join(dir, 'ed.key'), edKey);
        const edPem = execFileSync('openssl', ['req', '-new', '-x509', '-key', join(dir, 'ed.key'), '-subj', '/CN=ed25519.test', '-days', '1']).toString();
        expectError(await call('POST', `/certificates/${name}/import`, { value: `${edKey}${edPem}` }), 400, 'BadParameter');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expectError(await call('GET', `/certificates/${name}`), 404, 'CertificateNotFound');
    });
  });

  describe('versions, lists and updates', () => {
    it('lists versions and names (pending ones only with includePending)', async () => {
      const name = unique('versions');
      const first = await createSelf(name);
      const second = await createSelf(name);
      const versions = json(await call('GET', `/certificates/${name}/versions`));
      expect(versions.value.map((v: any) => v.id).sort()).to.deep.equal([first.id, second.id].sort());
      expect(versions.value.every((v: any) => typeof v.x5t === 'string' && v.attributes.enabled === true)).to.equal(true);
      expect(json(await call('GET', new URL(first.id).pathname)).cer).to.equal(first.cer);
      expect(json(await call('GET', `/certificates/${name}`)).id).to.equal(second.id);

      const pendingName = unique('listpending');
      await call('POST', `/certificates/${pendingName}/create`, { policy: { x509_props: { subject: 'CN=p' }, issuer: { name: 'Unknown' } } });
      const ids = async (query: string) => {
        const out: string[] = [];
        let next: string | null = `/certificates?maxresults=25${query}`;
        while (next) {
          const r: Answer = await call('GET', next.startsWith('http') ? next.slice(vault.url.length).replace(/api-version=[^&]+&?/, '') : next);
          out.push(...r.json.value.map((v: any) => v.id));
          next = r.json.nextLink;
        }
        return out;
      };
      const listed = await ids('');
      expect(listed).to.include(`${vault.url}/certificates/${name}`);
      expect(listed).not.to.include(`${vault.url}/certificates/${pendingName}`);
      expect(await ids('&includePending=true')).to.include(`${vault.url}/certificates/${pendingName}`);
    });

    it('updates attributes and tags (the secret follows), and the policy', async () => {
      const name = unique('update');
      const bundle = await createSelf(name);
      const updated = await call('PATCH', `/certificates/${name}/`, { attributes: { enabled: false }, tags: { env: 'test' } });
      expect(updated.status).to.equal(200);
      expect(updated.json.attributes.enabled).to.equal(false);
      expect(updated.json.tags).to.deep.equal({ env: 'test' });
      expect(updated.json.cer).to.equal(bundle.cer);
      expectError(await call('GET', new URL(bundle.sid).pathname), 403, 'Forbidden');

      const policy = await call('PATCH', `/certificates/${name}/policy`, { x509_props: { validity_months: 6, key_usage: ['digitalSignature'] }, secret_props: { contentType: 'application/x-pem-file' } });
      expect(policy.status).to.equal(200);
      expect(policy.json.x509_props).to.include({ validity_months: 6, subject: 'CN=www.contoso.test, O=Contoso' });
      expect(policy.json.x509_props.key_usage).to.deep.equal(['digitalSignature']);
      expect(policy.json.secret_props.contentType).to.equal('application/x-pem-file');
      expect(json(await call('GET', `/certificates/${name}/policy`)).x509_props.validity_months).to.equal(6);
      expectError(await call('PATCH', `/certificates/${name}/policy`, { key_props: { key_size: 1000 } }), 400, 'BadParameter');
      expectError(await call('GET', `/certificates/${unique('nope')}/policy`), 404, 'CertificateNotFound');
      expectError(await call('PATCH', `/certificates/${unique('nope')}/`, { tags: {} }), 404, 'CertificateNotFound');
    });
  });

  describe('delete, recover, purge, backup and restore', () => {
    it('soft-deletes the certificate with its key and secret, recovers and purges them', async () => {
      const name = unique('delete');
      const bundle = await createSelf(name);
      const deleted = await call('DELETE', `/certificates/${name}`);
      expect(deleted.status).to.equal(200);
      expect(deleted.json).to.include({ recoveryId: `${vault.url}/deletedcertificates/${name}`, id: bundle.id, cer: bundle.cer });
      expect(deleted.json.scheduledPurgeDate - deleted.json.deletedDate).to.be.greaterThan(0);
      expectError(await call('GET', `/certificates/${name}`), 404, 'CertificateNotFound');
      expect((await call('GET', `/secrets/${name}`)).status).to.equal(404);
      expect(json(await call('GET', `/deletedcertificates/${name}`)).recoveryId).to.equal(`${vault.url}/deletedcertificates/${name}`);
      const list = json(await call('GET', '/deletedcertificates'));
      expect(list.value.map((d: any) => d.id)).to.include(`${vault.url}/certificates/${name}`);
      expectError(await call('POST', `/certificates/${name}/create`, selfPolicy()), 409, 'Conflict');

      const recovered = await call('POST', `/deletedcertificates/${name}/recover`);
      expect(recovered.status).to.equal(200);
      expect(recovered.json.cer).to.equal(bundle.cer);
      expect((await call('GET', new URL(bundle.sid).pathname)).status).to.equal(200);

      await call('DELETE', `/certificates/${name}`);
      const purged = await call('DELETE', `/deletedcertificates/${name}`);
      expect(purged.status).to.equal(204);
      expectError(await call('GET', `/deletedcertificates/${name}`), 404, 'CertificateNotFound');
      expect((await call('GET', `/deletedsecrets/${name}`)).status).to.equal(404);
      expectError(await call('DELETE', `/certificates/${name}`), 404, 'CertificateNotFound');
      expectError(await call('POST', `/deletedcertificates/${name}/recover`), 404, 'CertificateNotFound');
    });

    it('backs up to an opaque blob and restores it (409 while the name exists)', async () => {
      const name = unique('backup');
      const bundle = await createSelf(name, selfPolicy({ secret_props: { contentType: 'application/x-pem-file' } }));
      const backup = await call('POST', `/certificates/${name}/backup`);
      expect(backup.status).to.equal(200);
      expect(backup.json.value).to.match(/^[A-Za-z0-9_-]+$/);
      expectError(await call('POST', '/certificates/restore', { value: backup.json.value }), 409, 'Conflict');
      expectError(await call('POST', '/certificates/restore', { value: 'bm9wZQ' }), 400, 'BadParameter');
      await call('DELETE', `/certificates/${name}`);
      await call('DELETE', `/deletedcertificates/${name}`);
      const restored = await call('POST', '/certificates/restore', { value: backup.json.value });
      expect(restored.status).to.equal(200);
      expect(restored.json).to.include({ id: bundle.id, cer: bundle.cer });
      const secret = json(await call('GET', new URL(bundle.sid).pathname));
      expect(fromPem(secret.value).key).to.not.equal(undefined);
    });
  });

  describe('contacts and issuers', () => {
    it('sets, gets and deletes contacts', async () => {
      const contacts = [{ email: 'a@a.com', name: 'a', phone: '111111111111' }, { email: 'b@b.com' }];
      const set = await call('PUT', '/certificates/contacts', { contacts });
      expect(set.json).to.deep.equal({ id: `${vault.url}/certificates/contacts`, contacts });
      expect(json(await call('GET', '/certificates/contacts')).contacts).to.deep.equal(contacts);
      expect(json(await call('DELETE', '/certificates/contacts')).contacts).to.deep.equal(contacts);
      expectError(await call('GET', '/certificates/contacts'), 404, 'ContactsNotFound');
      expectError(await call('DELETE', '/certificates/contacts'), 404, 'ContactsNotFound');
      expectError(await call('PUT', '/certificates/contacts', { contacts: 'x' }), 400, 'BadParameter');
    });

    it('creates, reads, updates, lists and deletes issuers', async () => {
      const name = unique('iss');
      const body = { provider: 'Test', credentials: { account_id: 'keyvaultuser', pwd: 'p' }, org_details: { admin_details: [{ first_name: 'John', last_name: 'Doe', email: 'admin@contoso.test', phone: '4255555555' }] } };
      const set = json(await call('PUT', `/certificates/issuers/${name}`, body));
      expect(set).to.deep.include({ id: `${vault.url}/certificates/issuers/${name}`, provider: 'Test' });
      expect(set.credentials.account_id).to.equal('keyvaultuser');
      expect(set.org_details.admin_details[0].email).to.equal('admin@contoso.test');
      expect(set.attributes.enabled).to.equal(true);
      const patched = json(await call('PATCH', `/certificates/issuers/${name}`, { credentials: { account_id: 'keyvaultuser2' }, attributes: { enabled: false } }));
      expect(patched.credentials.account_id).to.equal('keyvaultuser2');
      expect(patched.provider).to.equal('Test');
      expect(patched.attributes.enabled).to.equal(false);
      expect(json(await call('GET', `/certificates/issuers/${name}`)).credentials.account_id).to.equal('keyvaultuser2');
      expect(json(await call('GET', '/certificates/issuers')).value).to.deep.include({ id: `${vault.url}/certificates/issuers/${name}`, provider: 'Test' });
      expect(json(await call('DELETE', `/certificates/issuers/${name}`)).provider).to.equal('Test');
      expectError(await call('GET', `/certificates/issuers/${name}`), 404, 'CertificateIssuerNotFound');
      expectError(await call('PATCH', `/certificates/issuers/${name}`, { provider: 'x' }), 404, 'CertificateIssuerNotFound');
      expectError(await call('PUT', `/certificates/issuers/${name}`, {}), 400, 'BadParameter');
    });
  });

  describe('persistence', () => {
    it('keeps certificates, secrets, operations and issuers across a restart on the same data file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kv-certs-'));
      const dataFile = join(dir, 'vault.db');
      const previous = vault;
      try {
        vault = await startVault({ dataFile });
        const bundle = await createSelf('persisted');
        await call('POST', '/certificates/pending-one/create', { policy: { x509_props: { subject: 'CN=p' }, issuer: { name: 'Unknown' } } });
        await call('PUT', '/certificates/issuers/kept', { provider: 'Test' });
        await vault.stop();
        vault = await startVault({ dataFile });
        const again = json(await call('GET', '/certificates/persisted'));
        expect(again.cer).to.equal(bundle.cer);
        expect(fromPfx(Buffer.from(json(await call('GET', '/secrets/persisted')).value, 'base64')).key).to.not.equal(undefined);
        const op = json(await call('GET', '/certificates/pending-one/pending'));
        expect(op.status).to.equal('inProgress');
        const ca = await testCa();
        const signed = await signCsr(Buffer.from(op.csr, 'base64'), ca);
        expect((await call('POST', '/certificates/pending-one/pending/merge', { x5c: [Buffer.from(signed).toString('base64')] })).status).to.equal(201);
        expect(json(await call('GET', '/certificates/issuers/kept')).provider).to.equal('Test');
        await vault.stop();
      } finally {
        vault = previous;
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
  describe('recorded service sessions', () => {
    // Not in replay.spec.ts's areas: one recorded exchange cannot pass in any faithful vault. The JS SDK test merged
    // a certificate issued for the service's own pending key; replayed here, the pending key is the vault's, and the
    // service itself refuses a chain without the pending key's certificate (400, the same message as here).
    it('answers every recorded certificates exchange as the service did, but the merge of a certificate for the service key', async () => {
      const fresh = await startVault();
      try {
        const report = await replay(fresh.url, fresh.ca, ['certificates']);
        expect([report.matched, report.total], report.misses.join('\n')).to.deep.equal([35, 36]);
        expect(report.misses).to.have.length(1);
        expect(report.misses[0]).to.match(/can_merge_a_self_signed_certificate.* #6 POST .*\/pending\/merge: status 400, service 201$/);
      } finally {
        await fresh.stop();
      }
    });
  });
});
