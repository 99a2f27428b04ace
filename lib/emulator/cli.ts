#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startVault } from './index.js';

const usage = `Usage: keyvault-emulator [--port N] [--host H] [--http] [--data FILE] [--token T]
                         [--seed FILE] [--events URL] [--events-schema eventgrid|cloudevents] [--admin-token T]

A local Azure Key Vault (secrets, keys, certificates) for tests and offline development.
  --port N     port to listen on (default: a free one)
  --host H     interface to listen on (default: 127.0.0.1)
  --http       plain HTTP instead of HTTPS (loopback hosts only)
  --data FILE  keep the vault's objects in this SQLite file (default: in memory)
  --token T    accept only this bearer token (default: any)
  --seed FILE  create the objects of this JSON seed file at start (only those the vault lacks; see README)
  --events URL post Key Vault's Event Grid events (new version, near expiry, expired) to this webhook
  --events-schema S   eventgrid (default) or cloudevents (CloudEvents 1.0)
  --admin-token T     token of the admin routes (default: random, printed, and written beside --data)
Admin routes (Authorization: Bearer <admin token>):
  GET  /_emulator/clock            the vault's time
  POST /_emulator/clock            {"advance":"P30D"} or {"advance":ms} or {"set":"<ISO date>"}
  GET  /_emulator/notifications    certificate EmailContacts lifetime actions carried out`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      http: { type: 'boolean' },
      data: { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      events: { type: 'string' },
      'events-schema': { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const schema = values['events-schema'];
  if (schema !== undefined && schema !== 'eventgrid' && schema !== 'cloudevents') throw new Error(`invalid --events-schema ${schema} (eventgrid or cloudevents)`);
  if (schema !== undefined && values.events === undefined) throw new Error('--events-schema needs --events URL');
  const vault = await startVault({
    port,
    tls: !values.http,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.data === undefined ? {} : { dataFile: values.data }),
    ...(values.token === undefined ? {} : { token: values.token }),
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values.events === undefined ? {} : { events: { url: values.events, ...(schema ? { schema } : {}) } }),
    ...(values['admin-token'] === undefined ? {} : { adminToken: values['admin-token'] }),
  });
  // Beside the data file, so scripts of a persistent vault find it; owner-only, as it moves the vault's time.
  const adminTokenFile = values.data === undefined ? undefined : `${values.data}.admin-token`;
  if (adminTokenFile) writeFileSync(adminTokenFile, `${vault.adminToken}\n`, { mode: 0o600 });
  // Handlers go in before the banner: whoever reads the URL may signal at once.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    vault.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const token = JSON.stringify(values.token ?? 'dev');
  const credential = `const credential = { getToken: async () => ({ token: ${token}, expiresOnTimestamp: Date.now() + 3600e3 }) };`;
  const ca = vault.caFile ? `, { ca: readFileSync('${vault.caFile}', 'utf8') }` : `, { allowInsecureConnection: true }`;
  console.log(`Key Vault emulator listening on ${vault.url}
${vault.caFile ? `CA certificate: ${vault.caFile}\n` : ''}${values.data ? `Data file: ${values.data}\n` : ''}Admin token: ${vault.adminToken}${adminTokenFile ? ` (also in ${adminTokenFile})` : ''}
${values.seed ? `Seed ${values.seed}: ${vault.seeded.created.length} created, ${vault.seeded.skipped.length} already there\n` : ''}${values.events ? `Events: ${values.events}\n` : ''}
// keyvault-kit: the vault's CA is trusted by this client only
import { readFileSync } from 'node:fs';
import { KeyVaultClient } from 'keyvault-kit';
${credential}
const kv = new KeyVaultClient('${vault.url}', credential${ca});
await kv.secrets.setSecret('hello', 'world');

// Microsoft's @azure/keyvault-secrets (start node with NODE_EXTRA_CA_CERTS=${vault.caFile || '<none: plain http>'}):
//   new SecretClient('${vault.url}', credential, { disableChallengeResourceVerification: true })

Press Ctrl+C to stop.`);
}

main().catch((error: unknown) => {
  console.error(`keyvault-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
