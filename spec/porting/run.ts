/**
 * Runs the porting app (./app/port.ts) against a fresh local vault with one implementation behind its
 * `import ... from 'keyvault-kit'`: `PORT_TARGET=kit` (lib/index.ts) or `PORT_TARGET=microsoft` (Microsoft's
 * packages). Prints one JSON report. Spawned by porting.spec.ts: one process per target, so each resolves the
 * specifier its own way.
 */
import { registerHooks } from 'node:module';
import { startVault } from '../../lib/emulator/index.js';
import { fakeCredential } from '../helpers/credential.js';
import { azureOptions } from '../emulator/azure-clients.js';

const microsoft = process.env['PORT_TARGET'] === 'microsoft';
const target = new URL(microsoft ? './microsoft.ts' : '../../lib/index.ts', import.meta.url).href;
registerHooks({ resolve: (specifier, context, next) => (specifier === 'keyvault-kit' ? { url: target, shortCircuit: true } : next(specifier, context)) });

const app = await import('./app/port.js');
const vault = await startVault();
try {
  const options = microsoft ? azureOptions(vault) : { ca: vault.ca };
  const setup = {
    vaultUrl: vault.url, credential: fakeCredential(), run: String(process.pid),
    secretOptions: options, keyOptions: options, certificateOptions: options, cryptographyOptions: options,
  } as Parameters<typeof app.secrets>[0];
  const report = { secrets: await app.secrets(setup), keys: await app.keys(setup), certificates: await app.certificates(setup), pollers: await app.pollers(setup) };
  console.log(JSON.stringify(report));
} finally {
  await vault.stop();
}
