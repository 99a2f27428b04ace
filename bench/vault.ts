import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A local vault running in a child process, with its CPU readable from the parent. */
export interface VaultProcess {
  readonly url: string;
  readonly ca: string;
  /** The vault process's CPU time so far, in µs (user + system). */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

export async function startVaultProcess(): Promise<VaultProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./vault-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; ca: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the vault did not start within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the vault exited with ${code}`)));
    child.once('message', (message: { type: string; url: string; ca: string }) => { clearTimeout(timer); resolve(message); });
  });
  let next = 0;
  const pending = new Map<number, (us: number) => void>();
  child.on('message', (message: { type: string; id: number; usage: NodeJS.CpuUsage }) => {
    if (message.type === 'cpu') { pending.get(message.id)?.(message.usage.user + message.usage.system); pending.delete(message.id); }
  });
  return {
    url: ready.url,
    ca: ready.ca,
    cpu: () => new Promise((resolve) => { const id = next++; pending.set(id, resolve); child.send({ type: 'cpu', id }); }),
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.send({ type: 'stop' }); }),
  };
}
