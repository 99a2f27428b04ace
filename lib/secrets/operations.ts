import { op } from '../core/operation.js';
import { fromBase64 } from '../wire/codecs.js';
import { asList, type WireList } from '../paging/paged.js';
import { valueBytes } from '../wire/codecs.js';
import { toDeletedSecret, toKeyVaultSecret, toSecretProperties, type WireSecret } from './transform.js';

/** The secrets data plane (api 7.6 / 2025-07-01), one declaration per operation. */
export const secretOperations = {
  setSecret: op('PUT', '/secrets/{name}', toKeyVaultSecret, 'SecretClient.setSecret'),
  getSecret: op('GET', '/secrets/{name}/{version}', toKeyVaultSecret, 'SecretClient.getSecret'),
  updateSecret: op('PATCH', '/secrets/{name}/{version}', toSecretProperties, 'SecretClient.updateSecretProperties'),
  deleteSecret: op('DELETE', '/secrets/{name}', toDeletedSecret, 'DeleteSecretPoller.deleteSecret'),
  getDeletedSecret: op('GET', '/deletedsecrets/{name}', toDeletedSecret, 'SecretClient.getDeletedSecret'),
  recoverDeletedSecret: op('POST', '/deletedsecrets/{name}/recover', toSecretProperties, 'RecoverDeletedSecretPoller.recoverDeletedSecret'),
  purgeDeletedSecret: op('DELETE', '/deletedsecrets/{name}', (): void => undefined, 'SecretClient.purgeDeletedSecret'),
  backupSecret: op('POST', '/secrets/{name}/backup', valueBytes, 'SecretClient.backupSecret'),
  restoreSecret: op('POST', '/secrets/restore', toSecretProperties, 'SecretClient.restoreSecretBackup'),
  listSecrets: op('GET', '/secrets', asList<WireSecret>),
  listSecretVersions: op('GET', '/secrets/{name}/versions', asList<WireSecret>),
  listDeletedSecrets: op('GET', '/deletedsecrets', asList<WireSecret>),
};

export type { WireList };
