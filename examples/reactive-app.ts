/**
 * Reactive app integration: a small HTTP service whose configuration comes from the vault as one Observable
 * (`kv.config$`), reloaded by Key Vault events delivered to its webhook (Event Grid), with a `/status` endpoint.
 *
 *   GET  /          answers with the configured greeting (a value from the vault)
 *   GET  /status    the config's status (loading/ready/stale/error) and which keys changed last; never values
 *   POST /webhook   Event Grid deliveries (`?key=<shared secret>`); OPTIONS for the CloudEvents handshake
 *
 * Runs offline against the embedded local vault: it rotates a secret, delivers the Event Grid event the real
 * service would send (or the local vault sends it, when started with `--events http://127.0.0.1:<port>/webhook?key=...`),
 * and shows the service picking up the new value without polling. Against Azure, drop `startVault`, write
 * `new KeyVaultClient('https://<name>.vault.azure.net')` and create the Event Grid subscription (README).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { KeyVaultClient, EventGridReceiver, type ConfigStatus, type TokenCredential } from 'keyvault-kit';
import { startVault } from 'keyvault-kit/emulator';

const vault = await startVault();
const credential: TokenCredential = { getToken: async () => ({ token: 'dev', expiresOnTimestamp: Date.now() + 3600_000 }) };
const kv = new KeyVaultClient(vault.url, credential, { ca: vault.ca });
await kv.secrets.setSecret('greeting', 'Hello from the vault');
await kv.secrets.setSecret('db-password', 'not-for-logs');
await kv.secrets.setSecret('max-items', '25');

// The webhook's shared secret: Event Grid presents it in the endpoint URL's query (`?key=...`).
const webhookKey = process.env['WEBHOOK_KEY'] ?? randomBytes(18).toString('base64url');
const receiver = new EventGridReceiver({ secret: webhookKey });

const config$ = kv.config$({
  greeting: 'greeting',
  dbPassword: 'db-password',
  maxItems: { secret: 'max-items', parse: Number },
  banner: { secret: 'banner', optional: true },
}, { refreshMs: 10 * 60_000, events: receiver.events$ });

// The service's current view: the latest complete config and status (one subscription each, shared by all requests).
let current: { config: { greeting: string; maxItems: number; banner: string | undefined }; changed: readonly string[] } | undefined;
let status: ConfigStatus | undefined;
const configSub = config$.subscribe({
  next: (update) => { current = update; console.log(`config: changed ${update.changed.join(', ')}`, update.config); },
  error: (error: Error) => { console.error(`configuration failed: ${error.message}`); process.exitCode = 1; },
});
const statusSub = config$.status$.subscribe((s) => { status = s; console.log(`status: ${s.state}${s.reason ? ` (${s.reason})` : ''}`); });

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://app').pathname;
  if (path === '/webhook') return receiver.listener(req, res);
  if (req.method === 'GET' && path === '/status') {
    res.writeHead(status?.state === 'ready' || status?.state === 'stale' ? 200 : 503, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ ...status, lastChanged: current?.changed ?? [] }));
  }
  if (req.method === 'GET' && path === '/') {
    if (!current) return res.writeHead(503).end('configuration loading\n');
    const { greeting, maxItems, banner } = current.config;
    return res.writeHead(200, { 'content-type': 'text/plain' }).end(`${banner ? `${banner}\n` : ''}${greeting} (max ${maxItems} items)\n`);
  }
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`listening on ${base}; webhook: ${base}/webhook?key=<WEBHOOK_KEY>`);

const get = async (path: string) => (await fetch(`${base}${path}`)).text();
try {
  while (!current) await new Promise((resolve) => setTimeout(resolve, 20));
  console.log('GET /        →', (await get('/')).trim());

  // A rotation, and the event Key Vault publishes for it (as Event Grid delivers it: an array, Event Grid schema).
  const rotated = await kv.secrets.setSecret('greeting', 'Hello again, rotated');
  const vaultName = new URL(vault.url).hostname;
  const delivery = [{
    id: crypto.randomUUID(), topic: `/subscriptions/local/resourceGroups/local/providers/Microsoft.KeyVault/vaults/${vaultName}`,
    subject: 'greeting', eventType: 'Microsoft.KeyVault.SecretNewVersionCreated', eventTime: new Date().toISOString(),
    data: { Id: rotated.properties.id, VaultName: vaultName, ObjectType: 'Secret', ObjectName: 'greeting', Version: rotated.properties.version, NBF: null, EXP: null },
    dataVersion: '1', metadataVersion: '1',
  }];
  const refused = await fetch(`${base}/webhook`, { method: 'POST', body: JSON.stringify(delivery) });
  console.log('webhook without key →', refused.status);
  const accepted = await fetch(`${base}/webhook?key=${webhookKey}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery) });
  console.log('webhook with key    →', accepted.status);
  while (current.config.greeting !== 'Hello again, rotated') await new Promise((resolve) => setTimeout(resolve, 20));
  console.log('GET /        →', (await get('/')).trim());
  console.log('GET /status  →', await get('/status'));
} finally {
  configSub.unsubscribe();
  statusSub.unsubscribe();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await vault.stop();
}
