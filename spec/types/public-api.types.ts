// Compile-only: `npm test` type-checks this file; each @ts-expect-error must stay an error.
import type { Observable } from 'rxjs';
import { KeyVaultClient, SecretClient, type DeletedSecret, type KeyVaultSecret, type PagedAsyncIterableIterator, type Poller, type SecretProperties } from '../../lib/index.js';

declare const kv: KeyVaultClient;

// The Promise face and its Observable twin share parameters and result types.
export const a: Promise<KeyVaultSecret> = kv.secrets.getSecret('name', { version: 'v' });
export const b: Observable<KeyVaultSecret> = kv.secrets.getSecret$('name', { version: 'v' });
export const c: PagedAsyncIterableIterator<SecretProperties> = kv.secrets.listPropertiesOfSecrets();
export const d: Observable<SecretProperties> = kv.secrets.listPropertiesOfSecrets$({ maxPageSize: 5 });
export const e: Promise<Poller<DeletedSecret, { name: string; isStarted: boolean; isCompleted: boolean }>> = kv.secrets.beginDeleteSecret('n');
export const f: Observable<{ isCompleted: boolean; result?: DeletedSecret }> = kv.secrets.beginDeleteSecret$('n', { intervalInMs: 0 });
export const g: SecretClient = new SecretClient('https://x.vault.azure.net');

// @ts-expect-error sub-clients are read-only
kv.secrets = g;
// @ts-expect-error the value is a string
kv.secrets.setSecret('n', 42);
// @ts-expect-error options come last, as one object
kv.secrets.getSecret('n', 'version');
// @ts-expect-error twins keep the parameter types
kv.secrets.getSecret$(1);
// @ts-expect-error no such option
new KeyVaultClient('https://x.vault.azure.net', undefined, { retries: 3 });
// @ts-expect-error only known api versions
new KeyVaultClient('https://x.vault.azure.net', undefined, { apiVersion: '1.0' });
// @ts-expect-error Date, not epoch seconds
kv.secrets.setSecret('n', 'v', { expiresOn: 1700000000 });
