import { expect } from 'chai';
import { ValidationError } from '../../lib/index.js';
import {
  toCertificateIssuer, toCertificateOperation, toCertificateProperties, toContacts, toDeletedCertificate, toIssuerProperties,
} from '../../lib/certificates/transform.js';
import { recording } from '../helpers/recordings.js';

const issuerRec = recording('certificates', 'js_recording_can_create_read_and_delete_a_certificate_issuer[2025-07-01]');

describe('certificate wire mapping', () => {
  it("an issuer's name is the last segment of its id (Microsoft's SDK reports 'issuers')", () => {
    const issuer = toCertificateIssuer(issuerRec[1]!.ResponseBody);
    expect(issuer.name).to.equal('CRUDCertificateName-cancreatereadanddeleteacertificateissuer-');
    // The service's extra `zip: 0` in org_details is ignored; the admins are mapped.
    expect(issuer.administratorContacts).to.deep.equal([{ firstName: 'John', lastName: 'Doe', email: 'admin@microsoft.com', phone: '4255555555' }]);
    expect(toIssuerProperties({ id: 'https://v.example/base/path/certificates/issuers/my%20ca', provider: 'p' })).to.deep.equal({ id: 'https://v.example/base/path/certificates/issuers/my%20ca', name: 'my ca', provider: 'p' });
    expect(() => toIssuerProperties({ id: 'https://v.example/certificates/c1/abc' })).to.throw(ValidationError);
  });

  it('operation errors keep their inner error chain; the name and vault come from the id', () => {
    const operation = toCertificateOperation({
      id: 'https://v.example/certificates/c1/pending',
      status: 'failed',
      error: { code: 'A', message: 'outer', innererror: { code: 'B', message: 'inner', innererror: null } },
      issuer: { name: 'Self', cty: 'OV', cert_transparency: true },
      preserveCertOrder: true,
    });
    expect(operation).to.deep.include({ name: 'c1', vaultUrl: 'https://v.example', issuerName: 'Self', certificateType: 'OV', certificateTransparency: true, preserveCertificateOrder: true });
    expect(operation.error).to.deep.equal({ code: 'A', message: 'outer', innerError: { code: 'B', message: 'inner' } });
  });

  it('properties: thumbprint bytes and hex, dates, no undefined members', () => {
    const properties = toCertificateProperties({ id: 'https://v.example/certificates/c1/v1', x5t: 'fLi3U52HunIVNXubkEnf8tP6Wbo', attributes: { enabled: true, nbf: 1, exp: 2 } });
    expect(properties).to.deep.equal({
      id: 'https://v.example/certificates/c1/v1', name: 'c1', vaultUrl: 'https://v.example', version: 'v1', enabled: true,
      notBefore: new Date(1000), expiresOn: new Date(2000),
      x509Thumbprint: new Uint8Array(Buffer.from('fLi3U52HunIVNXubkEnf8tP6Wbo', 'base64url')), x509ThumbprintString: '7cb8b7539d87ba7215357b9b9049dff2d3fa59ba',
    });
  });

  it('a deleted listing item (no policy, no cer) and contacts', () => {
    const deleted = toDeletedCertificate({ id: 'https://v.example/certificates/c1', recoveryId: 'https://v.example/deletedcertificates/c1', deletedDate: 10, scheduledPurgeDate: 20 });
    expect(deleted).to.deep.include({ name: 'c1', recoveryId: 'https://v.example/deletedcertificates/c1', deletedOn: new Date(10_000), scheduledPurgeDate: new Date(20_000) });
    expect(deleted).to.not.have.any.keys('policy', 'cer');
    expect(toContacts(undefined)).to.deep.equal([]);
    expect(toContacts({ contacts: [{ email: 'a@b.c' }] })).to.deep.equal([{ email: 'a@b.c' }]);
  });
});
