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
  createKey: op('POST', '/keys/{name}/create', toKeyVaultKey),
  importKey: op('PUT', '/keys/{name}', toKeyVaultKey),
  getKey: op('GET', '/keys/{name}/{version}', toKeyVaultKey),
  updateKey: op('PATCH', '/keys/{name}/{version}', toKeyVaultKey),
  deleteKey: op('DELETE', '/keys/{name}', toDeletedKey),
  getDeletedKey: op('GET', '/deletedkeys/{name}', toDeletedKey),
  recoverDeletedKey: op('POST', '/deletedkeys/{name}/recover', toKeyVaultKey),
  purgeDeletedKey: op('DELETE', '/deletedkeys/{name}', (): void => undefined),
  backupKey: op('POST', '/keys/{name}/backup', valueBytes),
  restoreKey: op('POST', '/keys/restore', toKeyVaultKey),
  listKeys: op('GET', '/keys', asList<WireKey>),
  listKeyVersions: op('GET', '/keys/{name}/versions', asList<WireKey>),
  listDeletedKeys: op('GET', '/deletedkeys', asList<WireKey>),
  rotateKey: op('POST', '/keys/{name}/rotate', toKeyVaultKey),
  getRotationPolicy: op('GET', '/keys/{name}/rotationpolicy', toKeyRotationPolicy),
  updateRotationPolicy: op('PUT', '/keys/{name}/rotationpolicy', (wire: WireRotationPolicy) => toKeyRotationPolicy(wire)),
  getRandomBytes: op('POST', '/rng', valueBytes),
  // Release and attestation drop the version segment for the latest (`{/key-version}` in the service's template).
  releaseKey: op('POST', '/keys/{name}/{version}/release', (wire: ReleaseKeyResult) => ({ value: wire.value })),
  releaseLatestKey: op('POST', '/keys/{name}/release', (wire: ReleaseKeyResult) => ({ value: wire.value })),
  getKeyAttestation: op('GET', '/keys/{name}/{version}/attestation', toKeyVaultKey),
  getLatestKeyAttestation: op('GET', '/keys/{name}/attestation', toKeyVaultKey),
  // Cryptography: an empty version stays an empty segment, as Microsoft's SDK sends it.
  encrypt: op('POST', '/keys/{name}/{version}/encrypt', asResult),
  decrypt: op('POST', '/keys/{name}/{version}/decrypt', asResult),
  sign: op('POST', '/keys/{name}/{version}/sign', asResult),
  verify: op('POST', '/keys/{name}/{version}/verify', (wire: { value?: boolean }) => wire?.value === true),
  wrapKey: op('POST', '/keys/{name}/{version}/wrapkey', asResult),
  unwrapKey: op('POST', '/keys/{name}/{version}/unwrapkey', asResult),
};

export type { WireList };
