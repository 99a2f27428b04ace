/**
 * The SDK side of the fault scenario, run as its own process so that its exit proves nothing leaks: it does
 * its operations through the fault proxy, prints one JSON line with what happened, and never closes or stops
 * anything: if a socket, timer or listener of the SDK were left behind, this process would not exit by itself.
 *
 * Input: the `FAULT_CLIENT` environment variable, a JSON {@link ClientConfig}.
 */
import { firstValueFrom } from 'rxjs';
import { KeyVaultClient, KeyVaultError, NotFoundError } from '../../lib/index.js';
import { seededRandom, tokenCredential } from './fault-proxy.js';

export interface ClientConfig {
  url: string;
  operations: number;
  concurrency: number;
  seed: number;
  /** Per-attempt timeout (ms). */
  timeout: number;
  retry: { limit: number; backoffMs: number; maxDelayMs: number };
  /** Token lifetime: a little over the SDK's 2-minute refresh margin makes it refresh during the run. */
  tokenLifetimeMs: number;
  secretNames: number;
  /** Key operations only when the local vault serves keys. */
  keyNames: number;
}

export type OperationKind = 'setSecret' | 'getSecret' | 'getSecret$' | 'getMissingSecret' | 'listSecrets' | 'createEcKey' | 'getKey' | 'sign';

export interface OperationResult {
  kind: OperationKind;
  ok: boolean;
  /** A success with the wrong content, or a failure that is not a KeyVaultError: always a bug. */
  wrong?: string;
  error?: { name: string; code: string; statusCode?: number | undefined; clientRequestId?: string | undefined; message: string };
  /** An acknowledged write, for the durability and version checks. */
  written?: { name: string; version: string; value: string };
}

export interface ClientReport {
  results: OperationResult[];
  authStats: { challenges: number; getTokenCalls: number };
  claimsRequested: number;
  unhandledRejections: string[];
  uncaughtExceptions: string[];
  /** `process.getActiveResourcesInfo()` once every operation settled (before the process exits by itself). */
  activeResources: string[];
}

const unhandledRejections: string[] = [];
const uncaughtExceptions: string[] = [];
process.on('unhandledRejection', (reason) => { unhandledRejections.push(String((reason as Error)?.stack ?? reason)); });
process.on('uncaughtException', (error) => { uncaughtExceptions.push(String(error?.stack ?? error)); });

const config = JSON.parse(process.env['FAULT_CLIENT'] ?? '{}') as ClientConfig;
const random = seededRandom(config.seed ^ 0x5eed);
const tokens = tokenCredential(config.tokenLifetimeMs);
const kv = new KeyVaultClient(config.url, tokens.credential, {
  allowInsecureConnection: true,
  timeout: config.timeout,
  retry: config.retry,
});

const pick = (n: number) => Math.floor(random() * n);
const DIGEST = new Uint8Array(32).fill(9);

function chooseKind(): OperationKind {
  const x = random();
  if (config.keyNames > 0) {
    if (x < 0.3) return 'setSecret';
    if (x < 0.42) return 'getSecret';
    if (x < 0.54) return 'getSecret$';
    if (x < 0.58) return 'getMissingSecret';
    if (x < 0.62) return 'listSecrets';
    if (x < 0.7) return 'createEcKey';
    if (x < 0.9) return 'getKey';
    return 'sign';
  }
  if (x < 0.4) return 'setSecret';
  if (x < 0.6) return 'getSecret';
  if (x < 0.85) return 'getSecret$';
  if (x < 0.9) return 'listSecrets';
  return 'getMissingSecret';
}

async function run(kind: OperationKind, index: number): Promise<OperationResult> {
  const secretName = `s-${pick(config.secretNames)}`;
  const keyName = `k-${pick(Math.max(1, config.keyNames))}`;
  try {
    switch (kind) {
      case 'setSecret': {
        const value = `${secretName}:${index}`;
        const secret = await kv.secrets.setSecret(secretName, value);
        if (secret.value !== value || secret.name !== secretName || !secret.properties.version) return { kind, ok: true, wrong: `setSecret answered ${secret.name}=${secret.value}` };
        return { kind, ok: true, written: { name: secretName, version: secret.properties.version, value } };
      }
      case 'getSecret':
      case 'getSecret$': {
        const secret = kind === 'getSecret' ? await kv.secrets.getSecret(secretName) : await firstValueFrom(kv.secrets.getSecret$(secretName));
        if (secret.name !== secretName || !secret.value?.startsWith(`${secretName}:`)) return { kind, ok: true, wrong: `getSecret(${secretName}) answered ${secret.name}=${secret.value}` };
        return { kind, ok: true };
      }
      case 'getMissingSecret': {
        const error = await kv.secrets.getSecret(`missing-${index}`).then(() => undefined, (e: unknown) => e);
        // The right answer is a NotFoundError (its code is `Http404` when the proxy garbled the body);
        // a retriable failure that outlived its retries is also typed.
        if (error instanceof NotFoundError) return { kind, ok: true };
        if (error === undefined) return { kind, ok: true, wrong: 'a missing secret was found' };
        throw error;
      }
      case 'listSecrets': {
        // Two pages, the second through the nextLink the vault served.
        const names: string[] = [];
        let pages = 0;
        for await (const page of kv.secrets.listPropertiesOfSecrets().byPage({ maxPageSize: 7 })) {
          names.push(...page.map((p) => p.name));
          if (++pages === 2) break;
        }
        if (names.length !== 14 || names.some((n) => !/^s-\d+$/.test(n))) return { kind, ok: true, wrong: `listed ${names.length}: ${names.join(',')}` };
        return { kind, ok: true };
      }
      case 'sign': {
        const signature = await kv.keys.getCryptographyClient(keyName).sign('ES256', DIGEST);
        if (signature.result.length !== 64 || !signature.keyID?.includes(`/keys/${keyName}/`)) return { kind, ok: true, wrong: `sign answered ${signature.result.length} bytes for ${signature.keyID}` };
        return { kind, ok: true };
      }
      case 'createEcKey': {
        const key = await kv.keys.createEcKey(keyName, { curve: 'P-256' });
        if (key.name !== keyName || key.keyType !== 'EC' || key.key?.d !== undefined) return { kind, ok: true, wrong: `createEcKey answered ${key.name} ${key.keyType}` };
        return { kind, ok: true };
      }
      case 'getKey': {
        const key = await kv.keys.getKey(keyName);
        if (key.name !== keyName || key.keyType !== 'EC') return { kind, ok: true, wrong: `getKey answered ${key.name} ${key.keyType}` };
        return { kind, ok: true };
      }
    }
  } catch (error) {
    if (!(error instanceof KeyVaultError)) return { kind, ok: false, wrong: `not a KeyVaultError: ${String((error as Error)?.stack ?? error)}` };
    return { kind, ok: false, error: { name: error.constructor.name, // the class: RestErrors all have name 'RestError'
      code: error.code, statusCode: error.statusCode, clientRequestId: error.clientRequestId, message: error.message } };
  }
}

async function main(): Promise<void> {
  const kinds = Array.from({ length: config.operations }, chooseKind);
  const results: OperationResult[] = new Array(kinds.length);
  let next = 0;
  await Promise.all(Array.from({ length: config.concurrency }, async () => {
    while (next < kinds.length) {
      const index = next++;
      results[index] = await run(kinds[index]!, index);
    }
  }));
  // Let any stray promise settle before looking for leftovers.
  await new Promise((resolve) => setImmediate(resolve));
  const report: ClientReport = {
    results,
    authStats: kv.authStats,
    claimsRequested: tokens.calls.filter((c) => c.claims).length,
    unhandledRejections,
    uncaughtExceptions,
    activeResources: process.getActiveResourcesInfo(),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main();
