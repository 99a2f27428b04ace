import { compact, fromAttributes, toDate, type WireAttributes } from '../wire/codecs.js';
import { parseKeyVaultId } from '../identifiers/index.js';
import type { DeletedSecret, KeyVaultSecret, SecretProperties } from './models.js';

/** `SecretBundle` / `SecretItem` / `DeletedSecretBundle` as served. */
export interface WireSecret {
  value?: string;
  id?: string;
  contentType?: string;
  attributes?: WireAttributes;
  tags?: Record<string, string>;
  kid?: string;
  managed?: boolean;
  /** The version of the previous certificate, on a certificate's secret (api 2025-07-01). */
  previousVersion?: string;
  recoveryId?: string;
  scheduledPurgeDate?: number;
  deletedDate?: number;
}

export function toSecretProperties(wire: WireSecret): SecretProperties {
  const id = parseKeyVaultId(wire.id ?? '');
  return compact({
    vaultUrl: id.vaultUrl,
    name: id.name,
    version: id.version,
    id: wire.id,
    contentType: wire.contentType,
    tags: wire.tags,
    certificateKeyId: wire.kid,
    managed: wire.managed,
    previousVersion: wire.previousVersion,
    ...fromAttributes(wire.attributes),
  });
}

/** `value` is defined non-enumerable: readable, but never serialised or printed by accident. */
function withValue<T extends object>(model: T, value: string | undefined): T {
  if (value !== undefined) Object.defineProperty(model, 'value', { value, enumerable: false, writable: true, configurable: true });
  return model;
}

export function toKeyVaultSecret(wire: WireSecret): KeyVaultSecret {
  const properties = toSecretProperties(wire);
  return withValue({ name: properties.name, properties }, wire.value);
}

export function toDeletedSecret(wire: WireSecret): DeletedSecret {
  const deleted = compact({ recoveryId: wire.recoveryId, scheduledPurgeDate: toDate(wire.scheduledPurgeDate), deletedOn: toDate(wire.deletedDate) });
  const properties = { ...toSecretProperties(wire), ...deleted };
  return withValue({ name: properties.name, properties, ...deleted }, wire.value);
}
