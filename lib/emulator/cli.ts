#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultStateDir, loadVaultCa, startVault } from './index.js';

const usage = `Usage: keyvault-emulator [--port N] [--host H] [--http] [--data FILE] [--token T | --strict-auth] [--print-env]
                        [--seed FILE] [--events URL] [--events-schema eventgrid|cloudevents] [--admin-token T]
                        [--state-dir DIR] [--hostname NAME]... [--tls-cert FILE --tls-key FILE]
       keyvault-emulator ca [--state-dir DIR | --data FILE]

A local Azure Key Vault (secrets, keys, certificates) for tests and offline development. It also serves a
managed-identity token endpoint (App Service 2019-08-01 at /msi/token; IMDS and Cloud Shell shapes at
/metadata/identity/oauth2/token), so DefaultAzureCredential in any language gets tokens from it when the
environment says so: set IDENTITY_ENDPOINT and IDENTITY_HEADER as printed, and trust the CA.
  --port N          port to listen on (default: a free one)
  --host H          interface to listen on (default: 127.0.0.1)
  --http            plain HTTP instead of HTTPS (loopback hosts only)
  --data FILE       keep the vault's objects in this SQLite file (default: in memory)
  --token T         accept only this bearer token (default: any)
  --strict-auth     accept only unexpired tokens the vault's own token endpoint issued for it (401 and the
                    challenge otherwise, as the service answers)
  --print-env       print only the environment for clients, in shell syntax (IDENTITY_ENDPOINT,
                    IDENTITY_HEADER, VAULT_URL and the CA variables), e.g.
                      keyvault-emulator --print-env > vault.env & sleep 1; . ./vault.env
  --seed FILE       create the objects of this JSON seed file at start (only those the vault lacks; see README)
  --events URL      post Key Vault's Event Grid events (new version, near expiry, expired) to this webhook
  --events-schema S eventgrid (default) or cloudevents (CloudEvents 1.0)
  --admin-token T   token of the admin routes (default: random, printed, and written beside --data)
  --state-dir DIR   where the vault's CA and its identity's signing key and header are kept, made once and
                    reused on every start (default: beside --data, else ${defaultStateDir()})
  --hostname NAME   another DNS name or IP address for the server certificate (repeatable); localhost,
                    127.0.0.1, ::1 and --host are always covered
  --tls-cert FILE   serve this certificate (PEM, chain leaf first) instead of one from the vault's CA
  --tls-key FILE    the private key (PEM) of --tls-cert

  ca                print the vault's CA certificate (PEM) and where it lives, making it if needed; trust it
                    with NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE or your OS store
Admin routes (Authorization: Bearer <admin token>):
  GET  /_emulator/clock            the vault's time
  POST /_emulator/clock            {"advance":"P30D"} or {"advance":ms} or {"set":"<ISO date>"}
  GET  /_emulator/notifications    certificate EmailContacts lifetime actions carried out`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      http: { type: 'boolean' },
      data: { type: 'string' },
      token: { type: 'string' },
      'strict-auth': { type: 'boolean' },
      'print-env': { type: 'boolean' },
      'state-dir': { type: 'string' },
      hostname: { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
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
