/** What certificate requests carry: bodies, certificate bytes, contacts, and the requests behind the operation pollers. */
import { X509Certificate } from 'node:crypto';
import type { ClientContext } from '../core/context.js';
import { ValidationError } from '../core/errors.js';
import { pollOptions, send, perCallOf, type Operation } from '../core/operation.js';
import type { OperationOptions } from '../core/options.js';
import { checkName } from '../core/validate.js';
import { compact, toAttributes } from '../wire/codecs.js';
import type { AdministratorContact, CertificateContact, CertificateProperties, UpdateIssuerOptions } from './models.js';
import { certificateOperations as ops } from './operations.js';
import type { CertificateOperationRequests } from './poller.js';
import { looksLikePem, pemCertificates } from './private-key.js';

/** An object with members, or undefined: empty blocks are left out of a body. */
const nonEmpty = <T extends object>(value: T): T | undefined => (Object.keys(value).length ? value : undefined);

/** The many operations that take just a checked name: `{name}` in the path, nothing else. */
export function byName<R>(ctx: ClientContext, operation: Operation<never, R>, name: string, what: 'certificate name' | 'issuer name', options: OperationOptions | undefined): Promise<R> {
  checkName(name, what);
  return send(ctx, operation as Operation<unknown, R>, { params: { name } }, perCallOf(options));
}

/** The requests behind the create and operation pollers of one certificate (each with the per-call `options` of `begin...`). */
export function operationRequests(ctx: ClientContext, name: string, start: CertificateOperationRequests['start'], options?: OperationOptions): CertificateOperationRequests {
  const params = { name };
  return {
    start,
    read: (signal) => send(ctx, ops.getOperation, { params }, pollOptions(options, signal)),
    getCertificate: (signal) => send(ctx, ops.getCertificate, { params: { name, version: '' } }, pollOptions(options, signal)),
    cancel: (signal) => send(ctx, ops.updateOperation, { params, body: { cancellation_requested: true } }, pollOptions(options, signal)),
  };
}

/** `attributes`, `tags` and `preserveCertOrder` of create, import and update bodies. */
export function attributesAndTags(options: CertificateProperties | undefined) {
  return {
    attributes: nonEmpty(toAttributes(options ?? {})),
    tags: options?.tags,
    preserveCertOrder: options?.preserveCertificateOrder,
  };
}

/** The body of createIssuer and updateIssuer: only what the caller set. */
export function issuerBody(provider: string | undefined, options: UpdateIssuerOptions | undefined) {
  const admins = options?.administratorContacts?.map((a: AdministratorContact) => compact({ first_name: a.firstName, last_name: a.lastName, email: a.email, phone: a.phone }));
  return compact({
    provider,
    credentials: nonEmpty(compact({ account_id: options?.accountId, pwd: options?.password })),
    org_details: nonEmpty(compact({ id: options?.organizationId, admin_details: admins })),
    attributes: options?.enabled === undefined ? undefined : { enabled: options.enabled },
  });
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** Bytes that are base64 text decoded (DER and PFX are binary, never all base64 characters); others as they are. */
export const unBase64 = (bytes: Uint8Array): Uint8Array => {
  const text = Buffer.from(bytes).toString('latin1');
  return BASE64_TEXT.test(text) ? new Uint8Array(Buffer.from(text, 'base64')) : bytes;
};

const isCertificate = (der: Uint8Array): boolean => {
  try {
    return Boolean(new X509Certificate(der));
  } catch {
    return false;
  }
};

/**
 * DER certificates from DER bytes, PEM text (a chain may come as one PEM file), or base64 text of
 * DER, which Microsoft's own merge sample passes.
 */
export function derCertificates(certificates: readonly (Uint8Array | string)[]): string[] {
  if (!Array.isArray(certificates) || certificates.length === 0) throw new ValidationError('mergeCertificate needs at least one certificate.', 'InvalidCertificate');
  return certificates.flatMap((entry) => {
    const bytes = typeof entry === 'string' ? new Uint8Array(Buffer.from(entry, 'utf8')) : entry;
    if (!(bytes instanceof Uint8Array)) throw new ValidationError('Certificates must be Uint8Array (DER or PEM) or PEM strings.', 'InvalidCertificate');
    if (looksLikePem(bytes)) return pemCertificates(Buffer.from(bytes).toString('utf8')).map((der) => Buffer.from(der).toString('base64'));
    // Not recognised here (e.g. base64 text that kept its `-----END CERTIFICATE-----` line, as Microsoft's sample
    // sends): sent base64-encoded as Microsoft's client sends every entry, for the service to judge.
    const der = unBase64(bytes);
    return [Buffer.from(isCertificate(der) ? der : bytes).toString('base64')];
  });
}

/** What the service would refuse in setContacts, refused before sending. */
export function checkContacts(contacts: CertificateContact[]): void {
  if (!Array.isArray(contacts) || contacts.length === 0) throw new ValidationError('setContacts needs at least one contact (use deleteContacts to remove them all).', 'InvalidContacts');
  for (const contact of contacts) {
    if (!contact || !(contact.email || contact.name || contact.phone)) throw new ValidationError('Each contact needs an email, a name or a phone.', 'InvalidContacts');
  }
}
