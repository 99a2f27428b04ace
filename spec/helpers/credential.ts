import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

/** A TokenCredential for tests that hands out `token` and records what it was asked for. */
export interface FakeCredential extends TokenCredential {
  /** Number of `getToken` calls. */
  readonly calls: number;
  /** Scopes of each call, in order. */
  readonly scopes: ReadonlyArray<readonly string[]>;
  /** `tenantId` option of each call (undefined when none was passed). */
  readonly tenantIds: ReadonlyArray<string | undefined>;
}

export function fakeCredential(token = 'fake-token', lifetimeMs = 3600_000): FakeCredential {
  const scopes: string[][] = [];
  const tenantIds: Array<string | undefined> = [];
  return {
    get calls() {
      return scopes.length;
    },
    scopes,
    tenantIds,
    async getToken(scope: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
      scopes.push(Array.isArray(scope) ? [...scope] : [scope]);
      tenantIds.push(options?.tenantId);
      return { token, expiresOnTimestamp: Date.now() + lifetimeMs };
    },
  };
}
