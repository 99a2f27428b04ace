import { inspect } from 'node:util';
import type { TokenCredential } from '../core/auth/challenge-auth.js';
import { createContext, type ClientContext } from '../core/context.js';
import type { KeyVaultClientOptions } from '../core/options.js';
import { ValidationError } from '../core/errors.js';
import { checkName, checkVersion } from '../core/validate.js';
import { parseKeyVaultId } from '../identifiers/index.js';
import { sharedContext } from './shared.js';
import { startTracing } from '../telemetry/tracing.js';

/**
 * What every resource client is built on: a vault URL and a context (hidden from inspection), its own or,
 * when built by a root client, the root's (passed in the options, see `sharing`).
 */
export abstract class ResourceClient {
  /** The vault this client talks to. */
  readonly vaultUrl!: string;
  protected readonly ctx!: ClientContext;

  /**
   * @param vaultUrl - `https://<vault-name>.vault.azure.net` (a base path is allowed).
   * @param credential - Any `@azure/identity` credential. Default: `DefaultAzureCredential`, loaded on first use.
   * @param options - Transport options; see {@link KeyVaultClientOptions}.
   */
  constructor(vaultUrl: string, credential?: TokenCredential, options?: KeyVaultClientOptions) {
    startTracing();
    const ctx = sharedContext(options) ?? createContext(vaultUrl, credential, options);
    Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
    Object.defineProperty(this, 'vaultUrl', { value: ctx.vaultUrl, enumerable: true });
  }

  /**
   * An object name, or an id URL of this vault in `collection` (whose version applies unless one is given),
   * checked before anything is sent.
   */
  protected resolveName(collection: 'secrets' | 'keys' | 'certificates', nameOrId: string, version: string | undefined): { name: string; version: string } {
    const what = `${collection.slice(0, -1)} name`;
    if (typeof nameOrId === 'string' && /^https?:\/\//.test(nameOrId)) {
      const id = parseKeyVaultId(nameOrId);
      if (id.collection !== collection) throw new ValidationError(`${JSON.stringify(nameOrId)} is not a ${collection.slice(0, -1)} id.`, 'InvalidId');
      if (id.vaultUrl !== this.vaultUrl) throw new ValidationError(`${nameOrId} is not in the vault ${this.vaultUrl}.`, 'ForeignHost');
      return { name: checkName(id.name, what), version: checkVersion(version || id.version) };
    }
    return { name: checkName(nameOrId, what), version: checkVersion(version) };
  }

  /** Challenges and `getToken` calls made so far by this client's (shared) auth. */
  get authStats(): { readonly challenges: number; readonly getTokenCalls: number } {
    return { ...this.ctx.auth.stats };
  }

  /** What `console.log` and `util.inspect` show: the class and the vault URL, never a credential or token. */
  [inspect.custom](): string {
    return `${this.constructor.name} { vaultUrl: '${this.vaultUrl}' }`;
  }
}
