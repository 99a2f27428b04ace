/**
 * What each Key Vault algorithm needs (key family, curve, AES key size, hash), and the checks made
 * before anything is computed or sent. One table, read by the client and by the local provider.
 */
import { ValidationError } from '../../core/errors.js';

/** A `CryptographyClient` operation; `signData`/`verifyData` hash first, then sign/verify the digest. */
export type CryptographyOperation = 'encrypt' | 'decrypt' | 'wrapKey' | 'unwrapKey' | 'sign' | 'verify' | 'signData' | 'verifyData';

/** The `keyOps` entry each operation needs. */
export const KEY_OPERATION: Record<CryptographyOperation, string> = {
  encrypt: 'encrypt', decrypt: 'decrypt', wrapKey: 'wrapKey', unwrapKey: 'unwrapKey', sign: 'sign', verify: 'verify', signData: 'sign', verifyData: 'verify',
};

export type KeyFamily = 'RSA' | 'EC' | 'oct';
export type Hash = 'sha256' | 'sha384' | 'sha512';

export interface AlgorithmInfo {
  /** The operations it serves. */
  operations: readonly CryptographyOperation[];
  family: KeyFamily;
  /** Signatures: the digest the algorithm signs (none for RSNULL). */
  hash?: Hash;
  /** ECDSA: the curve the key must be on. */
  curve?: string;
  /** AES: the key length in bytes (any of 16/24/32 when absent). */
  keyBytes?: number;
}

const CIPHER = ['encrypt', 'decrypt'] as const;
const WRAP = ['wrapKey', 'unwrapKey'] as const;
const SIGNATURE = ['sign', 'verify', 'signData', 'verifyData'] as const;
// RSA algorithms both encrypt and wrap; AES-KW only wraps; AES-GCM/CBC only encrypt.
const rsaCipher: AlgorithmInfo = { operations: [...CIPHER, ...WRAP], family: 'RSA' };
const aes = (operations: readonly CryptographyOperation[], bits?: number): AlgorithmInfo => ({ operations, family: 'oct', ...(bits ? { keyBytes: bits / 8 } : {}) });
const sig = (family: KeyFamily, hash: Hash, curve?: string): AlgorithmInfo => ({ operations: SIGNATURE, family, hash, ...(curve ? { curve } : {}) });

/** Every algorithm of Key Vault's 7.6 enums (`JsonWebKeyEncryptionAlgorithm`, `JsonWebKeySignatureAlgorithm`). */
export const ALGORITHMS: Readonly<Record<string, AlgorithmInfo>> = {
  'RSA1_5': rsaCipher, 'RSA-OAEP': rsaCipher, 'RSA-OAEP-256': rsaCipher,
  A128GCM: aes(CIPHER, 128), A192GCM: aes(CIPHER, 192), A256GCM: aes(CIPHER, 256),
  A128CBC: aes(CIPHER, 128), A192CBC: aes(CIPHER, 192), A256CBC: aes(CIPHER, 256),
  A128CBCPAD: aes(CIPHER, 128), A192CBCPAD: aes(CIPHER, 192), A256CBCPAD: aes(CIPHER, 256),
  A128KW: aes(WRAP, 128), A192KW: aes(WRAP, 192), A256KW: aes(WRAP, 256),
  CKM_AES_KEY_WRAP: aes(WRAP), CKM_AES_KEY_WRAP_PAD: aes(WRAP),
  PS256: sig('RSA', 'sha256'), PS384: sig('RSA', 'sha384'), PS512: sig('RSA', 'sha512'),
  RS256: sig('RSA', 'sha256'), RS384: sig('RSA', 'sha384'), RS512: sig('RSA', 'sha512'),
  // RSNULL signs the bytes given: there is no hash for signData/verifyData to compute.
  RSNULL: { operations: ['sign', 'verify'], family: 'RSA' },
  HS256: sig('oct', 'sha256'), HS384: sig('oct', 'sha384'), HS512: sig('oct', 'sha512'),
  ES256: sig('EC', 'sha256', 'P-256'), ES384: sig('EC', 'sha384', 'P-384'), ES512: sig('EC', 'sha512', 'P-521'), ES256K: sig('EC', 'sha256', 'P-256K'),
};

export const DIGEST_BYTES: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** `RSA-HSM` → `RSA`, `EC-HSM` → `EC`, `oct-HSM` → `oct`. */
export function familyOf(kty: string | undefined): KeyFamily | undefined {
  const base = kty?.replace(/-HSM$/i, '').toUpperCase();
  return base === 'RSA' ? 'RSA' : base === 'EC' ? 'EC' : base === 'OCT' ? 'oct' : undefined;
}

/**
 * Checks what can be checked from the algorithm and the input alone. Unknown algorithms pass (the
 * service may know newer ones); a known one used for the wrong operation does not.
 */
export function checkAlgorithm(operation: CryptographyOperation, algorithm: string, digest?: Uint8Array): AlgorithmInfo | undefined {
  if (typeof algorithm !== 'string' || !algorithm) throw new ValidationError(`${operation} needs an algorithm.`, 'InvalidAlgorithm');
  const info = ALGORITHMS[algorithm];
  if (!info) return undefined;
  if (!info.operations.includes(operation)) {
    throw new ValidationError(`${algorithm} cannot be used to ${operation}.`, 'InvalidAlgorithm');
  }
  if (digest && info.hash && digest.length !== DIGEST_BYTES[info.hash]) {
    throw new ValidationError(`${algorithm} signs a ${DIGEST_BYTES[info.hash]}-byte ${info.hash.toUpperCase()} digest; this one has ${digest.length} bytes.`, 'InvalidDigestLength');
  }
  return info;
}

/** The key's type, curve and AES size against the algorithm's needs. */
export function checkKeyFits(algorithm: string, info: AlgorithmInfo | undefined, key: { kty?: string | undefined; crv?: string | undefined; k?: Uint8Array | undefined }): void {
  if (!info) return;
  const family = familyOf(key.kty);
  if (family && family !== info.family) {
    throw new ValidationError(`${algorithm} needs ${info.family === 'oct' ? 'a symmetric (oct)' : `an ${info.family}`} key; this key is ${key.kty}.`, 'AlgorithmKeyMismatch');
  }
  if (info.curve && key.crv && key.crv !== info.curve) {
    throw new ValidationError(`${algorithm} needs a key on curve ${info.curve}; this key is on ${key.crv}.`, 'AlgorithmKeyMismatch');
  }
  if (key.k && (info.keyBytes ? key.k.length !== info.keyBytes : ![16, 24, 32].includes(key.k.length))) {
    throw new ValidationError(`${algorithm} needs a ${info.keyBytes ? info.keyBytes * 8 : '128, 192 or 256'}-bit key; this key has ${key.k.length * 8} bits.`, 'AlgorithmKeyMismatch');
  }
}

/** Byte inputs must be `Uint8Array` (a `Buffer` is one). */
export function checkBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new ValidationError(`${what} must be a Uint8Array.`, 'InvalidArgument');
  return value;
}
