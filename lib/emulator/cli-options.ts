// The command line of keyvault-emulator as data: its flags (for parseArgs) and its --help text, apart from cli.ts
// (which runs on import) so that a test can hold both against the README.
import type { ParseArgsConfig } from 'node:util';
import { ADMIN_ROUTES } from './admin.js';
import { defaultStateDir } from './index.js';

/** Every flag of `keyvault-emulator`. */
export const CLI_OPTIONS = {
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
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The text of `keyvault-emulator --help`. */
export const usage = `Usage: keyvault-emulator [--port N] [--host H] [--http] [--data FILE] [--token T | --strict-auth] [--print-env]
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
                      keyvault-emulator --print-env > vault.env &
                      until grep -q IDENTITY_HEADER vault.env 2>/dev/null; do sleep 0.2; done; . ./vault.env
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

  -h, --help        this text

  ca                print the vault's CA certificate (PEM) and where it lives, making it if needed; trust it
                    with NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE or your OS store
Admin routes (Authorization: Bearer <admin token>):
${ADMIN_ROUTES.map(([method, path, what]) => `  ${method.padEnd(4)} ${path.padEnd(28)} ${what}`).join('\n')}`;

