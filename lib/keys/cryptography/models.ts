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
  /** RSA-OAEP (SHA-1). */ RSAOaep = 'RSA-OAEP',
  /** RSA-OAEP with SHA-256. */ RSAOaep256 = 'RSA-OAEP-256',
  /** RSAES-PKCS1-v1_5. */ RSA15 = 'RSA1_5',
  /** AES-GCM, 128-bit key. */ A128GCM = 'A128GCM',
  /** AES-GCM, 192-bit key. */ A192GCM = 'A192GCM',
  /** AES-GCM, 256-bit key. */ A256GCM = 'A256GCM',
  /** AES key wrap (RFC 3394), 128-bit key. */ A128KW = 'A128KW',
  /** AES key wrap (RFC 3394), 192-bit key. */ A192KW = 'A192KW',
  /** AES key wrap (RFC 3394), 256-bit key. */ A256KW = 'A256KW',
  /** AES-CBC without padding, 128-bit key. */ A128CBC = 'A128CBC',
  /** AES-CBC without padding, 192-bit key. */ A192CBC = 'A192CBC',
  /** AES-CBC without padding, 256-bit key. */ A256CBC = 'A256CBC',
  /** AES-CBC with PKCS#7 padding, 128-bit key. */ A128Cbcpad = 'A128CBCPAD',
  /** AES-CBC with PKCS#7 padding, 192-bit key. */ A192Cbcpad = 'A192CBCPAD',
  /** AES-CBC with PKCS#7 padding, 256-bit key. */ A256Cbcpad = 'A256CBCPAD',
  /** PKCS#11 `CKM_AES_KEY_WRAP`. */ CkmAesKeyWrap = 'CKM_AES_KEY_WRAP',
  /** PKCS#11 `CKM_AES_KEY_WRAP_PAD`. */ CkmAesKeyWrapPad = 'CKM_AES_KEY_WRAP_PAD',
}
/** Known values of {@link SignatureAlgorithm}. */
export enum KnownSignatureAlgorithms {
  /** RSASSA-PSS with SHA-256. */ PS256 = 'PS256',
  /** RSASSA-PSS with SHA-384. */ PS384 = 'PS384',
  /** RSASSA-PSS with SHA-512. */ PS512 = 'PS512',
  /** RSASSA-PKCS1-v1_5 with SHA-256. */ RS256 = 'RS256',
  /** RSASSA-PKCS1-v1_5 with SHA-384. */ RS384 = 'RS384',
  /** RSASSA-PKCS1-v1_5 with SHA-512. */ RS512 = 'RS512',
  /** HMAC with SHA-256 (Managed HSM). */ HS256 = 'HS256',
  /** HMAC with SHA-384 (Managed HSM). */ HS384 = 'HS384',
  /** HMAC with SHA-512 (Managed HSM). */ HS512 = 'HS512',
  /** Reserved (RSASSA-PKCS1-v1_5 over a caller-built DigestInfo). */ Rsnull = 'RSNULL',
  /** ECDSA on P-256 with SHA-256. */ ES256 = 'ES256',
  /** ECDSA on P-384 with SHA-384. */ ES384 = 'ES384',
  /** ECDSA on P-521 with SHA-512. */ ES512 = 'ES512',
  /** ECDSA on secp256k1 with SHA-256. */ ES256K = 'ES256K',
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
