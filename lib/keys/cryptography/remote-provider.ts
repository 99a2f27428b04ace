/** Cryptography done by the vault: one POST per operation on `/keys/{name}/{version}/...`. */
import { createHash } from 'node:crypto';
import type { ClientContext } from '../../core/context.js';
import { send, perCallOf } from '../../core/operation.js';
import type { OperationOptions } from '../../core/options.js';
import { ALGORITHMS } from './algorithms.js';
import type { CryptographyProvider } from './provider.js';
import { ValidationError } from '../../core/errors.js';
import { compact, fromBase64Url, toBase64Url } from '../../wire/codecs.js';
import type {
  DecryptParameters, DecryptResult, EncryptParameters, EncryptResult, KeyWrapAlgorithm, SignResult, SignatureAlgorithm,
  UnwrapResult, VerifyResult, WrapResult,
} from './models.js';
import { keyOperations as ops, type WireKeyOperationResult } from '../operations.js';

/** The digest `signData`/`verifyData` compute before asking the vault. */
export function digestOf(algorithm: string, data: Uint8Array): Uint8Array {
  const hash = ALGORITHMS[algorithm]?.hash;
  if (!hash) throw new ValidationError(`${algorithm} has no digest to compute: use sign/verify with the bytes to sign.`, 'InvalidAlgorithm');
  return new Uint8Array(createHash(hash).update(data).digest());
}

export class RemoteCryptographyProvider implements CryptographyProvider {
  readonly #ctx: ClientContext;
  /** Resolved lazily: the version of the key fetched on first use, or the one given. */
  readonly #target: () => { name: string; version: string };

  constructor(ctx: ClientContext, target: () => { name: string; version: string }) {
    this.#ctx = ctx;
    this.#target = target;
  }

  isSupported(): boolean {
    return true;
  }

  async #call(operation: 'encrypt' | 'decrypt' | 'sign' | 'wrapKey' | 'unwrapKey', body: object, options: OperationOptions | undefined): Promise<WireKeyOperationResult> {
    return send(this.#ctx, ops[operation], { params: this.#target(), body }, perCallOf(options));
  }

  async encrypt(parameters: EncryptParameters, options?: OperationOptions): Promise<EncryptResult> {
    const iv = 'iv' in parameters ? parameters.iv : undefined;
    const aad = 'additionalAuthenticatedData' in parameters ? parameters.additionalAuthenticatedData : undefined;
    const wire = await this.#call('encrypt', compact({ alg: parameters.algorithm, value: toBase64Url(parameters.plaintext), iv: toBase64Url(iv), aad: toBase64Url(aad) }), options);
    return compact({
      algorithm: parameters.algorithm,
      result: fromBase64Url(wire.value ?? '')!,
      keyID: wire.kid,
      iv: fromBase64Url(wire.iv) ?? iv,
      authenticationTag: fromBase64Url(wire.tag),
      additionalAuthenticatedData: fromBase64Url(wire.aad) ?? aad,
    });
  }

  async decrypt(parameters: DecryptParameters, options?: OperationOptions): Promise<DecryptResult> {
    const p = parameters as Partial<{ iv: Uint8Array; authenticationTag: Uint8Array; additionalAuthenticatedData: Uint8Array }> & DecryptParameters;
    const body = compact({ alg: p.algorithm, value: toBase64Url(p.ciphertext), iv: toBase64Url(p.iv), tag: toBase64Url(p.authenticationTag), aad: toBase64Url(p.additionalAuthenticatedData) });
    const wire = await this.#call('decrypt', body, options);
    return compact({ algorithm: p.algorithm, result: fromBase64Url(wire.value ?? '')!, keyID: wire.kid });
  }

  async wrapKey(algorithm: KeyWrapAlgorithm, key: Uint8Array, options?: OperationOptions): Promise<WrapResult> {
    const wire = await this.#call('wrapKey', { alg: algorithm, value: toBase64Url(key) }, options);
    return compact({ algorithm, result: fromBase64Url(wire.value ?? '')!, keyID: wire.kid });
  }

  async unwrapKey(algorithm: KeyWrapAlgorithm, encryptedKey: Uint8Array, options?: OperationOptions): Promise<UnwrapResult> {
    const wire = await this.#call('unwrapKey', { alg: algorithm, value: toBase64Url(encryptedKey) }, options);
    return compact({ algorithm, result: fromBase64Url(wire.value ?? '')!, keyID: wire.kid });
  }

  async sign(algorithm: SignatureAlgorithm, digest: Uint8Array, options?: OperationOptions): Promise<SignResult> {
    const wire = await this.#call('sign', { alg: algorithm, value: toBase64Url(digest) }, options);
    return compact({ algorithm, result: fromBase64Url(wire.value ?? '')!, keyID: wire.kid });
  }

  async verify(algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array, options?: OperationOptions): Promise<VerifyResult> {
    const result = await send(this.#ctx, ops.verify, { params: this.#target(), body: { alg: algorithm, digest: toBase64Url(digest), value: toBase64Url(signature) } }, perCallOf(options));
    const { name, version } = this.#target();
    return { result, keyID: `${this.#ctx.vaultUrl}/keys/${name}${version ? `/${version}` : ''}` };
  }

  async signData(algorithm: SignatureAlgorithm, data: Uint8Array, options?: OperationOptions): Promise<SignResult> {
    return this.sign(algorithm, digestOf(algorithm, data), options);
  }

  async verifyData(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, options?: OperationOptions): Promise<VerifyResult> {
    return this.verify(algorithm, digestOf(algorithm, data), signature, options);
  }
}
