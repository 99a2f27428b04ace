// `tsx bench/vault.ts`: the local vault's own throughput. getSecret and setSecret at concurrency 1 and 32 over TLS
// with keep-alive (undici), next to a minimal node:https server answering the same route (the ceiling on this
// machine). Prints req/s, p50/p99 latency and the server's CPU per request. Figures only; nothing passes or fails.
// Env: BENCH_SECONDS per scenario (default 5), BENCH_WARMUP_SECONDS (1).
// As a module, it starts the local vault in a child process for the other benchmarks (startVaultProcess).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A local vault running in a child process, with its CPU readable from the parent. */
export interface VaultProcess {
  readonly url: string;
  readonly ca: string;
  /** The vault process's CPU time so far, in µs (user + system). */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

export function startVaultProcess(): Promise<VaultProcess> {
  return forkServer(fileURLToPath(new URL('./vault-process.ts', import.meta.url)), []);
}

// A server script in a child process that answers `{ url, ca }` once listening and its CPU on every 'cpu' message.
async function forkServer(script: string, args: string[]): Promise<VaultProcess> {
  const child: ChildProcess = fork(script, args, {
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

// The ceiling: node:https with the same kind of certificate, one precomputed answer, no routing or auth.
async function baselineChild(): Promise<void> {
  const { createServer } = await import('node:https');
  const { createTlsIdentity } = await import('../lib/emulator/tls.js');
  const id = await createTlsIdentity('127.0.0.1');
  const body = JSON.stringify({ value: 'x'.repeat(32), id: 'https://127.0.0.1/secrets/bench/0123456789abcdef0123456789abcdef', attributes: { enabled: true, created: 1, updated: 1, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 } });
  const server = createServer({ key: id.key, cert: id.cert, keepAlive: true }, (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send!({ type: 'ready', url: `https://127.0.0.1:${port}`, ca: id.cert });
  });
  process.on('message', (m: { type: string; id?: number }) => {
    if (m.type === 'cpu') process.send!({ type: 'cpu', id: m.id, usage: process.cpuUsage() });
    if (m.type === 'stop') server.close(() => process.exit(0)), server.closeAllConnections();
  });
  process.on('disconnect', () => process.exit(0));
}

const startBaseline = (): Promise<VaultProcess> => forkServer(fileURLToPath(import.meta.url), ['--baseline']);

interface Row { readonly name: string; readonly concurrency: number; readonly rps: number; readonly p50: number; readonly p99: number; readonly cpuUs: number }

async function measure(server: VaultProcess, name: string, concurrency: number, send: (agent: import('undici').Agent, i: number) => Promise<number>): Promise<Row> {
  const { Agent } = await import('undici');
  const agent = new Agent({ connect: { ca: server.ca }, connections: concurrency, keepAliveTimeout: 60_000, pipelining: 1 });
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
  const warmup = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 1);
  let counter = 0;
  const run = async (until: number, latencies: number[] | undefined): Promise<void> => {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        const status = await send(agent, counter++);
        if (status !== 200) throw new Error(`${name}: status ${status}`);
        latencies?.push(performance.now() - start);
      }
    }));
  };
  await run(performance.now() + warmup * 1000, undefined);
  const latencies: number[] = [];
  const cpu0 = await server.cpu();
  const t0 = performance.now();
  await run(t0 + seconds * 1000, latencies);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu1 = await server.cpu();
  await agent.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!;
  return { name, concurrency, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), cpuUs: (cpu1 - cpu0) / latencies.length };
}

async function main(): Promise<void> {
  const { request } = await import('undici');
  const { cpus } = await import('node:os');
  const auth = { authorization: 'Bearer bench' };
  const rows: Row[] = [];
  const vault = await startVaultProcess();
  try {
    const seed = await request(`${vault.url}/secrets/bench?api-version=7.6`, {
      method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ value: 'x'.repeat(32) }),
      dispatcher: new (await import('undici')).Agent({ connect: { ca: vault.ca } }),
    });
    await seed.body.dump();
    const get = async (agent: import('undici').Agent) => {
      const res = await request(`${vault.url}/secrets/bench/?api-version=7.6`, { headers: auth, dispatcher: agent });
      await res.body.dump();
      return res.statusCode;
    };
    const set = async (agent: import('undici').Agent, i: number) => {
      const res = await request(`${vault.url}/secrets/bench-set-${i % 64}?api-version=7.6`, {
        method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: `{"value":"value-${i}"}`, dispatcher: agent,
      });
      await res.body.dump();
      return res.statusCode;
    };
    for (const c of [1, 32]) rows.push(await measure(vault, 'getSecret', c, get));
    for (const c of [1, 32]) rows.push(await measure(vault, 'setSecret', c, set));
  } finally {
    await vault.stop();
  }
  const baseline = await startBaseline();
  try {
    const get = async (agent: import('undici').Agent) => {
      const res = await request(`${baseline.url}/secrets/bench/?api-version=7.6`, { headers: auth, dispatcher: agent });
      await res.body.dump();
      return res.statusCode;
    };
    for (const c of [1, 32]) rows.push(await measure(baseline, 'bare node:https (ceiling)', c, get));
  } finally {
    await baseline.stop();
  }
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  console.log(`Local vault over TLS, keep-alive, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.versions.node}`);
  console.log('| operation | concurrency | req/s | p50 ms | p99 ms | server CPU µs/req |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.name} | ${r.concurrency} | ${f(r.rps)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.cpuUs, 1)} |`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--baseline')) await baselineChild();
  else await main();
}
