import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Observable } from 'rxjs';
import type { TokenCredential } from '../../core/auth/challenge-auth.js';
import { createContext, type ClientContext } from '../../core/context.js';
import { AbortError, ForbiddenError, ValidationError } from '../../core/errors.js';
import { send, perCallOf } from '../../core/operation.js';
import type { KeyVaultClientOptions, OperationOptions } from '../../core/options.js';
import { checkName, checkVersion } from '../../core/validate.js';
import { startTracing } from '../../telemetry/tracing.js';
import { KEY_OPERATION, checkAlgorithm, checkBytes, checkKeyFits, type CryptographyOperation } from './algorithms.js';
import { LocalCryptographyProvider } from './local-provider.js';
import type { CryptographyProvider } from './provider.js';
import { parseKeyVaultKeyIdentifier } from '../../identifiers/index.js';
import { fromCall } from '../../rx/from-call.js';
import type { ObservableTwins } from '../../rx/twins.js';
import type {
  DecryptOptions, DecryptParameters, DecryptResult, EncryptOptions, EncryptParameters, EncryptResult, EncryptionAlgorithm,
  KeyWrapAlgorithm, SignOptions, SignResult, SignatureAlgorithm, UnwrapKeyOptions, UnwrapResult, VerifyDataOptions, VerifyOptions,
  VerifyResult, WrapKeyOptions, WrapResult,
} from './models.js';
import type { JsonWebKey, KeyProperties, KeyVaultKey } from '../models.js';
import { keyOperations } from '../operations.js';
import { RemoteCryptographyProvider } from './remote-provider.js';
import { sharedContext } from '../../resources/shared.js';


/** What is known of the key: its material (public only, when read from a vault) and its properties. */
interface Material {
  jwk?: JsonWebKey;
  properties?: KeyProperties;
}

const isKeyVaultKey = (key: unknown): key is KeyVaultKey =>
  typeof (key as KeyVaultKey)?.name === 'string' && typeof (key as KeyVaultKey)?.properties === 'object';

/** Operations that Key Vault still allows on an expired or not-yet-valid key, so that existing data stays readable. */
const ALLOWED_OUTSIDE_VALIDITY = new Set<CryptographyOperation>(['decrypt', 'unwrapKey', 'verify', 'verifyData']);

/** The key's own limits, checked before anything is computed or sent. */
function checkUsable(operation: CryptographyOperation, { jwk, properties }: Material): void {
  const name = properties?.name ?? jwk?.kid ?? 'The key';
  const keyOp = KEY_OPERATION[operation];
  if (jwk?.keyOps && !jwk.keyOps.includes(keyOp)) {
    throw new ValidationError(`${name} does not allow ${keyOp} (its keyOps are ${jwk.keyOps.join(', ') || 'empty'}).`, 'OperationNotAllowed');
  }
  if (!properties) return;
  if (properties.enabled === false) throw new ValidationError(`${name} is disabled.`, 'KeyDisabled');
  if (ALLOWED_OUTSIDE_VALIDITY.has(operation)) return;
  const now = Date.now();
  if (properties.notBefore && properties.notBefore.getTime() > now) {
    throw new ValidationError(`${name} cannot be used before ${properties.notBefore.toISOString()}.`, 'KeyNotYetValid');
  }
  if (properties.expiresOn && properties.expiresOn.getTime() < now) {
    throw new ValidationError(`${name} expired on ${properties.expiresOn.toISOString()}.`, 'KeyExpired');
  }
}

/** Reads the `(parameters, options)` and the older `(algorithm, bytes, options)` forms alike. */
function parametersOf<P>(args: unknown[], bytes: 'plaintext' | 'ciphertext'): [P, OperationOptions | undefined] {
  if (typeof args[0] === 'string') return [{ algorithm: args[0], [bytes]: args[1] } as P, args[2] as OperationOptions | undefined];
  if (args[0] === null || typeof args[0] !== 'object') throw new ValidationError(`Expected ${bytes === 'plaintext' ? 'encrypt' : 'decrypt'} parameters.`, 'InvalidArgument');
  return [args[0] as P, args[1] as OperationOptions | undefined];
}

/**
 * Encrypt, decrypt, sign, verify, wrap and unwrap with one key, locally when the public key (or a
 * local JsonWebKey) suffices and in the vault otherwise; every method with an Observable (`name$`) twin.
 */
export class CryptographyClient implements ObservableTwins<CryptographyClient> {
  readonly #ctx: ClientContext | undefined;
  readonly #remote: RemoteCryptographyProvider | undefined;
  #name = '';
  #version = '';
  #id: string | undefined;
  #material: Material | undefined;
  #local: LocalCryptographyProvider | undefined;
  #pending: Promise<Material> | undefined;

  /**
   * A client for a key in a vault: `key` is a key id (`https://{vault}/keys/{name}[/{version}]`) or a
   * `KeyVaultKey`. The key is read once, on first use (permission keys/get; on 403 every operation
   * goes to the vault); operations that need only the public key then run locally.
   * @param credential - Any `@azure/identity` credential. Default: `DefaultAzureCredential`, loaded on first use.
   * @param options - Transport options, as for `KeyVaultClient`.
   */
  constructor(key: string | KeyVaultKey, credential?: TokenCredential, options?: KeyVaultClientOptions);
  /**
   * A local-only client: every operation runs in this process with node:crypto, and nothing is ever
   * sent. Operations needing a private part the key lacks fail with `LocalCryptographyUnsupportedError`.
   */
  constructor(key: JsonWebKey);
  constructor(key: string | KeyVaultKey | JsonWebKey, credential?: TokenCredential, options?: KeyVaultClientOptions) {
    if (typeof key === 'string' || isKeyVaultKey(key)) {
      const id = typeof key === 'string' ? key : (key.id ?? key.key?.kid ?? key.properties.id ?? '');
      const parsed = parseKeyVaultKeyIdentifier(id);
      if (parsed.collection !== 'keys') throw new ValidationError(`${id} is not a key id.`, 'InvalidId');
      startTracing();
      this.#ctx = sharedContext(options) ?? createContext(parsed.vaultUrl, credential, options);
      this.#name = checkName(parsed.name, 'key name');
      this.#version = checkVersion(parsed.version);
      this.#id = id;
      this.#remote = new RemoteCryptographyProvider(this.#ctx, () => ({ name: this.#name, version: this.#version }));
      if (typeof key !== 'string' && key.key) this.#learn({ jwk: key.key, properties: key.properties });
    } else if (key !== null && typeof key === 'object' && typeof key.kty === 'string') {
      this.#learn({ jwk: key });
    } else {
      throw new ValidationError('CryptographyClient needs a key id, a KeyVaultKey or a JsonWebKey with a kty.', 'InvalidKey');
    }
  }

  /** The vault URL; empty for a local-only client. */
  get vaultUrl(): string {
    return this.#ctx?.vaultUrl ?? '';
  }

  /** The id of the key used (with its version once the key was read). */
  get keyID(): string | undefined {
    return this.#id ?? this.#material?.jwk?.kid;
  }

  /** Challenges and `getToken` calls made so far by this client's (possibly shared) auth; zero for a local-only client. */
  get authStats(): { readonly challenges: number; readonly getTokenCalls: number } {
    return this.#ctx ? { ...this.#ctx.auth.stats } : { challenges: 0, getTokenCalls: 0 };
  }

  /**
   * Encrypts `plaintext`. RSA runs locally with the public key; AES locally when the key material
   * is present; otherwise in the vault. AES-CBC gets a random 16-byte IV when none is given; the
   * result carries `iv`, and for AES-GCM `authenticationTag`. Permission (remote): keys/encrypt.
   */
  async encrypt(parameters: EncryptParameters, options?: EncryptOptions): Promise<EncryptResult>;
  /** @deprecated Use `encrypt({ algorithm, plaintext }, options)`. */
  async encrypt(algorithm: EncryptionAlgorithm, plaintext: Uint8Array, options?: EncryptOptions): Promise<EncryptResult>;
  async encrypt(...args: unknown[]): Promise<EncryptResult> {
    const [parameters, options] = parametersOf<EncryptParameters>(args, 'plaintext');
    const withIv = /CBC/.test(parameters.algorithm) && !('iv' in parameters && parameters.iv) ? { ...parameters, iv: new Uint8Array(randomBytes(16)) } : parameters;
    return this.#run('encrypt', parameters.algorithm, options, { plaintext: parameters.plaintext }, (provider, perCall) => provider.encrypt(withIv, perCall));
  }

  /**
   * Decrypts `ciphertext`. Runs in the vault, unless this client holds a JsonWebKey with the private
   * part (or `k`). Authenticate AES-CBC ciphertexts before decrypting them. Permission: keys/decrypt.
   */
  async decrypt(parameters: DecryptParameters, options?: DecryptOptions): Promise<DecryptResult>;
  /** @deprecated Use `decrypt({ algorithm, ciphertext }, options)`. */
  async decrypt(algorithm: EncryptionAlgorithm, ciphertext: Uint8Array, options?: DecryptOptions): Promise<DecryptResult>;
  async decrypt(...args: unknown[]): Promise<DecryptResult> {
    const [parameters, options] = parametersOf<DecryptParameters>(args, 'ciphertext');
    return this.#run('decrypt', parameters.algorithm, options, { ciphertext: parameters.ciphertext }, (provider, perCall) => provider.decrypt(parameters, perCall));
  }

  /** Wraps (encrypts) a key. RSA runs locally with the public key; AES-KW locally with `k`. Permission (remote): keys/wrapKey. */
  async wrapKey(algorithm: KeyWrapAlgorithm, key: Uint8Array, options?: WrapKeyOptions): Promise<WrapResult> {
    return this.#run('wrapKey', algorithm, options, { key }, (provider, perCall) => provider.wrapKey(algorithm, key, perCall));
  }

  /** Unwraps a wrapped key; in the vault unless the private part (or `k`) is held locally. Permission: keys/unwrapKey. */
  async unwrapKey(algorithm: KeyWrapAlgorithm, encryptedKey: Uint8Array, options?: UnwrapKeyOptions): Promise<UnwrapResult> {
    return this.#run('unwrapKey', algorithm, options, { encryptedKey }, (provider, perCall) => provider.unwrapKey(algorithm, encryptedKey, perCall));
  }

  /**
   * Signs a digest (RS256 takes 32 bytes of SHA-256, ...384 48 bytes, ...512 64 bytes; the length is
   * checked first). In the vault unless an RSA private key is held locally. Permission: keys/sign.
   */
  async sign(algorithm: SignatureAlgorithm, digest: Uint8Array, options?: SignOptions): Promise<SignResult> {
    return this.#run('sign', algorithm, options, { digest }, (provider, perCall) => provider.sign(algorithm, digest, perCall));
  }

  /**
   * Verifies a signature over a digest. RS* and RSNULL run locally with the public key; PS*, ES* and
   * HS* over a bare digest run in the vault (use `verifyData` to verify those locally). Permission (remote): keys/verify.
   */
  async verify(algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array, options?: VerifyOptions): Promise<VerifyResult> {
    return this.#run('verify', algorithm, options, { digest, signature }, (provider, perCall) => provider.verify(algorithm, digest, signature, perCall));
  }

  /** Hashes `data` with the algorithm's hash locally, then signs the digest (in the vault unless the private key is here). Permission: keys/sign. */
  async signData(algorithm: SignatureAlgorithm, data: Uint8Array, options?: SignOptions): Promise<SignResult> {
    return this.#run('signData', algorithm, options, { data }, (provider, perCall) => provider.signData(algorithm, data, perCall));
  }

  /**
   * Verifies a signature over `data`: locally with the public key for RSA (RS*, PS*) and EC (ES256,
   * ES384, ES512, ES256K; JOSE `r || s` signatures); otherwise hashed locally and verified in the vault.
   * Permission (remote): keys/verify.
   */
  async verifyData(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, options?: VerifyDataOptions): Promise<VerifyResult> {
    return this.#run('verifyData', algorithm, options, { data, signature }, (provider, perCall) => provider.verifyData(algorithm, data, signature, perCall));
  }

  /**
   * Checks (the byte arguments, named as the caller knows them, in order; then the algorithm, and a `digest`'s
   * length), then runs locally when the local provider can, else in the vault, with the call's per-call options;
   * never a private operation locally without the private key.
   */
  async #run<R>(operation: CryptographyOperation, algorithm: string, options: OperationOptions | undefined, bytes: Readonly<Record<string, unknown>>, call: (provider: CryptographyProvider, perCall: OperationOptions) => R | Promise<R>): Promise<R> {
    for (const [what, value] of Object.entries(bytes)) checkBytes(value, what);
    const info = checkAlgorithm(operation, algorithm, bytes.digest as Uint8Array | undefined);
    const material = await this.#resolve(options);
    if (material.jwk) checkKeyFits(algorithm, info, material.jwk);
    checkUsable(operation, material);
    if (this.#local?.isSupported(algorithm, operation)) return call(this.#local, perCallOf(options));
    if (!this.#remote) return this.#local!.unsupported(algorithm, operation);
    return call(this.#remote, perCallOf(options));
  }

  /** The key, read once and shared by concurrent first calls; 403 (no keys/get) means remote-only. */
  async #resolve(options: OperationOptions | undefined): Promise<Material> {
    for (let attempt = 0; ; attempt++) {
      if (this.#material) return this.#material;
      const pending = (this.#pending ??= this.#fetch(options).finally(() => { this.#pending = undefined; }));
      try {
        return await pending;
      } catch (error) {
        // Another caller's abort ended the shared read: read once more under this caller's own signal.
        if (attempt === 0 && error instanceof AbortError && !options?.abortSignal?.aborted) continue;
        throw error;
      }
    }
  }

  async #fetch(options: OperationOptions | undefined): Promise<Material> {
    try {
      const key = await send(this.#ctx!, keyOperations.getKey, { params: { name: this.#name, version: this.#version } }, perCallOf(options));
      return this.#learn({ ...(key.key ? { jwk: key.key } : {}), properties: key.properties });
    } catch (error) {
      if (error instanceof ForbiddenError) return this.#learn({});
      throw error;
    }
  }

  #learn(material: Material): Material {
    this.#material = material;
    this.#local = material.jwk ? new LocalCryptographyProvider(material.jwk) : undefined;
    // Pin the version read, so that every operation of this client uses the same key version.
    const version = material.properties?.version;
    if (version) {
      this.#version = version;
      this.#id = material.properties?.id ?? this.#id;
    }
    return material;
  }

  /** What `util.inspect` and `console.log` show: identifiers only, never secret material. */
  [inspect.custom](): string {
    return this.#ctx ? `CryptographyClient { keyID: '${this.keyID}' }` : `CryptographyClient { local: '${this.#material?.jwk?.kty}'${this.keyID ? `, keyID: '${this.keyID}'` : ''} }`;
  }

  // The Observable twins, one line each over an rx/ adapter; `implements ObservableTwins` checks them all.
  /** {@link CryptographyClient.encrypt} as a cold, cancellable Observable. */
  encrypt$(parameters: EncryptParameters, options?: EncryptOptions): Observable<EncryptResult>;
  encrypt$(algorithm: EncryptionAlgorithm, plaintext: Uint8Array, options?: EncryptOptions): Observable<EncryptResult>;
  encrypt$(...args: unknown[]): Observable<EncryptResult> {
    const [parameters, options] = parametersOf<EncryptParameters>(args, 'plaintext');
    return fromCall(options, (o) => this.encrypt(parameters, o));
  }
  /** {@link CryptographyClient.decrypt} as a cold, cancellable Observable. */
  decrypt$(parameters: DecryptParameters, options?: DecryptOptions): Observable<DecryptResult>;
  decrypt$(algorithm: EncryptionAlgorithm, ciphertext: Uint8Array, options?: DecryptOptions): Observable<DecryptResult>;
  decrypt$(...args: unknown[]): Observable<DecryptResult> {
    const [parameters, options] = parametersOf<DecryptParameters>(args, 'ciphertext');
    return fromCall(options, (o) => this.decrypt(parameters, o));
  }
  /** {@link CryptographyClient.wrapKey} as a cold, cancellable Observable. */
  wrapKey$(algorithm: KeyWrapAlgorithm, key: Uint8Array, options?: WrapKeyOptions) { return fromCall(options, (o) => this.wrapKey(algorithm, key, o)); }
  /** {@link CryptographyClient.unwrapKey} as a cold, cancellable Observable. */
  unwrapKey$(algorithm: KeyWrapAlgorithm, encryptedKey: Uint8Array, options?: UnwrapKeyOptions) { return fromCall(options, (o) => this.unwrapKey(algorithm, encryptedKey, o)); }
  /** {@link CryptographyClient.sign} as a cold, cancellable Observable. */
  sign$(algorithm: SignatureAlgorithm, digest: Uint8Array, options?: SignOptions) { return fromCall(options, (o) => this.sign(algorithm, digest, o)); }
  /** {@link CryptographyClient.verify} as a cold, cancellable Observable. */
  verify$(algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array, options?: VerifyOptions) { return fromCall(options, (o) => this.verify(algorithm, digest, signature, o)); }
  /** {@link CryptographyClient.signData} as a cold, cancellable Observable. */
  signData$(algorithm: SignatureAlgorithm, data: Uint8Array, options?: SignOptions) { return fromCall(options, (o) => this.signData(algorithm, data, o)); }
  /** {@link CryptographyClient.verifyData} as a cold, cancellable Observable. */
  verifyData$(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, options?: VerifyDataOptions) { return fromCall(options, (o) => this.verifyData(algorithm, data, signature, o)); }
}
