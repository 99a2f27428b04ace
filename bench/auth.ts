// How many challenges and getToken calls a script makes when it uses secrets, keys and certificates of one vault.
import { KeyClient } from '@azure/keyvault-keys';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient as AzureSecretClient } from '@azure/keyvault-secrets';
import { azureHttpClient, staticCredential } from './credentials.js';
import type { VaultProcess } from './vault.js';

export interface AuthResult { client: string; scenario: string; challenges: number; getTokenCalls: number }

const settle = (promises: Promise<unknown>[]) => Promise.allSettled(promises);

export async function measureAuth(vault: VaultProcess, sdk: typeof import('../lib/index.js')): Promise<AuthResult[]> {
  const results: AuthResult[] = [];
  const three = 'secrets, keys, certificates: one call each';
  const burst = 'secrets: 32 concurrent first calls';

  for (const [scenario, run] of [
    [three, async (kv: InstanceType<typeof sdk.KeyVaultClient>) => {
      await settle([kv.secrets.getSecret('bench-get')]);
      await settle([kv.keys.getKey('bench-key')]);
      await settle([kv.certificates.getCertificate('bench-cert')]);
    }],
    [burst, async (kv: InstanceType<typeof sdk.KeyVaultClient>) => { await settle(Array.from({ length: 32 }, () => kv.secrets.getSecret('bench-get'))); }],
  ] as const) {
    const kv = new sdk.KeyVaultClient(vault.url, staticCredential(), { ca: vault.ca });
    await run(kv);
    results.push({ client: 'keyvault-kit (one KeyVaultClient)', scenario, ...kv.authStats });
  }

  {
    const credential = staticCredential();
    const http = azureHttpClient(vault.ca);
    const options = { httpClient: http, disableChallengeResourceVerification: true };
    await settle([new AzureSecretClient(vault.url, credential, options).getSecret('bench-get')]);
    await settle([new KeyClient(vault.url, credential, options).getKey('bench-key')]);
    await settle([new CertificateClient(vault.url, credential, options).getCertificate('bench-cert')]);
    results.push({ client: "Microsoft's three clients", scenario: three, challenges: http.challenges, getTokenCalls: credential.calls });
  }
  {
    const credential = staticCredential();
    const http = azureHttpClient(vault.ca);
    const client = new AzureSecretClient(vault.url, credential, { httpClient: http, disableChallengeResourceVerification: true });
    await settle(Array.from({ length: 32 }, () => client.getSecret('bench-get')));
    results.push({ client: "Microsoft's SecretClient", scenario: burst, challenges: http.challenges, getTokenCalls: credential.calls });
  }
  return results;
}
