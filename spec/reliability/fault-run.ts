/**
 * The fault scenario, shared by the spec (small) and `run-large.ts` (large): the local vault over plain HTTP on
 * loopback, the fault proxy in front of it, and the SDK in a child process (`fault-client.ts`) doing mixed
 * secret and key operations at a given concurrency. Returns counts only; nothing here measures time.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KeyVaultClient } from '../../lib/index.js';
import { startVault } from '../../lib/emulator/index.js';
import { startFaultProxy, tokenCredential, type Fault, type FaultMix } from './fault-proxy.js';
import type { ClientConfig, ClientReport, OperationResult } from './fault-client.js';

export interface ScenarioOptions {
  operations: number;
  concurrency: number;
  seed: number;
  mix?: FaultMix;
  /** Bound on the child's life; past it the child is killed and `exitedByItself` is false. */
  childLimitMs?: number;
}

/** Failures that are right once the retries ran out (or, for a garbled 200, at once: its body cannot be trusted). */
const RETRIABLE = new Set(['ThrottledError', 'ServiceError', 'NetworkError', 'TimeoutError']);

export interface ScenarioReport {
  operations: number;
  concurrency: number;
  seed: number;
  keysServed: boolean;
  succeeded: number;
  /** Typed failures after every retry was spent, by error class and code. */
  typedFailures: number;
  typedFailuresBy: Record<string, number>;
  /** Anything else: wrong content, an untyped error, a retriable error before the retries ran out. Goal 0. */
  wrongFailures: number;
  wrong: string[];
  byKind: Record<string, { ok: number; failed: number }>;
  proxy: { requests: number; faults: Record<Fault, number>; expiredTokens: number; revocations: number; clientAborts: number };
  auth: ClientReport['authStats'] & { claimsRequested: number };
  setSecretCalls: number;
  /** Versions the vault created during the run, counted in the vault itself. */
  versionsCreated: number;
  /** setSecret calls by how many versions they created (0: the PUT never reached the vault). */
  setSecretCallsByVersions: Record<string, number>;
  acknowledgedWrites: number;
  acknowledgedWritesFound: number;
  unhandledRejections: number;
  uncaughtExceptions: number;
  exitedByItself: boolean;
  exitCode: number | null;
  activeResourcesAtEnd: string[];
}

const here = fileURLToPath(new URL('.', import.meta.url));

export async function runFaultScenario(options: ScenarioOptions): Promise<ScenarioReport> {
  const vault = await startVault({ tls: false });
  const proxy = await startFaultProxy({ upstream: vault.url, seed: options.seed, slowMs: 1_500, revokeEvery: 500, ...(options.mix ? { mix: options.mix } : {}) });
  try {
    // Set-up and checks go straight to the vault, past the proxy.
    const direct = new KeyVaultClient(vault.url, tokenCredential().credential, { allowInsecureConnection: true });
    const secretNames = 40;
    for (let i = 0; i < secretNames; i++) await direct.secrets.setSecret(`s-${i}`, `s-${i}:initial`);
    const keysServed = await direct.keys.createEcKey('k-0', { curve: 'P-256' }).then(() => true, () => false);
    const keyNames = keysServed ? 10 : 0;
    for (let i = 1; i < keyNames; i++) await direct.keys.createEcKey(`k-${i}`, { curve: 'P-256' });

    const retry = { limit: 3, backoffMs: 5, maxDelayMs: 20 };
    const config: ClientConfig = {
      url: proxy.url,
      operations: options.operations,
      concurrency: options.concurrency,
      seed: options.seed,
      timeout: 1_000,
      retry,
      tokenLifetimeMs: 2 * 60_000 + 3_000,
      secretNames,
      keyNames,
    };
    const child = await runChild(config, options.childLimitMs ?? 300_000);
    const report = child.report;
    proxy.enabled = false;

    const wrong: string[] = [];
    const typedFailuresBy: Record<string, number> = {};
    const byKind: Record<string, { ok: number; failed: number }> = {};
    let succeeded = 0;
    let typedFailures = 0;
    for (const result of report?.results ?? []) {
      const kind = (byKind[result.kind] ??= { ok: 0, failed: 0 });
      const verdict = judge(result, proxy.stats.attemptsByCall, retry.limit);
      if (verdict) {
        wrong.push(`${result.kind}: ${verdict}`);
        kind.failed++;
      } else if (result.ok) {
        succeeded++;
        kind.ok++;
      } else {
        typedFailures++;
        kind.failed++;
        const key = `${result.error!.name}/${result.error!.code}`;
        typedFailuresBy[key] = (typedFailuresBy[key] ?? 0) + 1;
      }
    }
    if (!report) wrong.push(`the client printed no report (exit ${child.exitCode}): ${child.stderr.slice(-2000)}`);

    // Every acknowledged write is in the vault, at the version the vault acknowledged.
    const written = (report?.results ?? []).flatMap((r) => (r.written ? [r.written] : []));
    let found = 0;
    for (const w of written) {
      const secret = await direct.secrets.getSecret(w.name, { version: w.version }).catch(() => undefined);
      if (secret?.value === w.value) found++;
    }
    let versions = 0;
    for (let i = 0; i < secretNames; i++) {
      for await (const page of direct.secrets.listPropertiesOfSecretVersions(`s-${i}`).byPage({ maxPageSize: 25 })) versions += page.length;
    }
    const setSecretCalls = (report?.results ?? []).filter((r) => r.kind === 'setSecret').length;
    const byVersions: Record<string, number> = {};
    for (const count of proxy.stats.secretVersionsByCall.values()) byVersions[count] = (byVersions[count] ?? 0) + 1;
    byVersions['0'] = setSecretCalls - proxy.stats.secretVersionsByCall.size;

    return {
      operations: options.operations,
      concurrency: options.concurrency,
      seed: options.seed,
      keysServed,
      succeeded,
      typedFailures,
      typedFailuresBy,
      wrongFailures: wrong.length,
      wrong: wrong.slice(0, 20),
      byKind,
      proxy: { requests: proxy.stats.requests, faults: proxy.stats.faults, expiredTokens: proxy.stats.expiredTokens, revocations: proxy.stats.revocations, clientAborts: proxy.stats.clientAborts },
      auth: { ...(report?.authStats ?? { challenges: 0, getTokenCalls: 0 }), claimsRequested: report?.claimsRequested ?? 0 },
      setSecretCalls,
      versionsCreated: versions - secretNames,
      setSecretCallsByVersions: byVersions,
      acknowledgedWrites: written.length,
      acknowledgedWritesFound: found,
      unhandledRejections: report?.unhandledRejections.length ?? 0,
      uncaughtExceptions: report?.uncaughtExceptions.length ?? 0,
      exitedByItself: child.exitedByItself,
      exitCode: child.exitCode,
      activeResourcesAtEnd: report?.activeResources ?? [],
    };
  } finally {
    await proxy.stop();
    await vault.stop();
  }
}

/** Why a result is wrong, or undefined when it is right. */
function judge(result: OperationResult, attemptsByCall: Map<string, number>, retryLimit: number): string | undefined {
  if (result.wrong) return result.wrong;
  if (result.ok) return undefined;
  const error = result.error!;
  if (!RETRIABLE.has(error.name)) return `${error.name}/${error.code}: ${error.message}`;
  // A body cut short or garbled on a 200 is not retried: the request may have done its work.
  if (error.code === 'InvalidResponse') return undefined;
  const attempts = attemptsByCall.get(error.clientRequestId ?? '') ?? 0;
  if (attempts < retryLimit + 1) return `${error.name}/${error.code} after ${attempts} attempt(s), retries not spent: ${error.message}`;
  return undefined;
}

interface ChildOutcome {
  report: ClientReport | undefined;
  exitCode: number | null;
  exitedByItself: boolean;
  stderr: string;
}

function runChild(config: ClientConfig, limitMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    // node itself with tsx as a loader (not the tsx wrapper): the exit and a kill concern the client's own process.
    const child = spawn(process.execPath, ['--import', 'tsx', `${here}fault-client.ts`], {
      env: { ...process.env, FAULT_CLIENT: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    let killed = false;
    const limit = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, limitMs);
    child.on('close', (exitCode) => {
      clearTimeout(limit);
      const line = stdout.trim().split('\n').at(-1);
      let report: ClientReport | undefined;
      try {
        report = line ? (JSON.parse(line) as ClientReport) : undefined;
      } catch {
        report = undefined;
      }
      resolve({ report, exitCode, exitedByItself: !killed, stderr });
    });
  });
}

