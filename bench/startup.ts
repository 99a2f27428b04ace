// Whole processes, from spawn to exit, against one local vault in its own process: what a script, a CLI or a
// serverless cold start feels. Two rows, ours vs Microsoft's, in pairs (ours, theirs, theirs, ours, ... so that
// neither always runs first), medians and every pair's ratio:
// - "first result": import the SDK, authenticate (a static token credential), read ONE secret;
// - "start to configured": import, authenticate and read concurrently what a service needs at start: 20 secrets,
//   a key's public JWK, a certificate with its private key (ours: one KeyVaultClient; Microsoft's: three
//   packages, three clients, three challenges).
// Each child reports its CPU (user + system) and peak RSS (maxRSS) at its end; the wall time is the parent's.
// `tsx bench/startup.ts` alone (env BENCH_PAIRS, default 9), or `npm run bench -- startup`.
import { spawn } from 'node:child_process';
import { sdkFile, snapshotSdk, ROOT } from './sdk.js';
import { median } from './stats.js';
import { startVaultProcess, type VaultProcess } from './vault.js';
import { TOKEN } from './credentials.js';

export const CONFIG_SECRETS = 20;

/** What every child shares: the vault's address and CA from the environment, a static token, its own figures at the end. */
const prelude = `
const url = process.env.VAULT_URL, ca = process.env.VAULT_CA;
const credential = { getToken: async () => ({ token: ${JSON.stringify(TOKEN)}, expiresOnTimestamp: Date.now() + 3600000 }) };
const names = Array.from({ length: ${CONFIG_SECRETS} }, (_, i) => 'config-' + i);
const report = (check) => { const u = process.resourceUsage(); console.log(JSON.stringify({ check, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS })); };
`;

/** The four scripts, as a user would write them. */
export const scripts = (): Record<string, string> => ({
  'first result, keyvault-kit': `${prelude}
const { KeyVaultClient } = await import(${JSON.stringify(sdkFile('index.js'))});
const kv = new KeyVaultClient(url, credential, { ca });
const secret = await kv.secrets.getSecret('first');
report(secret.value.length);`,
  'first result, Microsoft': `${prelude}
const { SecretClient } = await import('@azure/keyvault-secrets');
const client = new SecretClient(url, credential, { tlsOptions: { ca }, disableChallengeResourceVerification: true });
const secret = await client.getSecret('first');
report(secret.value.length);`,
  'start to configured, keyvault-kit': `${prelude}
const { KeyVaultClient } = await import(${JSON.stringify(sdkFile('index.js'))});
const kv = new KeyVaultClient(url, credential, { ca });
const [secrets, key, certificate] = await Promise.all([
  Promise.all(names.map((name) => kv.secrets.getSecret(name))),
  kv.keys.getKey('signing'),
  kv.certificates.getCertificateWithPrivateKey('tls'),
]);
report([secrets.length, key.key.crv, certificate.certificate.subject.length, certificate.privateKey.asymmetricKeyType].join());`,
  'start to configured, Microsoft': `${prelude}
const [{ SecretClient }, { KeyClient }, { CertificateClient }, { createPrivateKey, X509Certificate }] = await Promise.all([
  import('@azure/keyvault-secrets'), import('@azure/keyvault-keys'), import('@azure/keyvault-certificates'), import('node:crypto'),
]);
const options = { tlsOptions: { ca }, disableChallengeResourceVerification: true };
const secretClient = new SecretClient(url, credential, options);
const keyClient = new KeyClient(url, credential, options);
const certificateClient = new CertificateClient(url, credential, options);
const [secrets, key, [cer, pem]] = await Promise.all([
  Promise.all(names.map((name) => secretClient.getSecret(name))),
  keyClient.getKey('signing'),
  // The certificate's private key lives in its secret (PEM content type, so no PKCS#12 parsing on their side).
  Promise.all([certificateClient.getCertificate('tls'), secretClient.getSecret('tls')]),
]);
const certificate = new X509Certificate(cer.cer), privateKey = createPrivateKey(pem.value);
report([secrets.length, key.key.crv, certificate.subject.length, privateKey.asymmetricKeyType].join());`,
});

/** Creates what the scripts read (once per vault). */
export async function seedStartup(vault: VaultProcess): Promise<void> {
  const { KeyVaultClient } = await import(sdkFile('index.js')) as typeof import('../lib/index.js');
  const kv = new KeyVaultClient(vault.url, { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) }, { ca: vault.ca });
  await Promise.all([
    kv.secrets.setSecret('first', 'the first secret'),
    ...Array.from({ length: CONFIG_SECRETS }, (_, i) => kv.secrets.setSecret(`config-${i}`, `value ${i} `.repeat(8))),
    kv.keys.createEcKey('signing', { curve: 'P-256' }),
    kv.certificates.beginCreateCertificate('tls', { issuerName: 'Self', subject: 'CN=service.example', contentType: 'application/x-pem-file' }).then((poller) => poller.pollUntilDone()),
  ]);
}

export interface Run { wallMs: number; cpuMs: number; maxRssMiB: number }

/** One fresh process: spawn to exit. */
export function runScript(code: string, vault: VaultProcess): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd: ROOT, env: { ...process.env, VAULT_URL: vault.url, VAULT_CA: vault.ca }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk; });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk; });
    child.on('error', reject);
    child.on('exit', (status) => {
      const wallMs = performance.now() - t0;
      if (status !== 0) return reject(new Error(`exit ${status}: ${err}`));
      const { cpuMs, maxRssKiB } = JSON.parse(out.trim().split('\n').at(-1)!) as { cpuMs: number; maxRssKiB: number };
      resolve({ wallMs, cpuMs, maxRssMiB: maxRssKiB / 1024 });
    });
  });
}

export interface PairedResult {
  row: string;
  ours: Run;
  theirs: Run;
  /** ours/theirs wall time of every pair, in order. */
  ratios: number[];
}

const medianRun = (runs: Run[]): Run => ({
  wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)), maxRssMiB: median(runs.map((r) => r.maxRssMiB)),
});

/** `pairs` pairs of each row, ours and theirs alternating which goes first; one unmeasured warm-up pair (disk cache). */
export async function measureStartup(vault: VaultProcess, pairs: number, log: (line: string) => void = () => {}): Promise<PairedResult[]> {
  const all = scripts();
  const results: PairedResult[] = [];
  for (const row of ['first result', 'start to configured']) {
    const [ourCode, theirCode] = [all[`${row}, keyvault-kit`]!, all[`${row}, Microsoft`]!];
    await runScript(ourCode, vault);
    await runScript(theirCode, vault);
    const ours: Run[] = [];
    const theirs: Run[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      if (pair % 2 === 0) {
        ours.push(await runScript(ourCode, vault));
        theirs.push(await runScript(theirCode, vault));
      } else {
        theirs.push(await runScript(theirCode, vault));
        ours.push(await runScript(ourCode, vault));
      }
      log(`  ${row} pair ${pair + 1}: ours ${ours.at(-1)!.wallMs.toFixed(0)} ms, theirs ${theirs.at(-1)!.wallMs.toFixed(0)} ms`);
    }
    results.push({ row, ours: medianRun(ours), theirs: medianRun(theirs), ratios: ours.map((r, i) => r.wallMs / theirs[i]!.wallMs) });
  }
  return results;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  snapshotSdk(!process.env['BENCH_NO_BUILD']);
  const vault = await startVaultProcess();
  try {
    await seedStartup(vault);
    for (const r of await measureStartup(vault, Number(process.env['BENCH_PAIRS'] ?? 9), console.log)) {
      console.log(`${r.row}: wall ${r.ours.wallMs.toFixed(0)} / ${r.theirs.wallMs.toFixed(0)} ms = ${(r.ours.wallMs / r.theirs.wallMs).toFixed(2)}×, CPU ${r.ours.cpuMs.toFixed(0)} / ${r.theirs.cpuMs.toFixed(0)} ms, maxRSS ${r.ours.maxRssMiB.toFixed(1)} / ${r.theirs.maxRssMiB.toFixed(1)} MiB; pairs ${r.ratios.map((x) => x.toFixed(2)).join(' ')}`);
    }
  } finally {
    await vault.stop();
  }
}
