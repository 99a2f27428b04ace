#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultStateDir, loadVaultCa, startVault } from './index.js';

const usage = `Usage: keyvault-emulator [--port N] [--host H] [--http] [--data FILE] [--token T]
                        [--state-dir DIR] [--hostname NAME]... [--tls-cert FILE --tls-key FILE]
       keyvault-emulator ca [--state-dir DIR | --data FILE]

A local Azure Key Vault (secrets, keys, certificates) for tests and offline development.
  --port N          port to listen on (default: a free one)
  --host H          interface to listen on (default: 127.0.0.1)
  --http            plain HTTP instead of HTTPS (loopback hosts only)
  --data FILE       keep the vault's objects in this SQLite file (default: in memory)
  --token T         accept only this bearer token (default: any)
  --state-dir DIR   where the vault's CA is kept, made once and reused on every start (default: beside --data,
                    else ${defaultStateDir()})
  --hostname NAME   another DNS name or IP address for the server certificate (repeatable); localhost,
                    127.0.0.1, ::1 and --host are always covered
  --tls-cert FILE   serve this certificate (PEM, chain leaf first) instead of one from the vault's CA
  --tls-key FILE    the private key (PEM) of --tls-cert

  ca                print the vault's CA certificate (PEM) and where it lives, making it if needed; trust it
                    with NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE or your OS store`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      http: { type: 'boolean' },
      data: { type: 'string' },
      token: { type: 'string' },
      'state-dir': { type: 'string' },
      hostname: { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
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
  const vault = await startVault({
    port,
    tls: !values.http,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.data === undefined ? {} : { dataFile: values.data }),
    ...(values.token === undefined ? {} : { token: values.token }),
    ...(values['tls-cert'] === undefined
      ? { stateDir, ...(values.hostname ? { hostnames: values.hostname } : {}) }
      : { tlsCert: readFileSync(values['tls-cert'], 'utf8'), tlsKey: readFileSync(values['tls-key']!, 'utf8') }),
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
