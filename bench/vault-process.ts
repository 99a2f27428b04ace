// The local vault in its own process, so its CPU never counts as the client's. Driven over IPC by bench/run.ts:
// it answers `{ url, ca }` once listening, and `process.cpuUsage()` on every 'cpu' message.
import { startVault } from '../lib/emulator/index.js';

const vault = await startVault();
process.send!({ type: 'ready', url: vault.url, ca: vault.ca });
process.on('message', (message: { type: string; id?: number }) => {
  if (message.type === 'cpu') process.send!({ type: 'cpu', id: message.id, usage: process.cpuUsage(), rss: process.memoryUsage.rss() });
  if (message.type === 'stop') void vault.stop().then(() => process.exit(0));
});
process.on('disconnect', () => void vault.stop().then(() => process.exit(0)));
