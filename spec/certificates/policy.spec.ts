import { expect } from 'chai';
import { ValidationError, type CertificatePolicy } from '../../lib/index.js';
import { DefaultCertificatePolicy, checkPolicy, fromWirePolicy, toWirePolicy, type WirePolicy } from '../../lib/certificates/policy.js';
import { recording } from '../helpers/recordings.js';

const served = recording('certificates', 'js_recording_get_a_certificate_policy[2025-07-01]')[6]!.ResponseBody as WirePolicy;

function rejects(policy: unknown, message: RegExp, code = 'InvalidPolicy') {
  let error: unknown;
  try {
    checkPolicy(policy as CertificatePolicy, true);
  } catch (caught) {
    error = caught;
  }
  expect(error).to.be.instanceOf(ValidationError);
  expect((error as ValidationError).code).to.equal(code);
  expect((error as Error).message).to.match(message);
}

describe('certificate policy', () => {
  it('encodes every member into the wire blocks', () => {
    const policy: CertificatePolicy = {
      issuerName: 'Self',
      subject: 'CN=example.com',
      subjectAlternativeNames: { dnsNames: ['example.com', 'www.example.com'], emails: ['a@example.com'], userPrincipalNames: ['u@example.com'], uniformResourceIdentifiers: ['https://example.com'], ipAddresses: ['10.0.0.1'] },
      keyType: 'RSA', keySize: 3072, exportable: true, reuseKey: false,
      contentType: 'application/x-pem-file', validityInMonths: 6,
      keyUsage: ['digitalSignature', 'keyEncipherment'], enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
      lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }, { action: 'EmailContacts', daysBeforeExpiry: 10 }],
      certificateType: 'OV-SSL', certificateTransparency: false, enabled: true,
    };
    expect(toWirePolicy(policy)).to.deep.equal({
      key_props: { exportable: true, kty: 'RSA', key_size: 3072, reuse_key: false },
      secret_props: { contentType: 'application/x-pem-file' },
      x509_props: {
        subject: 'CN=example.com',
        ekus: ['1.3.6.1.5.5.7.3.1'],
        sans: { emails: ['a@example.com'], dns_names: ['example.com', 'www.example.com'], upns: ['u@example.com'], uris: ['https://example.com'], ipAddresses: ['10.0.0.1'] },
        key_usage: ['digitalSignature', 'keyEncipherment'],
        validity_months: 6,
      },
      lifetime_actions: [
        { trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } },
        { trigger: { days_before_expiry: 10 }, action: { action_type: 'EmailContacts' } },
      ],
      issuer: { name: 'Self', cty: 'OV-SSL', cert_transparency: false },
      attributes: { enabled: true },
    });
  });

  it('leaves out empty blocks: the default policy is an issuer and a subject', () => {
    expect(toWirePolicy(DefaultCertificatePolicy)).to.deep.equal({ x509_props: { subject: 'cn=MyCert' }, issuer: { name: 'Self' } });
    expect(toWirePolicy({ keyType: 'EC', keyCurveName: 'P-384', subject: 'CN=a' })).to.deep.equal({ key_props: { kty: 'EC', crv: 'P-384' }, x509_props: { subject: 'CN=a' } });
  });

  it('decodes a served policy (recorded) into the flat public shape', () => {
    const policy = fromWirePolicy(served);
    expect(policy).to.deep.equal({
      issuerName: 'Sanitized',
      subject: 'cn=MyCert',
      keyType: 'RSA', keySize: 2048, exportable: true, reuseKey: false,
      contentType: 'application/x-pkcs12',
      enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      validityInMonths: 12,
      lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
      enabled: true,
      createdOn: new Date(1776811241000),
      updatedOn: new Date(1776811241000),
    });
    // Empty `sans: {}` on the wire is no subjectAlternativeNames, and the policy can be sent back as read.
    expect(policy).to.not.have.property('subjectAlternativeNames');
    expect(() => checkPolicy(policy, true)).to.not.throw();
  });

  it('drops the key_size the service reports for EC keys, so a read policy stays valid', () => {
    const policy = fromWirePolicy({ key_props: { kty: 'EC', key_size: 256, crv: 'P-256' }, x509_props: { subject: 'CN=a', sans: { dns_names: ['a.example'] } } });
    expect(policy).to.deep.equal({ keyType: 'EC', keyCurveName: 'P-256', subject: 'CN=a', subjectAlternativeNames: { dnsNames: ['a.example'] } });
    expect(() => checkPolicy(policy, true)).to.not.throw();
  });

  it('rejects impossible key combinations', () => {
    rejects({ subject: 'CN=a', keyType: 'EC', keySize: 2048 }, /EC key takes keyCurveName, not keySize/);
    rejects({ subject: 'CN=a', keyType: 'EC-HSM', keySize: 256 }, /EC-HSM key takes keyCurveName/);
    rejects({ subject: 'CN=a', keyType: 'RSA', keyCurveName: 'P-256' }, /keyCurveName is only for EC keys/);
    rejects({ subject: 'CN=a', keyCurveName: 'P-256' }, /keyCurveName is only for EC keys/);
    rejects({ subject: 'CN=a', keySize: 1024 }, /2048, 3072 or 4096/);
    rejects({ subject: 'CN=a', keyType: 'EC', keyCurveName: 'P-192' }, /keyCurveName must be one of/);
    rejects({ subject: 'CN=a', keyType: 'oct' }, /keyType must be one of/);
  });

  it('requires a subject or a subject alternative name, except on import', () => {
    rejects({ issuerName: 'Self' }, /subject or at least one subject alternative name/);
    rejects({ subject: '  ' }, /distinguished name/);
    rejects({ subjectAlternativeNames: { dnsNames: [] } }, /subject or at least one/);
    rejects({ subjectAlternativeNames: { dnsNames: [''] } }, /non-empty strings/);
    rejects({ subjectAlternativeNames: { hosts: ['a'] } }, /Unknown subject alternative name kind/);
    expect(() => checkPolicy({ subjectAlternativeNames: { dnsNames: ['a.example'] } }, true)).to.not.throw();
    expect(() => checkPolicy({ contentType: 'application/x-pem-file' }, false)).to.not.throw();
  });

  it('rejects malformed subjects, names, usages and lifetime actions', () => {
    rejects({ subject: 'example.com' }, /distinguished name/);
    rejects({ subject: 'CN=a', issuerName: 'bad name!' }, /Invalid issuer name/, 'InvalidName');
    rejects({ subject: 'CN=a', contentType: 'text/plain' }, /contentType/);
    rejects({ subject: 'CN=a', validityInMonths: 0 }, /validityInMonths/);
    rejects({ subject: 'CN=a', enhancedKeyUsage: ['serverAuth'] }, /OIDs/);
    rejects({ subject: 'CN=a', keyUsage: ['signing'] }, /Unknown key usage/);
    rejects({ subject: 'CN=a', lifetimeActions: [{ action: 'AutoRenew' }] }, /exactly one of/);
    rejects({ subject: 'CN=a', lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 50, daysBeforeExpiry: 3 }] }, /exactly one of/);
    rejects({ subject: 'CN=a', lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 100 }] }, /1 to 99/);
    rejects({ subject: 'CN=a', validityInMonths: 1, lifetimeActions: [{ daysBeforeExpiry: 28 }] }, /validityInMonths \* 27/);
    rejects({ subject: 'CN=a', lifetimeActions: [{ action: 'Renew', lifetimePercentage: 10 }] }, /EmailContacts or AutoRenew/);
    expect(() => checkPolicy({ subject: 'CN=a', issuerName: 'Unknown' }, true)).to.not.throw();
    expect(() => checkPolicy({ subject: 'CN=a', issuerName: 'my-issuer-1' }, true)).to.not.throw();
  });

  it('types: impossible policies do not compile', () => {
    // @ts-expect-error an EC key has no size
    const ecWithSize: CertificatePolicy = { subject: 'CN=a', keyType: 'EC', keySize: 256 };
    // @ts-expect-error an RSA key has no curve
    const rsaWithCurve: CertificatePolicy = { subject: 'CN=a', keyType: 'RSA', keyCurveName: 'P-256' };
    // @ts-expect-error a curve needs keyType EC
    const curveOnly: CertificatePolicy = { subject: 'CN=a', keyCurveName: 'P-256' };
    // @ts-expect-error neither subject nor subject alternative names
    const noSubject: CertificatePolicy = { issuerName: 'Self' };
    const fine: CertificatePolicy[] = [
      { subject: 'CN=a' },
      { subjectAlternativeNames: { dnsNames: ['a'] } },
      { subject: 'CN=a', keyType: 'EC', keyCurveName: 'P-256' },
      { subject: 'CN=a', keyType: 'RSA-HSM', keySize: 4096 },
      { ...DefaultCertificatePolicy, keyType: 'EC' },
    ];
    expect([ecWithSize, rsaWithCurve, curveOnly, noSubject, ...fine]).to.have.length(9);
  });
});
