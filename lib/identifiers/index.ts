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

/**
 * Microsoft's parsers take the collection from the id itself (`/{collection}/{name}[/{version}]`), so an id
 * of another collection (a certificate's secret id given to the key parser) parses; callers that need one
 * collection check `collection` (as `CryptographyClient` does).
 */
function parseAny(id: string): KeyVaultIdentifier {
  try {
    return parseKeyVaultId(id);
  } catch (error) {
    // A collection we do not know, at the root of the vault: parsed as Microsoft's parser does.
    const url = URL.parse(id);
    const segments = url?.pathname.split('/') ?? [];
    if (!url || (segments.length !== 3 && segments.length !== 4) || !segments[1] || !segments[2]) throw error;
    const version = segments[3] ? decodeURIComponent(segments[3]) : undefined;
    return { sourceId: id, vaultUrl: url.origin, collection: segments[1], name: decodeURIComponent(segments[2]), ...(version ? { version } : {}) };
  }
}

/** Parses a secret id (`.../secrets/{name}/{version}`); ids of other collections parse too, as Microsoft's. */
export const parseKeyVaultSecretIdentifier = (id: string): KeyVaultIdentifier => parseAny(id);
/** Parses a key id (`.../keys/{name}/{version}`); ids of other collections parse too, as Microsoft's. */
export const parseKeyVaultKeyIdentifier = (id: string): KeyVaultIdentifier => parseAny(id);
/** Parses a certificate id (`.../certificates/{name}/{version}`); ids of other collections parse too, as Microsoft's. */
export const parseKeyVaultCertificateIdentifier = (id: string): KeyVaultIdentifier => parseAny(id);
