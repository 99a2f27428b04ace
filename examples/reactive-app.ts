/**
 * Reactive app integration: RxJS pipelines over secrets, keys and certificates, and a configuration
 * that reloads itself when its secret gets a new version. Every `$` method is cold (nothing is sent
 * before subscribe) and cancellable (unsubscribe aborts the request in flight).
 */
import { bufferCount, concatMap, filter, firstValueFrom, from, map, mergeMap, take, tap, toArray } from 'rxjs';
import { KeyVaultClient, type TokenCredential } from 'keyvault-kit';
import { startVault } from 'keyvault-kit/emulator';

const vault = await startVault();
const credential: TokenCredential = { getToken: async () => ({ token: 'dev', expiresOnTimestamp: Date.now() + 3600_000 }) };
const kv = new KeyVaultClient(vault.url, credential, { ca: vault.ca });

try {
  // 1. Seed a few secrets, four at a time.
  const seeded = await firstValueFrom(
    from(['alpha', 'beta', 'gamma', 'delta', 'epsilon']).pipe(
      mergeMap((name) => kv.secrets.setSecret$(`feature-${name}`, name === 'gamma' ? 'off' : 'on', { tags: { kind: 'flag' } }), 4),
      toArray(),
    ),
  );
  console.log(`seeded ${seeded.length} flags`);

  // 2. A listing as a stream: items one by one, pages fetched only while someone listens.
  const enabled = await firstValueFrom(
    kv.secrets.listPropertiesOfSecrets$({ maxPageSize: 2 }).pipe(
      filter((p) => p.tags?.['kind'] === 'flag'),
      concatMap((p) => kv.secrets.getSecret$(p.name)),
      filter((s) => s.value === 'on'),
      map((s) => s.name),
      toArray(),
    ),
  );
  console.log(`enabled flags: ${enabled.join(', ')}`);

  // 3. A config that reloads when the secret gets a new version.
  await kv.secrets.setSecret('app-config', JSON.stringify({ logLevel: 'info', poolSize: 4 }));
  const reloads = firstValueFrom(
    kv.secrets.watchSecret$('app-config', { intervalMs: 100 }).pipe(
      map((secret) => ({ version: secret.properties.version, config: JSON.parse(secret.value!) as { logLevel: string; poolSize: number } })),
      tap(({ version, config }) => console.log(`config v${version?.slice(0, 6)}: ${JSON.stringify(config)}`)),
      take(2),
      toArray(),
    ),
  );
  setTimeout(() => void kv.secrets.setSecret('app-config', JSON.stringify({ logLevel: 'debug', poolSize: 8 })), 250);
  await reloads;

  // 4. Keys: create, then sign a batch of documents in groups.
  await kv.keys.createRsaKey('doc-signer', { keySize: 2048 });
  const signer = kv.keys.getCryptographyClient('doc-signer');
  const signatures = await firstValueFrom(
    from(['invoice-1', 'invoice-2', 'invoice-3', 'invoice-4']).pipe(
      mergeMap((doc) => signer.signData$('PS256', new TextEncoder().encode(doc)).pipe(map((r) => `${doc}:${r.result.length}B`)), 2),
      bufferCount(2),
      toArray(),
    ),
  );
  console.log(`signed in pairs: ${JSON.stringify(signatures)}`);

  // 5. Certificates: a creation poller as a stream of states.
  const states = await firstValueFrom(
    kv.certificates.beginCreateCertificate$('api-tls', { issuerName: 'Self', subject: 'CN=api.local', keyType: 'RSA', keySize: 2048 }, { intervalInMs: 0 }).pipe(
      map((state) => state.certificateOperation?.status ?? (state.isCompleted ? 'completed' : 'started')),
      toArray(),
    ),
  );
  console.log(`certificate states: ${states.join(' → ')}`);
} finally {
  await vault.stop();
}
