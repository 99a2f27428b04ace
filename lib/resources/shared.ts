import type { ClientContext } from '../core/context.js';
import type { KeyVaultClientOptions } from '../core/options.js';

/**
 * The key under which a root client hands its context to the sub-clients it builds. Not exported from
 * the package: a user's options can never carry it, and the public constructors keep their signature.
 */
const SHARED = Symbol('keyvault-kit.sharedContext');

type Sharing = KeyVaultClientOptions & { readonly [SHARED]?: ClientContext };

/** Options that make a client use `ctx` (its transport, challenge and token cache) instead of building its own. */
export const sharing = (ctx: ClientContext): KeyVaultClientOptions => ({ [SHARED]: ctx }) as Sharing;

/** The context passed with {@link sharing}, if any. */
export const sharedContext = (options: KeyVaultClientOptions | undefined): ClientContext | undefined => (options as Sharing | undefined)?.[SHARED];
