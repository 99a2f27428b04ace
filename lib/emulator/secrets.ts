import { type AttributeChanges, type Attributes, attributeChanges, newAttributes, renderAttributes, updatedAttributes } from './attributes.js';
import { badParameter, forbidden } from './errors.js';
import { bodyObject, optString, optTags, reqString } from './input.js';
import { type ObjectKind, type Version, type VersionedObjects, newVersion, nowSeconds, objectsOf } from './objects.js';
import { lifecycleRoutes, refuseManaged } from './lifecycle.js';
import { type Route, type VaultRequest, ok } from './router.js';
import type { Store } from './store.js';
import { versionRank } from './versions.js';
import { toPem } from '../pki/pem.js';
import { readPfx } from '../pki/pkcs12.js';

/** One stored secret version. `kid` is a vault-relative path (`/keys/n/v`) for certificate-backed secrets. */
export interface SecretRecord {
  readonly value: string;
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
  readonly attributes: Attributes;
  readonly kid?: string;
  readonly managed?: boolean;
  /** On a certificate's secret: the certificate version this one followed (2025-07-01's `previousVersion`). */
  readonly previousVersion?: string;
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
  /** A version chosen by the caller (a certificate's secret shares the certificate's version). */
  readonly version?: string | undefined;
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
    attributes: newAttributes(input.attributes ?? {}, nowSeconds(store)),
    ...(input.kid === undefined ? {} : { kid: input.kid }),
    ...(input.managed ? { managed: true } : {}),
  };
  return secretsOf(store).add(name, input.version ?? newVersion(), record);
}

/**
 * A SecretBundle (or, with `item`, a SecretItem: no value, no `previousVersion`, an id without version when
 * `versioned` is false) as the service serves it.
 */
export function renderSecret(origin: string, v: Version<SecretRecord>, withValue: boolean, versioned = true, item = false): Record<string, unknown> {
  const r = v.value;
  return {
    ...(withValue ? { value: r.value } : {}),
    id: versioned ? `${origin}/secrets/${v.name}/${v.version}` : `${origin}/secrets/${v.name}`,
    ...(r.contentType === undefined ? {} : { contentType: r.contentType }),
    attributes: renderAttributes(r.attributes),
    ...(r.tags === undefined ? {} : { tags: r.tags }),
    ...(r.kid === undefined ? {} : { kid: origin + r.kid }),
    ...(r.managed ? { managed: true } : {}),
    ...(r.previousVersion === undefined || item ? {} : { previousVersion: r.previousVersion }),
  };
}

const MANAGED = 'SecretManagedByKeyVault';

/** The secrets route table. */
export function secretRoutes(store: Store): Route[] {
  const secrets = secretsOf(store);
  const name = (req: VaultRequest): string => req.params['name']!;
  const rendered = new WeakMap<SecretRecord, { readonly origin: string; readonly text: string }>();

  return [
    ...lifecycleRoutes(secrets, {
      collection: 'secrets',
      deletedCollection: 'deletedsecrets',
      bundle: (origin, v) => renderSecret(origin, v, false),
      item: (origin, v, versioned) => renderSecret(origin, v, false, versioned, true),
      managedCode: MANAGED,
    }),
    {
      method: 'PUT',
      path: '/secrets/{name}',
      handler: (req) => {
        const body = bodyObject(req);
        if (secrets.state(name(req)) === 'active') refuseManaged(secrets.get(name(req)), 'set', MANAGED);
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
        if (!found.value.attributes.enabled) throw forbidden('Operation get is not allowed on a disabled secret.', 'SecretDisabled');
        const converted = outContentType(req, found.value);
        if (converted) return ok({ ...renderSecret(req.origin, found, true), ...converted });
        // The hot path of every app: serve a version's JSON once rendered (records are immutable, so it stays true).
        const cached = rendered.get(found.value);
        if (cached?.origin === req.origin) return { status: 200, text: cached.text };
        const text = JSON.stringify(renderSecret(req.origin, found, true));
        rendered.set(found.value, { origin: req.origin, text });
        return { status: 200, text };
      },
    },
    {
      method: 'PATCH',
      path: '/secrets/{name}/{version?}',
      handler: (req) => {
        const body = bodyObject(req);
        const found = secrets.get(name(req), req.params['version']);
        refuseManaged(found, 'update', MANAGED);
        const contentType = optString(body, 'contentType');
        const tags = optTags(body);
        const updated = secrets.replace(found, {
          ...found.value,
          ...(contentType === undefined ? {} : { contentType }),
          ...(tags === undefined ? {} : { tags }),
          attributes: updatedAttributes(found.value.attributes, attributeChanges(body), nowSeconds(store)),
        });
        return ok(renderSecret(req.origin, updated, false));
      },
    },
  ];
}

const PFX = 'application/x-pkcs12';
const PEM = 'application/x-pem-file';

/**
 * `outContentType` (2025-07-01): a certificate's PFX secret served as PEM. Only PFX → PEM is converted, as the
 * service documents; a value outside the two content types is refused, anything else is served as stored.
 * Earlier versions do not know the parameter and ignore it.
 */
function outContentType(req: VaultRequest, secret: SecretRecord): { value: string; contentType: string } | undefined {
  const wanted = req.query.get('outContentType');
  if (wanted === undefined || versionRank(req.apiVersion) < versionRank('2025-07-01')) return undefined;
  if (wanted !== PFX && wanted !== PEM) throw badParameter(`The outContentType ${wanted} is not supported; use ${PFX} or ${PEM}.`);
  // PEM → PFX is not a conversion the service makes: the secret comes back as stored (clients convert it).
  if (wanted !== PEM || secret.contentType !== PFX || !secret.managed) return undefined;
  return { value: toPem(readPfx(Buffer.from(secret.value, 'base64'))), contentType: PEM };
}
