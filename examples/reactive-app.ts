/**
 * Reactive app integration: a small HTTP service whose configuration comes from the vault as one Observable
 * (`kv.config$`), reloaded by Key Vault events delivered to its webhook (Event Grid), with a `/status` endpoint.
 *
 *   GET  /          answers with the configured greeting (a value from the vault)
 *   GET  /status    the config's status (loading/ready/stale/error) and which keys changed last; never values
 *   POST /webhook   Event Grid deliveries (`?key=<shared secret>`); OPTIONS for the CloudEvents handshake
 *
 * Runs offline (`npx tsx examples/reactive-app.ts`) against the embedded local vault, started with `events`
 * pointing at this service's webhook: the vault validates the subscription, then posts an Event Grid event for
 * each new version. Another client rotates a secret and the service picks up the new value with no polling
 * configured; then the script stops. Against Azure, drop `startVault`, write
 * `new KeyVaultClient('https://<name>.vault.azure.net')`, create the Event Grid subscription (README) and keep a
 * slow `refreshMs` beside the events (deliveries are not guaranteed).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { KeyVaultClient, EventGridReceiver, type ConfigStatus, type TokenCredential } from 'keyvault-kit';
import { startVault } from 'keyvault-kit/emulator';

// The webhook's shared secret: Event Grid presents it in the endpoint URL's query (`?key=...`).
const webhookKey = process.env['WEBHOOK_KEY'] ?? randomBytes(18).toString('base64url');
const receiver = new EventGridReceiver({ secret: webhookKey });

// The service's current view: the latest complete config and status (one subscription each, shared by all requests).
let current: { config: { greeting: string; maxItems: number; banner: string | undefined }; changed: readonly string[] } | undefined;
let status: ConfigStatus | undefined;

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://app').pathname;
  if (path === '/webhook') {
    console.log(`webhook ← ${req.method} ${req.headers['aeg-event-type'] ?? req.headers['webhook-request-origin'] ?? '(no event type)'}`);
    return receiver.listener(req, res);
  }
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

// The local vault posts Key Vault's Event Grid notifications to the webhook, as an Event Grid subscription would.
const vault = await startVault({ events: `${base}/webhook?key=${webhookKey}` });
const credential: TokenCredential = { getToken: async () => ({ token: 'dev', expiresOnTimestamp: Date.now() + 3600_000 }) };
const kv = new KeyVaultClient(vault.url, credential, { ca: vault.ca });
// Rotations come from elsewhere (an operator, a pipeline): another client.
const ops = new KeyVaultClient(vault.url, credential, { ca: vault.ca });
await ops.secrets.setSecret('greeting', 'Hello from the vault');
await ops.secrets.setSecret('db-password', 'not-for-logs');
await ops.secrets.setSecret('max-items', '25');

// No `refreshMs`: only events refresh the config here.
const config$ = kv.config$({
  greeting: 'greeting',
  dbPassword: 'db-password',
  maxItems: { secret: 'max-items', parse: Number },
  banner: { secret: 'banner', optional: true },
}, { events: receiver.events$ });

const configSub = config$.subscribe({
  next: (update) => { current = update; console.log(`config: changed ${update.changed.join(', ')}`, update.config); },
  error: (error: Error) => { console.error(`configuration failed: ${error.message}`); process.exitCode = 1; },
});
const statusSub = config$.status$.subscribe((s) => { status = s; console.log(`status: ${s.state}${s.reason ? ` (${s.reason})` : ''}`); });

const get = async (path: string) => (await fetch(`${base}${path}`)).text();
/** Waits for `done`, or fails after 30 s (a demo that hangs helps no one). */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
try {
  await until(() => current !== undefined, 'the first config');
  console.log('GET /        →', (await get('/')).trim());

  const refused = await fetch(`${base}/webhook`, { method: 'POST', body: '[]' });
  console.log('a delivery without the key →', refused.status);

  await ops.secrets.setSecret('greeting', 'Hello again, rotated');
  await until(() => current?.config.greeting === 'Hello again, rotated', 'the rotation to arrive');
  console.log('GET /        →', (await get('/')).trim());
  console.log('GET /status  →', await get('/status'));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  configSub.unsubscribe();
  statusSub.unsubscribe();
  await vault.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
