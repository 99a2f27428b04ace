/**
 * The local vault as its own process, for the durability test (it is killed with SIGKILL):
 * `node --import tsx spec/reliability/vault-child.ts [dataFile]` serves plain HTTP on loopback and prints its URL.
 */
import { startVault } from '../../lib/emulator/index.js';

const dataFile = process.argv[2];
const vault = await startVault({ tls: false, ...(dataFile ? { dataFile } : {}) });
process.stdout.write(`${vault.url}\n`);
process.on('SIGTERM', () => void vault.stop().then(() => process.exit(0)));
