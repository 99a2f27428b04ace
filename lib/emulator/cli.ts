#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CLI_OPTIONS, usage } from './cli-options.js';
import { defaultStateDir, loadVaultCa, startVault } from './index.js';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: CLI_OPTIONS,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const stateDir = values['state-dir'] ?? defaultStateDir(values.data);
  if (positionals[0] === 'ca') {
    const { identity, caFile } = await loadVaultCa(stateDir);
    process.stdout.write(identity.cert);
    console.error(`CA certificate: ${caFile}
  Node.js:        NODE_EXTRA_CA_CERTS=${caFile}
  Python, curl:   REQUESTS_CA_BUNDLE=${caFile}  SSL_CERT_FILE=${caFile}  curl --cacert ${caFile}
  Debian/Ubuntu:  sudo cp ${caFile} /usr/local/share/ca-certificates/keyvault-emulator.crt && sudo update-ca-certificates
  macOS:          sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${caFile}
  Windows:        certutil -addstore -user Root ${caFile}`);
    return;
  }
  if (positionals.length) throw new Error(`unknown command ${positionals[0]} (see --help)`);
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new Error('--tls-cert and --tls-key go together');
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
    ...(values['strict-auth'] ? { auth: 'strict' as const } : {}),
    stateDir,
    ...(values['tls-cert'] === undefined
      ? values.hostname ? { hostnames: values.hostname } : {}
      : { tlsCert: readFileSync(values['tls-cert'], 'utf8'), tlsKey: readFileSync(values['tls-key']!, 'utf8') }),
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
  if (values['print-env']) {
    console.log(shellEnv(vault.url, vault.caFile, vault.env));
    return;
  }
  const trust = vault.caFile ? `, { ca: readFileSync('${vault.caFile}', 'utf8') }` : `, { allowInsecureConnection: true }`;
  console.log(`Key Vault emulator listening on ${vault.url}
${vault.caFile ? `CA certificate: ${vault.caFile}\n` : ''}${values.data ? `Data file: ${values.data}\n` : ''}Admin token: ${vault.adminToken}${adminTokenFile ? ` (also in ${adminTokenFile})` : ''}
${values['strict-auth'] ? 'Strict auth: only tokens from the endpoint below are accepted\n' : ''}${values.seed ? `Seed ${values.seed}: ${vault.seeded.created.length} created, ${vault.seeded.skipped.length} already there\n` : ''}${values.events ? `Events: ${values.events}\n` : ''}
# Managed identity: with these set, DefaultAzureCredential (any language) gets its tokens from the vault
${shellEnv(vault.url, vault.caFile, vault.env)}

// keyvault-kit: the vault's CA is trusted by this client only
import { readFileSync } from 'node:fs';
import { DefaultAzureCredential } from '@azure/identity';
import { KeyVaultClient } from 'keyvault-kit';
const kv = new KeyVaultClient('${vault.url}', new DefaultAzureCredential()${trust});
await kv.secrets.setSecret('hello', 'world');

// Microsoft's @azure/keyvault-secrets (NODE_EXTRA_CA_CERTS above makes node trust the vault):
//   new SecretClient('${vault.url}', new DefaultAzureCredential(), { disableChallengeResourceVerification: true })

Press Ctrl+C to stop.`);
}

/** `export NAME='value'` lines a POSIX shell sources: the identity env, the URL, and the CA for Node, Python, curl and Go. */
function shellEnv(url: string, caFile: string, env: Readonly<Record<string, string>>): string {
  const quote = (v: string): string => `'${v.replaceAll("'", "'\\''")}'`;
  const vars: Record<string, string> = { VAULT_URL: url, ...env };
  if (caFile) Object.assign(vars, { NODE_EXTRA_CA_CERTS: caFile, REQUESTS_CA_BUNDLE: caFile, CURL_CA_BUNDLE: caFile });
  return Object.entries(vars).map(([k, v]) => `export ${k}=${quote(v)}`).join('\n');
}

main().catch((error: unknown) => {
  console.error(`keyvault-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
