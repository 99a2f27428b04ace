import { AuthenticationError, KeyVaultError } from '../errors.js';
import { credentialError, type AccessToken, type TokenCredential } from './credential.js';
import { decodeClaims, parseWwwAuthenticate, scopeOf, tenantOf, type Challenge } from './www-authenticate.js';

export type { TokenCredential, GetTokenOptions, AccessToken } from './credential.js';

/** Refresh this long before the token's expiry, so a request never leaves with a token about to die. */
const REFRESH_MARGIN_MS = 2 * 60_000;

interface Scope {
  scopes: string[];
  tenantId: string | undefined;
}

/**
 * Key Vault's challenge-based bearer auth, shared by every sub-client of one root.
 *
 * The state is small: the scope learnt from the first challenge, the cached token, and the one
 * `getToken` (or challenge) in flight, which every concurrent request awaits instead of starting its own.
 */
export class ChallengeAuth {
  #credential: TokenCredential;
  #verifyResource: boolean;
  #vaultHost: string;
  #scope: Scope | undefined;
  #token: AccessToken | undefined;
  #pendingToken: Promise<string> | undefined;
  #pendingScope: Promise<void> | undefined;
  /** Counters for the curious (benchmarks and tests): how many challenges and token requests this client made. */
  readonly stats = { challenges: 0, getTokenCalls: 0 };

  constructor(credential: TokenCredential, vaultHost: string, verifyResource: boolean) {
    this.#credential = credential;
    this.#vaultHost = vaultHost.toLowerCase();
    this.#verifyResource = verifyResource;
  }

  /** A fresh token when one is cached, without a promise: the hot path of every request. */
  cachedToken(now = Date.now()): string | undefined {
    const token = this.#token;
    if (!token) return undefined;
    const refreshAt = token.refreshAfterTimestamp ?? token.expiresOnTimestamp - REFRESH_MARGIN_MS;
    return now < refreshAt ? token.token : undefined;
  }

  get knowsScope(): boolean {
    return this.#scope !== undefined;
  }

  /**
   * Learns the scope from a challenge answer, once for all concurrent callers.
   * `discover` sends the request without a token and without a body, and returns the 401's header.
   */
  async learnScope(discover: () => Promise<string | null | undefined>): Promise<void> {
    if (this.#scope) return;
    this.#pendingScope ??= (async () => {
      this.stats.challenges++;
      const header = await discover();
      this.#accept(header, 'The vault did not answer with a Bearer challenge.');
    })().finally(() => { this.#pendingScope = undefined; });
    return this.#pendingScope;
  }

  /** A token for the learnt scope: the cached one, or the single `getToken` in flight. */
  token(signal?: AbortSignal, claims?: string): Promise<string> {
    const cached = claims ? undefined : this.cachedToken();
    if (cached) return Promise.resolve(cached);
    this.#pendingToken ??= this.#fetchToken(claims).finally(() => { this.#pendingToken = undefined; });
    return signal ? raceAbort(this.#pendingToken, signal) : this.#pendingToken;
  }

  /**
   * Reacts to a 401 that carried the token `refused`. Returns true when a new token was obtained and the
   * request is worth sending once more (new claims, a rotated token, or a changed scope).
   */
  async onUnauthorized(header: string | null, signal?: AbortSignal, refused?: string): Promise<boolean> {
    const parsed = parseWwwAuthenticate(header);
    // Continuous access evaluation demands claims and names no resource: the scope learnt first stays.
    const challenge = parsed?.error === 'insufficient_claims' && this.#scope && !scopeOf(parsed)
      ? parsed
      : this.#accept(header, 'The vault refused the token and sent no Bearer challenge.');
    const claims = challenge.error === 'insufficient_claims' ? decodeClaims(challenge.claims) : undefined;
    // Many requests refused with the same token share one refresh: a token already replaced is not dropped again.
    if (refused !== undefined && this.#token !== undefined && this.#token.token !== refused) return true;
    this.#token = undefined;
    await this.token(signal, claims);
    return true;
  }

  #accept(header: string | null | undefined, missing: string): Challenge {
    const challenge = parseWwwAuthenticate(header);
    const scope = challenge && scopeOf(challenge);
    if (!challenge || !scope) throw new AuthenticationError(missing, { code: 'ChallengeMissing', statusCode: 401 });
    if (this.#verifyResource) this.#verify(scope);
    this.#scope = { scopes: [scope], tenantId: tenantOf(challenge) };
    return challenge;
  }

  /** The token must only go to a vault whose host belongs to the challenge's resource. */
  #verify(scope: string): void {
    let resourceHost: string;
    try {
      resourceHost = new URL(scope).hostname.toLowerCase();
    } catch {
      throw new AuthenticationError(`The challenge's resource "${scope}" is not a URL.`, { code: 'ChallengeResourceMismatch' });
    }
    const host = this.#vaultHost;
    if (host !== resourceHost && !host.endsWith(`.${resourceHost}`)) {
      throw new AuthenticationError(
        `The challenge resource "${resourceHost}" does not match the vault host "${host}". ` +
          'If the vault is reached through a different domain on purpose, set `disableChallengeResourceVerification: true`.',
        { code: 'ChallengeResourceMismatch' },
      );
    }
  }

  async #fetchToken(claims: string | undefined): Promise<string> {
    const scope = this.#scope;
    if (!scope) throw new AuthenticationError('No challenge has been answered yet.', { code: 'ChallengeMissing' });
    this.stats.getTokenCalls++;
    let token: AccessToken | null;
    try {
      token = await this.#credential.getToken(scope.scopes, {
        ...(scope.tenantId ? { tenantId: scope.tenantId } : {}),
        ...(claims ? { claims } : {}),
        enableCae: true,
      });
    } catch (error) {
      throw error instanceof KeyVaultError ? error : credentialError(error);
    }
    if (!token?.token) throw new AuthenticationError('The credential returned no token.', { code: 'NoToken' });
    this.#token = token;
    return token.token;
  }
}

/** Lets one caller give up waiting without cancelling the shared `getToken` for the others. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
