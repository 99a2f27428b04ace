// The four clients measured side by side, each reduced to `getSecret(name)` and `setSecret(name, value)` against
// one vault, with the same token and the same headers. Everything is built before timing starts.
import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import { SecretClient as AzureSecretClient } from '@azure/keyvault-secrets';
import { loadSdk } from './sdk.js';
import { azureHttpClient, staticCredential, TOKEN } from './credentials.js';

export { TOKEN };

const { KeyVaultClient } = await loadSdk();

const API_VERSION = '2025-07-01';

export interface Contender {
  readonly name: string;
  getSecret(name: string): Promise<unknown>;
  setSecret(name: string, value: string): Promise<unknown>;
  close(): Promise<void>;
}

export function ours(url: string, ca: string): Contender {
  const kv = new KeyVaultClient(url, staticCredential(), { ca });
  const secrets = kv.secrets;
  return {
    name: 'keyvault-kit',
    getSecret: (name) => secrets.getSecret(name),
    setSecret: (name, value) => secrets.setSecret(name, value),
    close: async () => {},
  };
}

export function microsoft(url: string, ca: string): Contender {
  const client = new AzureSecretClient(url, staticCredential(), { httpClient: azureHttpClient(ca), disableChallengeResourceVerification: true });
  return {
    name: '@azure/keyvault-secrets',
    getSecret: (name) => client.getSecret(name),
    setSecret: (name, value) => client.setSecret(name, value),
    close: async () => {},
  };
}

const headers = (body: boolean): Record<string, string> => ({
  'user-agent': 'keyvault-bench',
  accept: 'application/json',
  'x-ms-client-request-id': randomUUID(),
  authorization: `Bearer ${TOKEN}`,
  ...(body ? { 'content-type': 'application/json' } : {}),
});

type Call = (method: 'GET' | 'PUT', path: string, body?: string) => Promise<unknown>;

/** A contender that speaks HTTP itself: the same paths, headers and bodies for every raw client. */
const raw = (name: string, dispatcher: Agent, call: Call): Contender => ({
  name,
  getSecret: (secret) => call('GET', `/secrets/${encodeURIComponent(secret)}/`),
  setSecret: (secret, value) => call('PUT', `/secrets/${encodeURIComponent(secret)}`, JSON.stringify({ value })),
  close: () => dispatcher.close(),
});

/** Node's global `fetch`, given a dispatcher that trusts the vault's CA. */
export function globalFetch(url: string, ca: string): Contender {
  const dispatcher = new Agent({ connect: { ca } });
  return raw('global fetch', dispatcher, async (method, path, body) => {
    const response = await fetch(`${url}${path}?api-version=${API_VERSION}`, { method, headers: headers(body !== undefined), body, dispatcher } as RequestInit);
    const value = JSON.parse(await response.text());
    if (!response.ok) throw new Error(`${response.status}`);
    return value;
  });
}

/** undici's `request` on a keep-alive Agent: the floor, nothing does less per request. */
export function undiciRequest(url: string, ca: string): Contender {
  const dispatcher = new Agent({ connect: { ca } });
  const origin = new URL(url).origin;
  return raw('undici request', dispatcher, async (method, path, body) => {
    const response = await dispatcher.request({ origin, path: `${path}?api-version=${API_VERSION}`, method, headers: headers(body !== undefined), body: body ?? null });
    const value = JSON.parse(await response.body.text());
    if (response.statusCode >= 400) throw new Error(`${response.statusCode}`);
    return value;
  });
}

export const contenders = [ours, microsoft, globalFetch, undiciRequest];
