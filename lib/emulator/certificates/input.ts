/** Request bodies: attribute changes, import values, contacts and issuers. */
import { type AttributeChanges, attributeChanges } from '../attributes.js';
import { badParameter } from '../errors.js';
import { type Fields, optBool, optObject, optString, reqString } from '../input.js';
import type { VaultRequest } from '../router.js';
import { keySpecOf } from '../../pki/keys.js';
import { type KeyAndChain, certificateMatchesKey, fromPem, looksLikePem } from '../../pki/pem.js';
import { Pkcs12Error, readPfx } from '../../pki/pkcs12.js';
import { type IssuerRecord, PEM, PKCS12 } from './records.js';

export const includePending = (req: VaultRequest): boolean => req.query.get('includePending') === 'true';

/** The attribute changes of a request, without the raw object (operations keep them until completion). */
export function changesOf(body: Fields): AttributeChanges {
  const { raw: _raw, ...changes } = attributeChanges(body);
  return changes;
}

/** A PFX (base64, with its password) or PEM text (or base64 of it), as an import's `value` may hold. */
export function readImportValue(value: string, password: string, contentType: string | undefined): { content: KeyAndChain; contentType: string } {
  let content: KeyAndChain;
  let pem = contentType === PEM || value.includes('-----BEGIN');
  try {
    if (pem) content = fromPem(value, password);
    else {
      const bytes = Buffer.from(value, 'base64');
      pem = looksLikePem(bytes);
      content = pem ? fromPem(bytes.toString('utf8'), password) : readPfx(bytes, password);
    }
  } catch (error) {
    if (error instanceof Pkcs12Error) throw badParameter(error.message);
    throw badParameter('The specified certificate content is not valid: expected a base64 PFX or PEM with a private key and certificate.');
  }
  if (!content.chain.length) throw badParameter('The specified certificate content contains no certificate.');
  if (!content.key) throw badParameter('The specified certificate content contains no private key.');
  if (!certificateMatchesKey(content.chain[0]!, content.key)) throw badParameter('The private key does not match the certificate.');
  try {
    keySpecOf(content.key);
  } catch {
    throw badParameter('The certificate key type is not supported: Key Vault certificates hold RSA or EC (P-256, P-384, P-521, P-256K) keys.');
  }
  return { content, contentType: contentType ?? (pem ? PEM : PKCS12) };
}

export function contactsOf(body: Fields): Fields[] {
  const list = body['contacts'];
  if (!Array.isArray(list)) throw badParameter("Property 'contacts' must be an array.");
  return list.map((contact: unknown) => {
    if (!contact || typeof contact !== 'object' || Array.isArray(contact)) throw badParameter('Each contact must be an object.');
    const fields = contact as Fields;
    const email = optString(fields, 'email');
    const name = optString(fields, 'name');
    const phone = optString(fields, 'phone');
    if (!email && !name && !phone) throw badParameter('A contact needs an email, a name or a phone.');
    return { ...(email === undefined ? {} : { email }), ...(name === undefined ? {} : { name }), ...(phone === undefined ? {} : { phone }) };
  });
}

export function issuerFrom(name: string, body: Fields, base: IssuerRecord | undefined, now: number): IssuerRecord {
  const provider = base ? (optString(body, 'provider') ?? base.provider) : reqString(body, 'provider');
  const credentials = optObject(body, 'credentials');
  const orgDetails = optObject(body, 'org_details');
  if (orgDetails && orgDetails['admin_details'] !== undefined && !Array.isArray(orgDetails['admin_details'])) throw badParameter("Property 'admin_details' must be an array.");
  const enabled = optBool(optObject(body, 'attributes') ?? {}, 'enabled');
  const mergedCredentials = credentials ? { ...base?.credentials, ...credentials } : base?.credentials;
  const org = orgDetails ?? base?.org_details;
  return {
    name: base?.name ?? name,
    provider,
    ...(mergedCredentials ? { credentials: mergedCredentials } : {}),
    ...(org ? { org_details: org } : {}),
    attributes: { enabled: enabled ?? base?.attributes.enabled ?? true, created: base?.attributes.created ?? now, updated: now },
  };
}
