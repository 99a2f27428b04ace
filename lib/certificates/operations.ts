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
  createCertificate: op('POST', '/certificates/{name}/create', toCertificateOperation),
  importCertificate: op('POST', '/certificates/{name}/import', toCertificateWithPolicy),
  getCertificate: op('GET', '/certificates/{name}/{version}', toCertificateWithPolicy),
  getCertificateVersion: op('GET', '/certificates/{name}/{version}', toKeyVaultCertificate),
  updateCertificate: op('PATCH', '/certificates/{name}/{version}', toKeyVaultCertificate),
  deleteCertificate: op('DELETE', '/certificates/{name}', toDeletedCertificate),
  getPolicy: op('GET', '/certificates/{name}/policy', fromWirePolicy),
  updatePolicy: op('PATCH', '/certificates/{name}/policy', fromWirePolicy),
  getOperation: op('GET', '/certificates/{name}/pending', toCertificateOperation),
  updateOperation: op('PATCH', '/certificates/{name}/pending', toCertificateOperation),
  deleteOperation: op('DELETE', '/certificates/{name}/pending', toCertificateOperation),
  mergeCertificate: op('POST', '/certificates/{name}/pending/merge', toCertificateWithPolicy),
  backupCertificate: op('POST', '/certificates/{name}/backup', valueBytes),
  restoreCertificate: op('POST', '/certificates/restore', toCertificateWithPolicy),
  getDeletedCertificate: op('GET', '/deletedcertificates/{name}', toDeletedCertificate),
  recoverDeletedCertificate: op('POST', '/deletedcertificates/{name}/recover', toCertificateWithPolicy),
  purgeDeletedCertificate: op('DELETE', '/deletedcertificates/{name}', (): null => null),
  listCertificates: op('GET', '/certificates', asList<WireCertificate>),
  listCertificateVersions: op('GET', '/certificates/{name}/versions', asList<WireCertificate>),
  listDeletedCertificates: op('GET', '/deletedcertificates', asList<WireCertificate>),
  setContacts: op('PUT', '/certificates/contacts', toContacts),
  getContacts: op('GET', '/certificates/contacts', toContacts),
  deleteContacts: op('DELETE', '/certificates/contacts', toContacts),
  setIssuer: op('PUT', '/certificates/issuers/{name}', toCertificateIssuer),
  updateIssuer: op('PATCH', '/certificates/issuers/{name}', toCertificateIssuer),
  getIssuer: op('GET', '/certificates/issuers/{name}', toCertificateIssuer),
  deleteIssuer: op('DELETE', '/certificates/issuers/{name}', toCertificateIssuer),
  listIssuers: op('GET', '/certificates/issuers', asList<WireIssuer>),
};
