/**
 * The local vault as its own process, for the durability test (it is killed with SIGKILL):
 * `tsx spec/reliability/vault-child.ts <dataFile>` serves plain HTTP on loopback and prints its URL.
 */
import { startVault } from '../../lib/emulator/index.js';

const vault = await startVault({ tls: false, dataFile: process.argv[2]! });
process.stdout.write(`${vault.url}\n`);
process.on('SIGTERM', () => void vault.stop().then(() => process.exit(0)));
