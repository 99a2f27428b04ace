#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startVault } from './index.js';

const usage = `Usage: keyvault-emulator [--port N] [--host H] [--http] [--data FILE] [--token T]

A local Azure Key Vault (secrets, keys, certificates) for tests and offline development.
  --port N     port to listen on (default: a free one)
  --host H     interface to listen on (default: 127.0.0.1)
  --http       plain HTTP instead of HTTPS (loopback hosts only)
  --data FILE  keep the vault's objects in this SQLite file (default: in memory)
  --token T    accept only this bearer token (default: any)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      http: { type: 'boolean' },
      data: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const vault = await startVault({
    port,
    tls: !values.http,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.data === undefined ? {} : { dataFile: values.data }),
    ...(values.token === undefined ? {} : { token: values.token }),
  });
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
${vault.caFile ? `CA certificate: ${vault.caFile}\n` : ''}${values.data ? `Data file: ${values.data}\n` : ''}
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
