import { op } from '../core/operation.js';
import { fromBase64 } from '../wire/codecs.js';
import { asList, type WireList } from '../paging/paged.js';
import { valueBytes } from '../wire/codecs.js';
import { toDeletedSecret, toKeyVaultSecret, toSecretProperties, type WireSecret } from './transform.js';

/** The secrets data plane (api 7.6 / 2025-07-01), one declaration per operation. */
export const secretOperations = {
  setSecret: op('PUT', '/secrets/{name}', toKeyVaultSecret),
  getSecret: op('GET', '/secrets/{name}/{version}', toKeyVaultSecret),
  updateSecret: op('PATCH', '/secrets/{name}/{version}', toSecretProperties),
  deleteSecret: op('DELETE', '/secrets/{name}', toDeletedSecret),
  getDeletedSecret: op('GET', '/deletedsecrets/{name}', toDeletedSecret),
  recoverDeletedSecret: op('POST', '/deletedsecrets/{name}/recover', toSecretProperties),
  purgeDeletedSecret: op('DELETE', '/deletedsecrets/{name}', (): void => undefined),
  backupSecret: op('POST', '/secrets/{name}/backup', valueBytes),
  restoreSecret: op('POST', '/secrets/restore', toSecretProperties),
  listSecrets: op('GET', '/secrets', asList<WireSecret>),
  listSecretVersions: op('GET', '/secrets/{name}/versions', asList<WireSecret>),
  listDeletedSecrets: op('GET', '/deletedsecrets', asList<WireSecret>),
};

export type { WireList };
