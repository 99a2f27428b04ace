import { type RunningVault, type VaultOptions, startVault } from '../../lib/emulator/index.js';

/**
 * Starts a local vault for the enclosing mocha `describe` (`before`) and stops it after (`after`).
 * Call it at describe level; read the vault inside tests: `const vault = useVault(); ... vault().url`.
 */
export function useVault(options: VaultOptions = {}): () => RunningVault {
  let running: RunningVault | undefined;
  before(async () => {
    running = await startVault(options);
  });
  after(async () => {
    await running?.stop();
  });
  return () => {
    if (!running) throw new Error('the vault is not started yet: read it inside a test or hook');
    return running;
  };
}
