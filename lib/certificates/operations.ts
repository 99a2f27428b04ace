import { op } from '../core/operation.js';
import { fromBase64 } from '../wire/codecs.js';
import { asList } from '../paging/paged.js';
import { valueBytes } from '../wire/codecs.js';
import { fromWirePolicy } from './policy.js';
import {
  toCertificateIssuer, toCertificateOperation, toCertificateWithPolicy, toContacts, toDeletedCertificate, toKeyVaultCertificate,
  type WireCertificate, type WireIssuer,
} from './transform.js';

/** The certificates data plane (api 7.6 / 2025-07-01), one declaration per operation. */
export const certificateOperations = {
  createCertificate: op('POST', '/certificates/{name}/create', toCertificateOperation, 'CreateCertificatePoller.createCertificate'),
  importCertificate: op('POST', '/certificates/{name}/import', toCertificateWithPolicy, 'CertificateClient.importCertificate'),
  getCertificate: op('GET', '/certificates/{name}/{version}', toCertificateWithPolicy, 'CertificateClient.getCertificate'),
  getCertificateVersion: op('GET', '/certificates/{name}/{version}', toKeyVaultCertificate, 'CertificateClient.getCertificateVersion'),
  updateCertificate: op('PATCH', '/certificates/{name}/{version}', toKeyVaultCertificate, 'CertificateClient.updateCertificateProperties'),
  deleteCertificate: op('DELETE', '/certificates/{name}', toDeletedCertificate, 'DeleteCertificatePoller.deleteCertificate'),
  getPolicy: op('GET', '/certificates/{name}/policy', fromWirePolicy, 'CertificateClient.getCertificatePolicy'),
  updatePolicy: op('PATCH', '/certificates/{name}/policy', fromWirePolicy, 'CertificateClient.updateCertificatePolicy'),
  getOperation: op('GET', '/certificates/{name}/pending', toCertificateOperation, 'CertificateOperationPoller.getPlainCertificateOperation'),
  updateOperation: op('PATCH', '/certificates/{name}/pending', toCertificateOperation, 'CertificateOperationPoller.cancelCertificateOperation'),
  deleteOperation: op('DELETE', '/certificates/{name}/pending', toCertificateOperation, 'CertificateClient.deleteCertificateOperation'),
  mergeCertificate: op('POST', '/certificates/{name}/pending/merge', toCertificateWithPolicy, 'CertificateClient.mergeCertificate'),
  backupCertificate: op('POST', '/certificates/{name}/backup', valueBytes, 'CertificateClient.backupCertificate'),
  restoreCertificate: op('POST', '/certificates/restore', toCertificateWithPolicy, 'CertificateClient.restoreCertificateBackup'),
  getDeletedCertificate: op('GET', '/deletedcertificates/{name}', toDeletedCertificate, 'CertificateClient.getDeletedCertificate'),
  recoverDeletedCertificate: op('POST', '/deletedcertificates/{name}/recover', toCertificateWithPolicy, 'RecoverDeletedCertificatePoller.recoverDeletedCertificate'),
  purgeDeletedCertificate: op('DELETE', '/deletedcertificates/{name}', (): null => null, 'CertificateClient.purgeDeletedCertificate'),
  listCertificates: op('GET', '/certificates', asList<WireCertificate>),
  listCertificateVersions: op('GET', '/certificates/{name}/versions', asList<WireCertificate>),
  listDeletedCertificates: op('GET', '/deletedcertificates', asList<WireCertificate>),
  setContacts: op('PUT', '/certificates/contacts', toContacts, 'CertificateClient.setContacts'),
  getContacts: op('GET', '/certificates/contacts', toContacts, 'CertificateClient.getContacts'),
  deleteContacts: op('DELETE', '/certificates/contacts', toContacts, 'CertificateClient.deleteContacts'),
  setIssuer: op('PUT', '/certificates/issuers/{name}', toCertificateIssuer, 'CertificateClient.createIssuer'),
  updateIssuer: op('PATCH', '/certificates/issuers/{name}', toCertificateIssuer, 'CertificateClient.updateIssuer'),
  getIssuer: op('GET', '/certificates/issuers/{name}', toCertificateIssuer, 'CertificateClient.getIssuer'),
  deleteIssuer: op('DELETE', '/certificates/issuers/{name}', toCertificateIssuer, 'CertificateClient.deleteIssuer'),
  listIssuers: op('GET', '/certificates/issuers', asList<WireIssuer>),
};
