import { decodeBackup, encodeBackup } from './backup.js';
import { forbidden } from './errors.js';
import { bodyObject, reqString } from './input.js';
import type { Deletion, Version, VersionedObjects } from './objects.js';
import { page } from './paging.js';
import { type Route, type VaultRequest, ok } from './router.js';

/** How an area renders its objects for the shared lifecycle routes. */
export interface LifecycleViews<V> {
  /** Path segment of live objects (`secrets`) and of deleted ones (`deletedsecrets`). */
  readonly collection: string;
  readonly deletedCollection: string;
  /** The bundle answered by delete, get-deleted, recover and restore (never a secret value). */
  bundle(origin: string, v: Version<V>): Record<string, unknown>;
  /** A list item; `versioned: false` for lists of names, whose ids carry no version. */
  item(origin: string, v: Version<V>, versioned: boolean): Record<string, unknown>;
  /** innererror code refusing changes to objects a certificate manages (`SecretManagedByKeyVault`). */
  readonly managedCode: string;
}

/**
 * The service's 403 for writing to a key or secret that backs a certificate: only the certificate may change
 * it. Pass the object's current version (or undefined when the name is free).
 */
export function refuseManaged(found: Version<{ readonly managed?: boolean }> | undefined, operation: string, innerCode: string): void {
  if (found?.value.managed) throw forbidden(`Operation "${operation}" is not allowed as this object's lifetime is managed by Key Vault.`, innerCode);
}

/** `recoveryId`, `deletedDate`, `scheduledPurgeDate` of a soft-deleted object. */
export const deletionFields = (origin: string, deletedCollection: string, d: Version<unknown> & Deletion): Record<string, unknown> => ({
  recoveryId: `${origin}/${deletedCollection}/${d.name}`,
  deletedDate: d.deletedDate,
  scheduledPurgeDate: d.scheduledPurgeDate,
});

/**
 * The routes every versioned area shares, as the service answers them: soft delete, get/list deleted, recover,
 * purge (204), backup/restore, list names and list versions.
 */
export function lifecycleRoutes<V>(objects: VersionedObjects<V>, views: LifecycleViews<V>): Route[] {
  const { collection: c, deletedCollection: d } = views;
  const name = (req: VaultRequest): string => req.params['name']!;
  const byName = (v: Version<V>): string => v.name.toLowerCase();
  const deleted = (origin: string, v: Version<V> & Deletion) => ({ ...deletionFields(origin, d, v), ...views.bundle(origin, v) });

  return [
    {
      method: 'DELETE',
      path: `/${c}/{name}`,
      handler: (req) => {
        refuseManaged(objects.get(name(req)) as Version<{ managed?: boolean }>, 'delete', views.managedCode);
        return ok(deleted(req.origin, objects.delete(name(req))));
      },
    },
    { method: 'GET', path: `/${d}/{name}`, handler: (req) => ok(deleted(req.origin, objects.getDeleted(name(req)))) },
    {
      method: 'GET',
      path: `/${d}`,
      handler: (req) => ok(page(req, objects.listDeleted(), byName, (v) => ({ ...deletionFields(req.origin, d, v), ...views.item(req.origin, v, false) }))),
    },
    { method: 'POST', path: `/${d}/{name}/recover`, handler: (req) => ok(views.bundle(req.origin, objects.recover(name(req)))) },
    {
      method: 'DELETE',
      path: `/${d}/{name}`,
      handler: (req) => {
        objects.purge(name(req));
        return { status: 204 };
      },
    },
    { method: 'POST', path: `/${c}/{name}/backup`, handler: (req) => ok({ value: encodeBackup(objects.kind.kind, objects.snapshot(name(req))) }) },
    {
      method: 'POST',
      path: `/${c}/restore`,
      handler: (req) => ok(views.bundle(req.origin, objects.restore(decodeBackup<V>(objects.kind.kind, reqString(bodyObject(req), 'value'))))),
    },
    { method: 'GET', path: `/${c}`, handler: (req) => ok(page(req, objects.list(), byName, (v) => views.item(req.origin, v, false))) },
    {
      method: 'GET',
      path: `/${c}/{name}/versions`,
      handler: (req) => ok(page(req, objects.versions(name(req)), (v) => v.version, (v) => views.item(req.origin, v, true))),
    },
  ];
}
