/**
 * The seam between `CryptographyClient` and whatever computes: the local provider (node:crypto)
 * says what it can do with the key material it holds; the remote provider (the vault) does the rest.
 */
import { KeyVaultError, ValidationError } from '../../core/errors.js';
import type { OperationOptions } from '../../core/options.js';
import type {
  DecryptParameters, DecryptResult, EncryptParameters, EncryptResult, KeyWrapAlgorithm, SignResult, SignatureAlgorithm,
  UnwrapResult, VerifyResult, WrapResult,
} from './models.js';
import type { CryptographyOperation } from './algorithms.js';

type Maybe<T> = T | Promise<T>;

/** One way of running cryptographic operations on one key. */
export interface CryptographyProvider {
  /** True when this provider can run `operation` with `algorithm` on the key material it has. */
  isSupported(algorithm: string, operation: CryptographyOperation): boolean;
  /** Encrypts `parameters.plaintext` with `parameters.algorithm`. */
  encrypt(parameters: EncryptParameters, options?: OperationOptions): Maybe<EncryptResult>;
  /** Decrypts `parameters.ciphertext` with `parameters.algorithm`. */
  decrypt(parameters: DecryptParameters, options?: OperationOptions): Maybe<DecryptResult>;
  /** Wraps (encrypts) a symmetric key with `algorithm`. */
  wrapKey(algorithm: KeyWrapAlgorithm, key: Uint8Array, options?: OperationOptions): Maybe<WrapResult>;
  /** Unwraps (decrypts) a wrapped symmetric key with `algorithm`. */
  unwrapKey(algorithm: KeyWrapAlgorithm, encryptedKey: Uint8Array, options?: OperationOptions): Maybe<UnwrapResult>;
  /** Signs a digest. */
  sign(algorithm: SignatureAlgorithm, digest: Uint8Array, options?: OperationOptions): Maybe<SignResult>;
  /** Verifies a signature over a digest. */
  verify(algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array, options?: OperationOptions): Maybe<VerifyResult>;
  /** Hashes `data`, then signs. */
  signData(algorithm: SignatureAlgorithm, data: Uint8Array, options?: OperationOptions): Maybe<SignResult>;
  /** Hashes `data`, then verifies. */
  verifyData(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, options?: OperationOptions): Maybe<VerifyResult>;
}

/**
 * A local-only client (built from a `JsonWebKey`) was asked for something its key material cannot
 * do here, e.g. `decrypt` without the private part, or ECDSA over a bare digest.
 */
export class LocalCryptographyUnsupportedError extends ValidationError {
  override name = 'LocalCryptographyUnsupportedError';
  constructor(message: string) {
    super(message, 'LocalCryptographyUnsupported');
  }
}

/** A local operation failed on its input: an AES-GCM tag that does not authenticate, a bad padding, a malformed ciphertext. */
export class CryptographyError extends KeyVaultError {
  override name = 'CryptographyError';
  constructor(message: string, code: string, cause?: unknown) {
    super(message, { code, cause });
  }
}
