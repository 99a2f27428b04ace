import { inspect } from 'node:util';
import type { TokenCredential } from './core/auth/challenge-auth.js';
import { createContext, type ClientContext } from './core/context.js';
import type { KeyVaultClientOptions } from './core/options.js';
import { sharing } from './resources/shared.js';
import { startTracing } from './telemetry/tracing.js';
import { SecretClient } from './secrets/secret-client.js';
import { KeyClient } from './keys/key-client.js';
import { CertificateClient } from './certificates/certificate-client.js';
import type { GetCertificateWithPrivateKeyOptions } from './certificates/models.js';
import type { CertificateWithPrivateKey } from './certificates/private-key.js';
import type { Observable } from 'rxjs';
import { createConfig$ } from './config/config.js';
import type { ConfigObservable, ConfigOptions, ConfigSpec } from './config/spec.js';

/**
 * One vault, one client: `secrets` (and `keys`, `certificates`) are created on first access and
 * share ONE transport, ONE challenge and ONE token cache.
 *
 * ```ts
 * const kv = new KeyVaultClient('https://my-vault.vault.azure.net');
 * const secret = await kv.secrets.getSecret('db-password');
 * ```
 */
export class KeyVaultClient {
  /** The vault URL, without a trailing slash. */
  readonly vaultUrl: string;
  #ctx: ClientContext;
  #secrets: SecretClient | undefined;
  #keys: KeyClient | undefined;
  #certificates: CertificateClient | undefined;

  /**
   * @param vaultUrl - `https://<vault-name>.vault.azure.net`; https only (http only to a loopback host with `allowInsecureConnection`).
   * @param credential - Any `@azure/identity` `TokenCredential`. Default: `DefaultAzureCredential`, loaded on first use.
   * @param options - See {@link KeyVaultClientOptions}.
   */
  constructor(vaultUrl: string, credential?: TokenCredential, options?: KeyVaultClientOptions) {
    startTracing();
    this.#ctx = createContext(vaultUrl, credential, options);
    this.vaultUrl = this.#ctx.vaultUrl;
  }

  /** The vault's secrets (created on first access, then the same instance). */
  get secrets(): SecretClient {
    return (this.#secrets ??= new SecretClient(this.vaultUrl, undefined, sharing(this.#ctx)));
  }

  /** The vault's keys and, through `keys.getCryptographyClient(...)`, cryptography (created on first access, then the same instance). */
  get keys(): KeyClient {
    return (this.#keys ??= new KeyClient(this.vaultUrl, undefined, sharing(this.#ctx)));
  }

  /** The vault's certificates (created on first access, then the same instance). */
  get certificates(): CertificateClient {
    return (this.#certificates ??= new CertificateClient(this.vaultUrl, undefined, sharing(this.#ctx)));
  }

  /**
   * A certificate with its private key, as `X509Certificate`s, a `KeyObject`, PEM or PFX: see
   * {@link CertificateClient.getCertificateWithPrivateKey}. Permission: secrets/get.
   */
  async getCertificateWithPrivateKey(certificateName: string, options?: GetCertificateWithPrivateKeyOptions): Promise<CertificateWithPrivateKey> {
    return this.certificates.getCertificateWithPrivateKey(certificateName, options);
  }

  /** The Observable twin of {@link KeyVaultClient.getCertificateWithPrivateKey}. */
  getCertificateWithPrivateKey$(certificateName: string, options?: GetCertificateWithPrivateKeyOptions): Observable<CertificateWithPrivateKey> {
    return this.certificates.getCertificateWithPrivateKey$(certificateName, options);
  }

  /**
   * The application's configuration from this vault, as one shared Observable: a complete, frozen config once
   * every required source is loaded (never a partial one), then again only when a value changed, with the keys
   * that changed. `spec` maps config keys to sources: `'secret-name'`, `{ secret, optional?, parse? }`,
   * `{ key }` or `{ certificateWithPrivateKey }`. Refreshed by polling (`options.refreshMs`) and/or Key Vault
   * events (`options.events`); `status$` tells loading/ready/stale/error. See README "Configuration as an Observable".
   */
  config$<const S extends ConfigSpec>(spec: S, options?: ConfigOptions): ConfigObservable<S> {
    return createConfig$(this, spec, options);
  }

  /** Challenges and `getToken` calls made so far, for all sub-clients together. */
  get authStats(): { readonly challenges: number; readonly getTokenCalls: number } {
    return { ...this.#ctx.auth.stats };
  }

  /** What `util.inspect` and `console.log` show: identifiers only, never secret material. */
  [inspect.custom](): string {
    return `KeyVaultClient { vaultUrl: '${this.vaultUrl}' }`;
  }
}

/** The same class under the name Azure's Python SDK uses. */
export { KeyVaultClient as VaultClient };
