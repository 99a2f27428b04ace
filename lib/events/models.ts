/**
 * Key Vault's Event Grid events, as documented (learn.microsoft.com: "Azure Key Vault as Event Grid source",
 * and @azure/eventgrid's KeyVault*EventData): `data` carries Id, VaultName, ObjectType, ObjectName, Version,
 * NBF and EXP (PascalCase on the wire; camelCase here).
 */
export const KeyVaultEventTypes = [
  'Microsoft.KeyVault.SecretNewVersionCreated',
  'Microsoft.KeyVault.SecretNearExpiry',
  'Microsoft.KeyVault.SecretExpired',
  'Microsoft.KeyVault.KeyNewVersionCreated',
  'Microsoft.KeyVault.KeyNearExpiry',
  'Microsoft.KeyVault.KeyExpired',
  'Microsoft.KeyVault.CertificateNewVersionCreated',
  'Microsoft.KeyVault.CertificateNearExpiry',
  'Microsoft.KeyVault.CertificateExpired',
  'Microsoft.KeyVault.VaultAccessPolicyChanged',
] as const;
/** One of Key Vault's Event Grid event types (`Microsoft.KeyVault.SecretNewVersionCreated`, ...). */
export type KeyVaultEventType = (typeof KeyVaultEventTypes)[number];

/** The `data` of a Key Vault event. */
export interface KeyVaultEventData {
  /** The object's id, e.g. `https://vault.vault.azure.net/secrets/db/0f3c...`. */
  readonly id: string;
  readonly vaultName: string;
  /** `Secret`, `Key`, `Certificate` (or `Vault`). */
  readonly objectType: string;
  readonly objectName: string;
  readonly version: string;
  /** Not-before and expiry, in seconds since the epoch, when set. */
  readonly nbf?: number | undefined;
  readonly exp?: number | undefined;
}

/** One Key Vault event, from either schema (Event Grid or CloudEvents 1.0). */
export interface KeyVaultEvent {
  readonly id: string;
  readonly type: KeyVaultEventType;
  /** The vault's resource id (Event Grid `topic`, CloudEvents `source`). */
  readonly source: string;
  readonly subject: string;
  readonly time: Date | undefined;
  readonly data: KeyVaultEventData;
  readonly schema: 'EventGrid' | 'CloudEvents';
}

export const isKeyVaultEventType = (type: unknown): type is KeyVaultEventType => KeyVaultEventTypes.includes(type as KeyVaultEventType);

/** The object kind an event is about (`Secret`/`Key`/`Certificate`), from its type. */
export function eventObjectKind(type: KeyVaultEventType): 'secret' | 'key' | 'certificate' | 'vault' {
  if (type.startsWith('Microsoft.KeyVault.Secret')) return 'secret';
  if (type.startsWith('Microsoft.KeyVault.Key')) return 'key';
  if (type.startsWith('Microsoft.KeyVault.Certificate')) return 'certificate';
  return 'vault';
}
