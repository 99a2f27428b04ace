import { op } from '../core/operation.js';
import { asList, type WireList } from '../paging/paged.js';
import { valueBytes } from '../wire/codecs.js';
import type { ReleaseKeyResult } from './models.js';
import { toDeletedKey, toKeyRotationPolicy, toKeyVaultKey, type WireKey, type WireRotationPolicy } from './transform.js';

/** The answer of encrypt/decrypt/sign/wrapkey/unwrapkey (`KeyOperationResult`). */
export interface WireKeyOperationResult {
  kid?: string;
  value?: string;
  iv?: string;
  tag?: string;
  aad?: string;
}

const asResult = (wire: WireKeyOperationResult) => wire ?? {};

/** The keys data plane (api 7.6 / 2025-07-01), one declaration per operation. */
export const keyOperations = {
  createKey: op('POST', '/keys/{name}/create', toKeyVaultKey, 'KeyClient.createKey'),
  importKey: op('PUT', '/keys/{name}', toKeyVaultKey, 'KeyClient.importKey'),
  getKey: op('GET', '/keys/{name}/{version}', toKeyVaultKey, 'KeyClient.getKey'),
  updateKey: op('PATCH', '/keys/{name}/{version}', toKeyVaultKey, 'KeyClient.updateKeyProperties'),
  deleteKey: op('DELETE', '/keys/{name}', toDeletedKey, 'DeleteKeyPoller.deleteKey'),
  getDeletedKey: op('GET', '/deletedkeys/{name}', toDeletedKey, 'KeyClient.getDeletedKey'),
  recoverDeletedKey: op('POST', '/deletedkeys/{name}/recover', toKeyVaultKey, 'RecoverDeletedKeyPoller.recoverDeleteKey'),
  purgeDeletedKey: op('DELETE', '/deletedkeys/{name}', (): void => undefined, 'KeyClient.purgeDeletedKey'),
  backupKey: op('POST', '/keys/{name}/backup', valueBytes, 'KeyClient.backupKey'),
  restoreKey: op('POST', '/keys/restore', toKeyVaultKey, 'KeyClient.restoreKeyBackup'),
  listKeys: op('GET', '/keys', asList<WireKey>),
  listKeyVersions: op('GET', '/keys/{name}/versions', asList<WireKey>),
  listDeletedKeys: op('GET', '/deletedkeys', asList<WireKey>),
  rotateKey: op('POST', '/keys/{name}/rotate', toKeyVaultKey, 'KeyClient.rotateKey'),
  getRotationPolicy: op('GET', '/keys/{name}/rotationpolicy', toKeyRotationPolicy, 'KeyClient.getKeyRotationPolicy'),
  updateRotationPolicy: op('PUT', '/keys/{name}/rotationpolicy', (wire: WireRotationPolicy) => toKeyRotationPolicy(wire), 'KeyClient.updateKeyRotationPolicy'),
  getRandomBytes: op('POST', '/rng', valueBytes, 'KeyClient.getRandomBytes'),
  // Release and attestation drop the version segment for the latest (`{/key-version}` in the service's template).
  releaseKey: op('POST', '/keys/{name}/{version}/release', (wire: ReleaseKeyResult) => ({ value: wire.value }), 'KeyClient.releaseKey'),
  releaseLatestKey: op('POST', '/keys/{name}/release', (wire: ReleaseKeyResult) => ({ value: wire.value }), 'KeyClient.releaseKey'),
  getKeyAttestation: op('GET', '/keys/{name}/{version}/attestation', toKeyVaultKey, 'KeyClient.getKeyAttestation'),
  getLatestKeyAttestation: op('GET', '/keys/{name}/attestation', toKeyVaultKey, 'KeyClient.getKeyAttestation'),
  // Cryptography: an empty version stays an empty segment, as Microsoft's SDK sends it.
  encrypt: op('POST', '/keys/{name}/{version}/encrypt', asResult, 'CryptographyClient.encrypt'),
  decrypt: op('POST', '/keys/{name}/{version}/decrypt', asResult, 'CryptographyClient.decrypt'),
  sign: op('POST', '/keys/{name}/{version}/sign', asResult, 'CryptographyClient.sign'),
  verify: op('POST', '/keys/{name}/{version}/verify', (wire: { value?: boolean }) => wire?.value === true, 'CryptographyClient.verify'),
  wrapKey: op('POST', '/keys/{name}/{version}/wrapkey', asResult, 'CryptographyClient.wrapKey'),
  unwrapKey: op('POST', '/keys/{name}/{version}/unwrapkey', asResult, 'CryptographyClient.unwrapKey'),
};

export type { WireList };
