/** Parameters and results of `CryptographyClient`, named and shaped as in Microsoft's `@azure/keyvault-keys`. */
import type { OperationOptions } from '../../core/options.js';

type Open<T extends string> = T | (string & {});

/** RSA encryption: PKCS#1 v1.5, OAEP (SHA-1) and OAEP with SHA-256. */
export type RsaEncryptionAlgorithm = 'RSA1_5' | 'RSA-OAEP' | 'RSA-OAEP-256';
/** AES-GCM (authenticated) with a 128, 192 or 256-bit key. */
export type AesGcmEncryptionAlgorithm = 'A128GCM' | 'A192GCM' | 'A256GCM';
/** AES-CBC without padding (whole blocks only) and with PKCS#7 padding (`...CBCPAD`). */
export type AesCbcEncryptionAlgorithm = 'A128CBC' | 'A192CBC' | 'A256CBC' | 'A128CBCPAD' | 'A192CBCPAD' | 'A256CBCPAD';
/** Key wrapping: AES key wrap (RFC 3394 / 5649) and RSA. */
export type KeyWrapAlgorithm = 'A128KW' | 'A192KW' | 'A256KW' | 'RSA-OAEP' | 'RSA-OAEP-256' | 'RSA1_5' | 'CKM_AES_KEY_WRAP' | 'CKM_AES_KEY_WRAP_PAD';
/** Every encryption algorithm Key Vault lists (api 7.6). */
export type EncryptionAlgorithm = Open<RsaEncryptionAlgorithm | AesGcmEncryptionAlgorithm | AesCbcEncryptionAlgorithm | 'A128KW' | 'A192KW' | 'A256KW' | 'CKM_AES_KEY_WRAP' | 'CKM_AES_KEY_WRAP_PAD'>;
/** Every signature algorithm Key Vault lists (api 7.6): RSASSA-PSS, RSASSA-PKCS1-v1_5, HMAC, ECDSA (P-256K included). */
export type SignatureAlgorithm = Open<'PS256' | 'PS384' | 'PS512' | 'RS256' | 'RS384' | 'RS512' | 'RSNULL' | 'HS256' | 'HS384' | 'HS512' | 'ES256' | 'ES384' | 'ES512' | 'ES256K'>;

/** Known values of {@link EncryptionAlgorithm}. */
export enum KnownEncryptionAlgorithms {
  RSAOaep = 'RSA-OAEP', RSAOaep256 = 'RSA-OAEP-256', RSA15 = 'RSA1_5', A128GCM = 'A128GCM', A192GCM = 'A192GCM',
  A256GCM = 'A256GCM', A128KW = 'A128KW', A192KW = 'A192KW', A256KW = 'A256KW', A128CBC = 'A128CBC',
  A192CBC = 'A192CBC', A256CBC = 'A256CBC', A128Cbcpad = 'A128CBCPAD', A192Cbcpad = 'A192CBCPAD',
  A256Cbcpad = 'A256CBCPAD', CkmAesKeyWrap = 'CKM_AES_KEY_WRAP', CkmAesKeyWrapPad = 'CKM_AES_KEY_WRAP_PAD',
}
/** Known values of {@link SignatureAlgorithm}. */
export enum KnownSignatureAlgorithms {
  PS256 = 'PS256', PS384 = 'PS384', PS512 = 'PS512', RS256 = 'RS256', RS384 = 'RS384', RS512 = 'RS512',
  HS256 = 'HS256', HS384 = 'HS384', HS512 = 'HS512', Rsnull = 'RSNULL', ES256 = 'ES256', ES384 = 'ES384',
  ES512 = 'ES512', ES256K = 'ES256K',
}

/** `encrypt` with an RSA key. */
export interface RsaEncryptParameters {
  /** The algorithm. */
  algorithm: RsaEncryptionAlgorithm;
  /** The bytes to encrypt. */
  plaintext: Uint8Array;
}
/** `encrypt` with AES-GCM: the IV (12 bytes) is chosen for you and returned in the result. */
export interface AesGcmEncryptParameters {
  /** The algorithm. */
  algorithm: AesGcmEncryptionAlgorithm;
  /** The bytes to encrypt. */
  plaintext: Uint8Array;
  /** Authenticated but not encrypted; pass the same bytes to `decrypt`. */
  additionalAuthenticatedData?: Uint8Array;
}
/** `encrypt` with AES-CBC. */
export interface AesCbcEncryptParameters {
  /** The algorithm. */
  algorithm: AesCbcEncryptionAlgorithm;
  /** The bytes to encrypt. */
  plaintext: Uint8Array;
  /** 16 random bytes; generated with `crypto.randomBytes` when omitted (and returned in the result). Never reuse one. */
  iv?: Uint8Array;
}
/** The parameters of `encrypt`, by algorithm family. */
export type EncryptParameters = RsaEncryptParameters | AesGcmEncryptParameters | AesCbcEncryptParameters;

/** `decrypt` with an RSA key. */
export interface RsaDecryptParameters {
  /** The algorithm. */
  algorithm: RsaEncryptionAlgorithm;
  /** The bytes to decrypt. */
  ciphertext: Uint8Array;
}
/** `decrypt` with AES-GCM. */
export interface AesGcmDecryptParameters {
  /** The algorithm. */
  algorithm: AesGcmEncryptionAlgorithm;
  /** The bytes to decrypt. */
  ciphertext: Uint8Array;
  /** The IV returned by `encrypt`. */
  iv: Uint8Array;
  /** The tag returned by `encrypt`. */
  authenticationTag: Uint8Array;
  /** The additional authenticated data given to `encrypt`. */
  additionalAuthenticatedData?: Uint8Array;
}
/** `decrypt` with AES-CBC. Authenticate CBC ciphertexts (e.g. with an HMAC) before decrypting them. */
export interface AesCbcDecryptParameters {
  /** The algorithm. */
  algorithm: AesCbcEncryptionAlgorithm;
  /** The bytes to decrypt. */
  ciphertext: Uint8Array;
  /** The IV used to encrypt. */
  iv: Uint8Array;
}
/** The parameters of `decrypt`, by algorithm family. */
export type DecryptParameters = RsaDecryptParameters | AesGcmDecryptParameters | AesCbcDecryptParameters;

/** What `encrypt` returns. */
export interface EncryptResult {
  /** The output bytes. */
  result: Uint8Array;
  /** The algorithm used. */
  algorithm: EncryptionAlgorithm;
  /** The id of the key version used. */
  keyID?: string;
  /** AES: the IV used (generated when you gave none). */
  iv?: Uint8Array;
  /** AES-GCM: the authentication tag. */
  authenticationTag?: Uint8Array;
  /** AES-GCM: the additional authenticated data. */
  additionalAuthenticatedData?: Uint8Array;
}
/** What `decrypt` returns. */
export interface DecryptResult {
  /** The output bytes. */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: EncryptionAlgorithm;
}
/** What `wrapKey` returns. */
export interface WrapResult {
  /** The output bytes. */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: KeyWrapAlgorithm;
}
/** What `unwrapKey` returns. */
export interface UnwrapResult {
  /** The output bytes. */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: KeyWrapAlgorithm;
}
/** What `sign` and `signData` return. */
export interface SignResult {
  /** The signature; ECDSA signatures are JOSE raw `r || s`. */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: SignatureAlgorithm;
}
/** What `verify` and `verifyData` return. */
export interface VerifyResult {
  /** True when the signature is valid. */
  result: boolean;
  /** The id of the key version used. */
  keyID?: string;
}

/** Options of every `CryptographyClient` method. */
export interface CryptographyOptions extends OperationOptions {}
/** Options of `encrypt` (permission: keys/encrypt when remote). */
export interface EncryptOptions extends CryptographyOptions {}
/** Options of `decrypt` (permission: keys/decrypt). */
export interface DecryptOptions extends CryptographyOptions {}
/** Options of `sign` and `signData` (permission: keys/sign). */
export interface SignOptions extends CryptographyOptions {}
/** Options of `verify` (permission: keys/verify when remote). */
export interface VerifyOptions extends CryptographyOptions {}
/** Options of `verifyData` (permission: keys/verify when remote). */
export interface VerifyDataOptions extends CryptographyOptions {}
/** Options of `wrapKey` (permission: keys/wrapKey when remote). */
export interface WrapKeyOptions extends CryptographyOptions {}
/** Options of `unwrapKey` (permission: keys/unwrapKey). */
export interface UnwrapKeyOptions extends CryptographyOptions {}
