import { type AttributeChanges, type Attributes, attributeChanges, newAttributes, renderAttributes, updatedAttributes } from './attributes.js';
import { decodeBackup, encodeBackup } from './backup.js';
import { badParameter, forbidden } from './errors.js';
import { bodyObject, optString, optTags, reqString } from './input.js';
import { type Deletion, type ObjectKind, type Version, type VersionedObjects, newVersion, nowSeconds, objectsOf } from './objects.js';
import { page } from './paging.js';
import { type Route, type VaultRequest, ok } from './router.js';
import type { Store } from './store.js';

/** One stored secret version. `kid` is a vault-relative path (`/keys/n/v`) for certificate-backed secrets. */
export interface SecretRecord {
  readonly value: string;
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
  readonly attributes: Attributes;
  readonly kid?: string;
  readonly managed?: boolean;
}

export const SECRETS: ObjectKind = { kind: 'secrets', label: 'Secret', notFoundCode: 'SecretNotFound' };

/** The vault's secrets (shared instance per store). */
export const secretsOf = (store: Store): VersionedObjects<SecretRecord> => objectsOf<SecretRecord>(store, SECRETS);

/** What a new secret version is made of; certificates pass `kid` and `managed` for the secret behind a certificate. */
export interface SecretInput {
  readonly value: string;
  readonly contentType?: string | undefined;
  readonly tags?: Record<string, string> | undefined;
  readonly attributes?: AttributeChanges | undefined;
  readonly kid?: string | undefined;
  readonly managed?: boolean | undefined;
}

// The service's limit is on the value's size; 25 KB.
const MAX_VALUE_BYTES = 25 * 1024;

/** Creates a new version of a secret (409 while the name is deleted), durable when this returns. */
export function createSecretVersion(store: Store, name: string, input: SecretInput): Version<SecretRecord> {
  if (Buffer.byteLength(input.value) > MAX_VALUE_BYTES) throw badParameter('The secret value is too large. The maximum allowed size is 25 KB.');
  const record: SecretRecord = {
    value: input.value,
    ...(input.contentType === undefined ? {} : { contentType: input.contentType }),
    ...(input.tags === undefined ? {} : { tags: input.tags }),
    attributes: newAttributes(input.attributes ?? {}, nowSeconds()),
    ...(input.kid === undefined ? {} : { kid: input.kid }),
    ...(input.managed ? { managed: true } : {}),
  };
  return secretsOf(store).add(name, newVersion(), record);
}

/** A SecretBundle (or SecretItem with `versioned: false` and no value) as the service serves it. */
export function renderSecret(origin: string, v: Version<SecretRecord>, withValue: boolean, versioned = true): Record<string, unknown> {
  const r = v.value;
  return {
    ...(withValue ? { value: r.value } : {}),
    id: versioned ? `${origin}/secrets/${v.name}/${v.version}` : `${origin}/secrets/${v.name}`,
    ...(r.contentType === undefined ? {} : { contentType: r.contentType }),
    attributes: renderAttributes(r.attributes),
    ...(r.tags === undefined ? {} : { tags: r.tags }),
    ...(r.kid === undefined ? {} : { kid: origin + r.kid }),
    ...(r.managed ? { managed: true } : {}),
  };
}

const renderDeleted = (origin: string, d: Version<SecretRecord> & Deletion, versioned: boolean): Record<string, unknown> => ({
  recoveryId: `${origin}/deletedsecrets/${d.name}`,
  deletedDate: d.deletedDate,
  scheduledPurgeDate: d.scheduledPurgeDate,
  ...renderSecret(origin, d, false, versioned),
});

const nameKey = (v: Version<SecretRecord>): string => v.name.toLowerCase();

/** The secrets route table. */
export function secretRoutes(store: Store): Route[] {
  const secrets = secretsOf(store);
  const name = (req: VaultRequest): string => req.params['name']!;

  return [
    {
      method: 'PUT',
      path: '/secrets/{name}',
      handler: (req) => {
        const body = bodyObject(req);
        const created = createSecretVersion(store, name(req), {
          value: reqString(body, 'value'),
          contentType: optString(body, 'contentType'),
          tags: optTags(body),
          attributes: attributeChanges(body),
        });
        return ok(renderSecret(req.origin, created, true));
      },
    },
    {
      method: 'GET',
      path: '/secrets/{name}/{version?}',
      handler: (req) => {
        const found = secrets.get(name(req), req.params['version']);
        if (!found.value.attributes.enabled) throw forbidden('Operation get is not allowed on a disabled secret.');
        return ok(renderSecret(req.origin, found, true));
      },
    },
    {
      method: 'PATCH',
      path: '/secrets/{name}/{version?}',
      handler: (req) => {
        const body = bodyObject(req);
        const found = secrets.get(name(req), req.params['version']);
        const contentType = optString(body, 'contentType');
        const tags = optTags(body);
        const updated = secrets.replace(found, {
          ...found.value,
          ...(contentType === undefined ? {} : { contentType }),
          ...(tags === undefined ? {} : { tags }),
          attributes: updatedAttributes(found.value.attributes, attributeChanges(body), nowSeconds()),
        });
        return ok(renderSecret(req.origin, updated, false));
      },
    },
    { method: 'DELETE', path: '/secrets/{name}', handler: (req) => ok(renderDeleted(req.origin, secrets.delete(name(req)), true)) },
    { method: 'GET', path: '/deletedsecrets/{name}', handler: (req) => ok(renderDeleted(req.origin, secrets.getDeleted(name(req)), true)) },
    {
      method: 'GET',
      path: '/deletedsecrets',
      handler: (req) => ok(page(req, secrets.listDeleted(), nameKey, (d) => renderDeleted(req.origin, d, false))),
    },
    { method: 'POST', path: '/deletedsecrets/{name}/recover', handler: (req) => ok(renderSecret(req.origin, secrets.recover(name(req)), false)) },
    {
      method: 'DELETE',
      path: '/deletedsecrets/{name}',
      handler: (req) => {
        secrets.purge(name(req));
        return { status: 204 };
      },
    },
    { method: 'POST', path: '/secrets/{name}/backup', handler: (req) => ok({ value: encodeBackup(SECRETS.kind, secrets.snapshot(name(req))) }) },
    {
      method: 'POST',
      path: '/secrets/restore',
      handler: (req) => {
        const snapshot = decodeBackup<SecretRecord>(SECRETS.kind, reqString(bodyObject(req), 'value'));
        return ok(renderSecret(req.origin, secrets.restore(snapshot), false));
      },
    },
    { method: 'GET', path: '/secrets', handler: (req) => ok(page(req, secrets.list(), nameKey, (v) => renderSecret(req.origin, v, false, false))) },
    {
      method: 'GET',
      path: '/secrets/{name}/versions',
      handler: (req) => ok(page(req, secrets.versions(name(req)), (v) => v.version, (v) => renderSecret(req.origin, v, false))),
    },
  ];
}
