import nock from 'nock';
import { KeyVaultClient, type KeyVaultClientOptions, type TokenCredential } from '../../lib/index.js';

export const VAULT = 'https://myvault.vault.azure.net';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"`;

/** A credential that records what it was asked for. */
export function countingCredential(token = 'token-1', lifetimeMs = 3600_000) {
  const calls: { scopes: string | string[]; tenantId?: string | undefined; claims?: string | undefined }[] = [];
  const credential: TokenCredential = {
    async getToken(scopes, options) {
      calls.push({ scopes, tenantId: options?.tenantId, claims: options?.claims });
      return { token: typeof token === 'string' ? token : token, expiresOnTimestamp: Date.now() + lifetimeMs };
    },
  };
  return { credential, calls };
}

/**
 * A client whose transport is the global `fetch`, which nock intercepts (the default undici pool is not),
 * with fast retries so no test waits.
 */
export function mockedClient(options: KeyVaultClientOptions = {}, credential = countingCredential()) {
  const client = new KeyVaultClient(VAULT, credential.credential, {
    fetch: (input, init) => fetch(input, init),
    retry: { backoffMs: 1, maxDelayMs: 5 },
    ...options,
  });
  return { client, calls: credential.calls };
}

/** The first request of a client: the token-less, body-less challenge. */
export function expectChallenge(scope: nock.Scope, method: 'get' | 'put' | 'post' | 'patch' | 'delete', path: string | RegExp) {
  return scope.intercept(path, method.toUpperCase()).query(true).reply(401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }, { 'WWW-Authenticate': CHALLENGE });
}

export function vault() {
  return nock(VAULT);
}

afterEach(() => {
  nock.cleanAll();
});
before(() => {
  nock.disableNetConnect();
  // Integration tests talk to the local vault on loopback.
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});
after(() => nock.enableNetConnect());

/** An AbortController whose signal counts its live abort listeners (to prove a listener is removed). */
export function countingController(): { controller: AbortController; listeners: () => number } {
  const controller = new AbortController();
  let listeners = 0;
  const add = controller.signal.addEventListener.bind(controller.signal);
  const remove = controller.signal.removeEventListener.bind(controller.signal);
  controller.signal.addEventListener = ((...args: Parameters<typeof add>) => { listeners++; add(...args); }) as typeof add;
  controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => { listeners--; remove(...args); }) as typeof remove;
  return { controller, listeners: () => listeners };
}
