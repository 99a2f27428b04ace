/**
 * Cryptography on key material held in this process, with node:crypto only. It claims an operation
 * (`isSupported`) only when it has the material the operation needs: the public part for encrypt,
 * wrap and verify; the private part (present only in a JsonWebKey you supply) for decrypt, unwrap
 * and sign; `k` for AES. Everything else is left to the vault.
 */
import {
  constants, createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, privateDecrypt, privateEncrypt, publicDecrypt,
  publicEncrypt, randomBytes, sign as nodeSign, timingSafeEqual, verify as nodeVerify, type CipherGCM, type DecipherGCM,
  type JsonWebKey as NodeJsonWebKey, type KeyObject,
} from 'node:crypto';
import { ValidationError } from '../../core/errors.js';
import type {
  DecryptParameters, DecryptResult, EncryptParameters, EncryptResult, KeyWrapAlgorithm, SignResult, SignatureAlgorithm,
  UnwrapResult, VerifyResult, WrapResult,
} from './models.js';
import type { JsonWebKey } from '../models.js';
import { ALGORITHMS, familyOf, type AlgorithmInfo, type CryptographyOperation, type Hash, type KeyFamily } from './algorithms.js';
import { CryptographyError, LocalCryptographyUnsupportedError, type CryptographyProvider } from './provider.js';

/** Key Vault's curve names → node's JWK curve names. */
const NODE_CURVES: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'secp256k1' };

/** The DER `DigestInfo` prefix RSASSA-PKCS1-v1_5 puts before the digest (RFC 8017 §9.2, note 1). */
const DIGEST_INFO: Record<Hash, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const PRIVATE_OPERATIONS = new Set<CryptographyOperation>(['decrypt', 'unwrapKey', 'sign', 'signData']);
const RSA_PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

const b64 = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url') : undefined);
// Results stay Buffers (typed Uint8Array), as Microsoft's: `result.toString()` prints text.
const u8 = (buffer: Buffer): Uint8Array => buffer;
const buf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function rsaPadding(algorithm: string): { padding: number; oaepHash?: string } {
  if (algorithm === 'RSA1_5') return { padding: constants.RSA_PKCS1_PADDING };
  return { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm === 'RSA-OAEP-256' ? 'sha256' : 'sha1' };
}

/** AES-KW ciphers: RFC 3394 (default IV A6A6...) and RFC 5649 with padding (IV A65959A6). */
function keyWrapCipher(algorithm: string, key: Uint8Array): { cipher: string; iv: Buffer } {
  const bits = key.length * 8;
  return algorithm === 'CKM_AES_KEY_WRAP_PAD'
    ? { cipher: `id-aes${bits}-wrap-pad`, iv: Buffer.from('A65959A6', 'hex') }
    : { cipher: `id-aes${bits}-wrap`, iv: Buffer.from('A6A6A6A6A6A6A6A6', 'hex') };
}

export class LocalCryptographyProvider implements CryptographyProvider {
  readonly #jwk: JsonWebKey;
  readonly #family: KeyFamily | undefined;
  #publicKey: KeyObject | undefined;
  #privateKey: KeyObject | undefined;

  constructor(jwk: JsonWebKey) {
    this.#jwk = jwk;
    this.#family = familyOf(jwk.kty);
  }

  /** True when the material for private operations is here (never the case for a key read from a vault). */
  get hasPrivateKey(): boolean {
    const jwk = this.#jwk;
    if (this.#family === 'RSA') return RSA_PRIVATE.every((name) => jwk[name] !== undefined);
    if (this.#family === 'EC') return jwk.d !== undefined;
    return jwk.k !== undefined;
  }

  get #hasPublicKey(): boolean {
    const jwk = this.#jwk;
    if (this.#family === 'RSA') return jwk.n !== undefined && jwk.e !== undefined;
    if (this.#family === 'EC') return jwk.x !== undefined && jwk.y !== undefined && NODE_CURVES[jwk.crv ?? ''] !== undefined;
    return jwk.k !== undefined;
  }

  isSupported(algorithm: string, operation: CryptographyOperation): boolean {
    const info = ALGORITHMS[algorithm];
    if (!info || !info.operations.includes(operation) || info.family !== this.#family) return false;
    if (this.#family === 'RSA' && (operation === 'sign' || operation === 'verify') && !algorithm.startsWith('RS')) {
      // node:crypto signs a bare digest only as PKCS#1 v1.5 (through DigestInfo); PSS needs the data.
      return false;
    }
    if (this.#family === 'EC' && (operation === 'sign' || operation === 'verify' || info.curve !== this.#jwk.crv)) {
      // ECDSA over a bare digest is not in node:crypto: signData/verifyData run here, sign/verify in the vault.
      return false;
    }
    if (this.#family === 'oct' && (info.hash || (info.keyBytes !== undefined && this.#jwk.k?.length !== info.keyBytes))) return false; // HMAC stays in the HSM
    return PRIVATE_OPERATIONS.has(operation) ? this.hasPrivateKey : this.#hasPublicKey;
  }

  /** Throws the typed error a local-only client reports for an operation it cannot run. */
  unsupported(algorithm: string, operation: CryptographyOperation): never {
    const needsPrivate = PRIVATE_OPERATIONS.has(operation) && this.#family !== 'oct' && !this.hasPrivateKey;
    throw new LocalCryptographyUnsupportedError(
      needsPrivate
        ? `${operation} with ${algorithm} needs the private key, which this JsonWebKey does not have.`
        : `${operation} with ${algorithm} cannot run locally on a ${this.#jwk.kty ?? 'typeless'} key${this.#family === 'EC' && (operation === 'sign' || operation === 'verify') ? ' (ECDSA needs the data: use signData/verifyData)' : ''}.`,
    );
  }

  encrypt(parameters: EncryptParameters): EncryptResult {
    const { algorithm, plaintext } = parameters;
    if (this.#family === 'RSA') {
      return { algorithm, ...this.#keyID, result: u8(publicEncrypt({ key: this.#public(), ...rsaPadding(algorithm) }, buf(plaintext))) };
    }
    const k = buf(this.#jwk.k!);
    if (algorithm.endsWith('GCM')) {
      const aad = 'additionalAuthenticatedData' in parameters ? parameters.additionalAuthenticatedData : undefined;
      const iv = randomBytes(12);
      const cipher = createCipheriv(`aes-${k.length * 8}-gcm`, k, iv) as CipherGCM;
      if (aad) cipher.setAAD(buf(aad));
      const result = Buffer.concat([cipher.update(buf(plaintext)), cipher.final()]);
      return { algorithm, ...this.#keyID, result: u8(result), iv: u8(iv), authenticationTag: u8(cipher.getAuthTag()), ...(aad ? { additionalAuthenticatedData: aad } : {}) };
    }
    const iv = ('iv' in parameters && parameters.iv) || u8(randomBytes(16));
    const cipher = this.#cbc(createCipheriv, algorithm, k, iv, plaintext.length);
    const result = Buffer.concat([cipher.update(buf(plaintext)), cipher.final()]);
    return { algorithm, ...this.#keyID, result: u8(result), iv };
  }

  decrypt(parameters: DecryptParameters): DecryptResult {
    const { algorithm, ciphertext } = parameters;
    return this.#guard(algorithm, () => {
      if (this.#family === 'RSA') {
        return { algorithm, ...this.#keyID, result: u8(privateDecrypt({ key: this.#private(), ...rsaPadding(algorithm) }, buf(ciphertext))) };
      }
      const k = buf(this.#jwk.k!);
      if ('authenticationTag' in parameters) {
        const decipher = createDecipheriv(`aes-${k.length * 8}-gcm`, k, buf(parameters.iv)) as DecipherGCM;
        decipher.setAuthTag(buf(parameters.authenticationTag));
        if (parameters.additionalAuthenticatedData) decipher.setAAD(buf(parameters.additionalAuthenticatedData));
        return { algorithm, ...this.#keyID, result: u8(Buffer.concat([decipher.update(buf(ciphertext)), decipher.final()])) };
      }
      if (algorithm.endsWith('GCM')) throw new ValidationError(`${algorithm} decrypt needs the authenticationTag.`, 'InvalidArgument');
      const decipher = this.#cbc(createDecipheriv, algorithm, k, (parameters as { iv?: Uint8Array }).iv, ciphertext.length);
      return { algorithm, ...this.#keyID, result: u8(Buffer.concat([decipher.update(buf(ciphertext)), decipher.final()])) };
    });
  }

  wrapKey(algorithm: KeyWrapAlgorithm, key: Uint8Array): WrapResult {
    if (this.#family === 'RSA') return { algorithm, ...this.#keyID, result: u8(publicEncrypt({ key: this.#public(), ...rsaPadding(algorithm) }, buf(key))) };
    if (algorithm !== 'CKM_AES_KEY_WRAP_PAD' && (key.length < 16 || key.length % 8 !== 0)) {
      throw new ValidationError(`${algorithm} wraps keys of 16 bytes or more, in multiples of 8; this one has ${key.length} bytes.`, 'InvalidArgument');
    }
    const { cipher, iv } = keyWrapCipher(algorithm, this.#jwk.k!);
    const wrap = createCipheriv(cipher, buf(this.#jwk.k!), iv);
    return { algorithm, ...this.#keyID, result: u8(Buffer.concat([wrap.update(buf(key)), wrap.final()])) };
  }

  unwrapKey(algorithm: KeyWrapAlgorithm, encryptedKey: Uint8Array): UnwrapResult {
    return this.#guard(algorithm, () => {
      if (this.#family === 'RSA') return { algorithm, ...this.#keyID, result: u8(privateDecrypt({ key: this.#private(), ...rsaPadding(algorithm) }, buf(encryptedKey))) };
      const { cipher, iv } = keyWrapCipher(algorithm, this.#jwk.k!);
      const unwrap = createDecipheriv(cipher, buf(this.#jwk.k!), iv);
      return { algorithm, ...this.#keyID, result: u8(Buffer.concat([unwrap.update(buf(encryptedKey)), unwrap.final()])) };
    });
  }

  sign(algorithm: SignatureAlgorithm, digest: Uint8Array): SignResult {
    const signed = privateEncrypt({ key: this.#private(), padding: constants.RSA_PKCS1_PADDING }, this.#digestInfo(algorithm, digest));
    return { algorithm, ...this.#keyID, result: u8(signed) };
  }

  verify(algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): VerifyResult {
    const expected = this.#digestInfo(algorithm, digest);
    let recovered: Buffer;
    try {
      recovered = publicDecrypt({ key: this.#public(), padding: constants.RSA_PKCS1_PADDING }, buf(signature));
    } catch {
      return { result: false, ...this.#keyID };
    }
    return { result: recovered.length === expected.length && timingSafeEqual(recovered, expected), ...this.#keyID };
  }

  signData(algorithm: SignatureAlgorithm, data: Uint8Array): SignResult {
    const info = ALGORITHMS[algorithm]!;
    const signature = nodeSign(info.hash!, buf(data), { key: this.#private(), ...this.#signatureOptions(algorithm, info, true) });
    return { algorithm, ...this.#keyID, result: u8(signature) };
  }

  verifyData(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array): VerifyResult {
    const info = ALGORITHMS[algorithm]!;
    let result: boolean;
    try {
      result = nodeVerify(info.hash!, buf(data), { key: this.#public(), ...this.#signatureOptions(algorithm, info, false) }, buf(signature));
    } catch {
      // A signature of the wrong size or encoding does not verify.
      result = false;
    }
    return { result, ...this.#keyID };
  }

  /** Results name the key only when the JsonWebKey has a `kid`. */
  get #keyID(): { keyID?: string } {
    return this.#jwk.kid === undefined ? {} : { keyID: this.#jwk.kid };
  }

  #signatureOptions(algorithm: string, info: AlgorithmInfo, signing: boolean) {
    if (info.family === 'EC') return { dsaEncoding: 'ieee-p1363' as const }; // JOSE: raw r || s
    if (algorithm.startsWith('PS')) {
      return { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: signing ? constants.RSA_PSS_SALTLEN_DIGEST : constants.RSA_PSS_SALTLEN_AUTO };
    }
    return { padding: constants.RSA_PKCS1_PADDING };
  }

  #digestInfo(algorithm: string, digest: Uint8Array): Buffer {
    const hash = ALGORITHMS[algorithm]?.hash;
    return hash ? Buffer.concat([DIGEST_INFO[hash], buf(digest)]) : buf(digest); // RSNULL signs the bytes as given
  }

  #cbc<T extends { setAutoPadding(pad: boolean): T }>(
    make: (cipher: string, key: Buffer, iv: Buffer) => T, algorithm: string, k: Buffer, iv: Uint8Array | undefined, length: number,
  ): T {
    if (!iv || iv.length !== 16) throw new ValidationError(`${algorithm} needs a 16-byte iv.`, 'InvalidIv');
    const pad = algorithm.endsWith('PAD');
    if (!pad && length % 16 !== 0) throw new ValidationError(`${algorithm} has no padding: the input must be whole 16-byte blocks (use ${algorithm}PAD).`, 'InvalidArgument');
    return make(`aes-${k.length * 8}-cbc`, k, buf(iv)).setAutoPadding(pad);
  }

  /** Failures on the caller's input (tag, padding, size) come out typed, never as bare OpenSSL errors. */
  #guard<T>(algorithm: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      throw new CryptographyError(`${algorithm}: the input does not decrypt or unwrap with this key.`, 'DecryptionFailed', error);
    }
  }

  #public(): KeyObject {
    return (this.#publicKey ??= this.#import(false) as KeyObject);
  }

  #private(): KeyObject {
    return (this.#privateKey ??= this.#import(true) as KeyObject);
  }

  #import(isPrivate: boolean): KeyObject {
    const jwk = this.#jwk;
    const base: NodeJsonWebKey = this.#family === 'RSA'
      ? { kty: 'RSA', n: b64(jwk.n), e: b64(jwk.e) } as NodeJsonWebKey
      : { kty: 'EC', crv: NODE_CURVES[jwk.crv ?? ''], x: b64(jwk.x), y: b64(jwk.y) } as NodeJsonWebKey;
    const secret: NodeJsonWebKey = isPrivate ? (this.#family === 'RSA' ? Object.fromEntries(RSA_PRIVATE.map((name) => [name, b64(jwk[name])])) : { d: b64(jwk.d) }) : {};
    try {
      return isPrivate ? createPrivateKey({ key: { ...base, ...secret }, format: 'jwk' }) : createPublicKey({ key: base, format: 'jwk' });
    } catch (cause) {
      throw Object.assign(new ValidationError(`The ${jwk.kty} JsonWebKey is malformed: ${(cause as Error).message}`, 'InvalidKey'), { cause });
    }
  }
}
