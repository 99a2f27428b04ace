/**
 * Multi-resource script (`npm start`): one client, secrets + keys + certificates, against a local vault
 * started in-process. No Azure account, no network: the vault listens on 127.0.0.1 with its own CA,
 * which only this client trusts.
 *
 * Against a real vault, drop `startVault` and write `new KeyVaultClient('https://<name>.vault.azure.net')`.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { KeyVaultClient, type TokenCredential } from 'keyvault-kit';
import { startVault } from 'keyvault-kit/emulator';

/** The local vault accepts any bearer token; a real vault needs an @azure/identity credential. */
const localCredential: TokenCredential = { getToken: async () => ({ token: 'local-dev-token', expiresOnTimestamp: Date.now() + 3600_000 }) };

const vault = await startVault();
const kv = new KeyVaultClient(vault.url, localCredential, { ca: vault.ca });
const log = (what: string, detail = '') => console.log(`  ${what.padEnd(44)} ${detail}`);
console.log(`Local vault at ${vault.url} (CA in ${vault.caFile})\n`);

try {
  console.log('Secrets');
  await kv.secrets.setSecret('db-password', 'correct horse battery staple', { contentType: 'text/plain', tags: { app: 'demo' } });
  const second = await kv.secrets.setSecret('db-password', 'Tr0ub4dor&3');
  log('set db-password (2 versions)', `latest ${second.properties.version}`);
  await kv.secrets.setSecret('api-key', 'sk-live-1234');
  const latest = await kv.secrets.getSecret('db-password');
  log('read db-password', `${latest.value?.length} characters, enabled=${latest.properties.enabled}`);
  const names: string[] = [];
  for await (const properties of kv.secrets.listPropertiesOfSecrets()) names.push(properties.name);
  log('listed secrets', names.join(', '));
  const deleted = await (await kv.secrets.beginDeleteSecret('api-key', { intervalInMs: 0 })).pollUntilDone();
  log('deleted api-key', `recoverable until ${deleted.scheduledPurgeDate?.toISOString()}`);
  await (await kv.secrets.beginRecoverDeletedSecret('api-key', { intervalInMs: 0 })).pollUntilDone();
  log('recovered api-key', `value back: ${(await kv.secrets.getSecret('api-key')).value === 'sk-live-1234'}`);

  console.log('\nKeys and cryptography');
  const key = await kv.keys.createRsaKey('data-key', { keySize: 2048 });
  log('created RSA key', key.id ?? '');
  const crypto = kv.keys.getCryptographyClient('data-key');
  const plaintext = new TextEncoder().encode('card 4111-1111-1111-1111');
  const encrypted = await crypto.encrypt({ algorithm: 'RSA-OAEP-256', plaintext });
  await kv.secrets.setSecret('card-ciphertext', Buffer.from(encrypted.result).toString('base64'), { contentType: 'application/octet-stream;base64' });
  log('encrypted with the key, stored as a secret', `${encrypted.result.length} bytes`);
  const stored = await kv.secrets.getSecret('card-ciphertext');
  const decrypted = await crypto.decrypt({ algorithm: 'RSA-OAEP-256', ciphertext: Buffer.from(stored.value!, 'base64') });
  log('decrypted in the vault', new TextDecoder().decode(decrypted.result) === 'card 4111-1111-1111-1111' ? 'round trip OK' : 'MISMATCH');

  console.log('\nCertificates');
  const poller = await kv.certificates.beginCreateCertificate('web-tls', {
    issuerName: 'Self', subject: 'CN=demo.contoso.test, O=Contoso', subjectAlternativeNames: { dnsNames: ['demo.contoso.test'] },
    keyType: 'EC', keyCurveName: 'P-256', validityInMonths: 12, contentType: 'application/x-pem-file',
  }, { intervalInMs: 0 });
  const certificate = await poller.pollUntilDone();
  const x509 = new X509Certificate(certificate.cer!);
  log('issued web-tls', x509.subject.replaceAll('\n', ', '));
  log('thumbprint (SHA-1)', createHash('sha1').update(certificate.cer!).digest('hex').toUpperCase());
  const withKey = await kv.getCertificateWithPrivateKey('web-tls', { format: 'pem' });
  log('certificate + private key', `${withKey.privateKey.asymmetricKeyType} key matches: ${withKey.certificate.checkPrivateKey(withKey.privateKey)}`);

  console.log(`\nOne transport for all three: ${JSON.stringify(kv.authStats)}`);
} finally {
  await vault.stop();
}
