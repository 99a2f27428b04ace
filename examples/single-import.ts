/**
 * A single entry-point import: everything comes from 'keyvault-kit', and one client reaches secrets,
 * keys and certificates through one shared transport and token cache.
 *
 * Run against the local vault: `npx tsx examples/single-import.ts`; against Azure, set KEYVAULT_URL
 * and sign in (`az login`): the default credential is DefaultAzureCredential, loaded on first use.
 */
import { KeyVaultClient, NotFoundError, parseKeyVaultSecretIdentifier, type TokenCredential } from 'keyvault-kit';
import { startVault } from 'keyvault-kit/emulator';

const local = process.env['KEYVAULT_URL'] ? undefined : await startVault();
const credential: TokenCredential | undefined = local ? { getToken: async () => ({ token: 'dev', expiresOnTimestamp: Date.now() + 3600_000 }) } : undefined;
const kv = new KeyVaultClient(local?.url ?? process.env['KEYVAULT_URL']!, credential, local ? { ca: local.ca } : {});

try {
  const secret = await kv.secrets.setSecret('greeting', 'hello from keyvault-kit');
  const id = parseKeyVaultSecretIdentifier(secret.properties.id!);
  console.log(`secret ${id.name} version ${id.version}`);

  const missing = await kv.secrets.getSecret('does-not-exist').catch((error: unknown) => error);
  if (missing instanceof NotFoundError) console.log(`typed error: ${missing.code} (${missing.statusCode})`);

  const key = await kv.keys.createEcKey('signing-key', { curve: 'P-256' });
  const signer = kv.keys.getCryptographyClient(key);
  const signature = await signer.signData('ES256', new TextEncoder().encode('release v1.2.3'));
  const verified = await signer.verifyData('ES256', new TextEncoder().encode('release v1.2.3'), signature.result);
  console.log(`ES256 signature verified (locally, with the public key): ${verified.result}`);

  const policy = await kv.certificates.getCertificatePolicy('missing-cert').catch((error: unknown) => error);
  console.log(`certificates reachable: ${policy instanceof NotFoundError}`);
  console.log(`auth: ${JSON.stringify(kv.authStats)}`);
} finally {
  await local?.stop();
}
