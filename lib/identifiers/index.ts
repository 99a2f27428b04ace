import { ValidationError } from '../core/errors.js';

/** The parts of a Key Vault object id such as `https://my.vault.azure.net/secrets/name/version`. */
export interface KeyVaultIdentifier {
  /** The id itself. */
  sourceId: string;
  /** The vault URL, including a base path if the vault is served under one. */
  vaultUrl: string;
  /** `secrets`, `keys`, `certificates`, `deletedsecrets`, ... */
  collection: string;
  name: string;
  version?: string;
}

const COLLECTIONS = new Set(['secrets', 'keys', 'certificates', 'deletedsecrets', 'deletedkeys', 'deletedcertificates', 'storage', 'deletedstorage']);

/** Parses any Key Vault object id; the collection is found from the end, so a vault under a base path works. */
export function parseKeyVaultId(id: string): KeyVaultIdentifier {
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    throw new ValidationError(`Not a Key Vault id: ${JSON.stringify(id)}.`, 'InvalidId');
  }
  const segments = url.pathname.split('/');
  // Trailing empty segment (".../name/") means no version.
  if (segments.at(-1) === '') segments.pop();
  for (let i = segments.length - 2; i >= Math.max(1, segments.length - 3); i--) {
    const collection = segments[i]!;
    if (!COLLECTIONS.has(collection)) continue;
    const name = decodeURIComponent(segments[i + 1] ?? '');
    const version = segments[i + 2] ? decodeURIComponent(segments[i + 2]!) : undefined;
    if (!name) break;
    return { sourceId: id, vaultUrl: url.origin + segments.slice(0, i).join('/'), collection, name, ...(version ? { version } : {}) };
  }
  throw new ValidationError(`Not a Key Vault id: ${JSON.stringify(id)}.`, 'InvalidId');
}

function parseIn(collection: string, id: string): KeyVaultIdentifier {
  const parsed = parseKeyVaultId(id);
  if (parsed.collection !== collection && parsed.collection !== `deleted${collection}`) {
    throw new ValidationError(`${JSON.stringify(id)} is not a ${collection.slice(0, -1)} id.`, 'InvalidId');
  }
  return parsed;
}

/** Parses a secret id (`.../secrets/{name}/{version}`). */
export const parseKeyVaultSecretIdentifier = (id: string) => parseIn('secrets', id);
/** Parses a key id (`.../keys/{name}/{version}`). */
export const parseKeyVaultKeyIdentifier = (id: string) => parseIn('keys', id);
/** Parses a certificate id (`.../certificates/{name}/{version}`). */
export const parseKeyVaultCertificateIdentifier = (id: string) => parseIn('certificates', id);
