import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { KeyVaultClient, NotFoundError, TimeoutError } from '../../lib/index.js';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';
import { startFaultProxy, tokenCredential, type FaultProxy } from './fault-proxy.js';
import { runFaultScenario } from './fault-run.js';

/**
 * The SDK through a fault-injecting proxy in front of the local vault. Every assertion is on correctness and
 * counts, never on time. `FAULT_OPS` / `FAULT_SEED` resize or reseed the mixed run (`run-large.ts` runs it big).
 */
describe('reliability under injected faults', function () {
  this.timeout(300_000);

  it('survives a seeded mix of faults over 2,000 mixed operations at concurrency 32: no wrong failure, no leak', async () => {
    const operations = Number(process.env['FAULT_OPS'] ?? 2_000);
    const seed = Number(process.env['FAULT_SEED'] ?? 1);
    const report = await runFaultScenario({ operations, concurrency: 32, seed });
    console.log(`      faults: ${JSON.stringify({
      operations: report.operations,
      succeeded: report.succeeded,
      typedFailures: report.typedFailuresBy,
      wrong: report.wrongFailures,
      setSecretCalls: report.setSecretCalls,
      versionsCreated: report.versionsCreated,
      callsByVersions: report.setSecretCallsByVersions,
      auth: report.auth,
      proxy: report.proxy,
    })}`);
    expect(report.wrong, 'wrong failures').to.deep.equal([]);
    expect(report.succeeded + report.typedFailures).to.equal(operations);
    // The mix must really have hurt: most calls succeed, some ran out of retries.
    expect(report.succeeded).to.be.greaterThan(operations * 0.8);
    expect(report.proxy.requests).to.be.greaterThan(operations * 1.2);
    expect(report.unhandledRejections, 'unhandled rejections').to.equal(0);
    expect(report.uncaughtExceptions, 'uncaught exceptions').to.equal(0);
    expect(report.exitedByItself, 'the client process exits by itself').to.equal(true);
    expect(report.exitCode).to.equal(0);
    // Idle keep-alive sockets may remain in the pool (unref'd: the exit above proves it); no timer may.
    expect(report.activeResourcesAtEnd.filter((r) => !['PipeWrap', 'TTYWrap', 'TCPSocketWrap'].includes(r)), 'timers or other handles left').to.deep.equal([]);
    expect(report.auth.challenges).to.equal(1);
    expect(report.auth.claimsRequested).to.be.greaterThan(0);
    // Writes: every acknowledged version is there; a retried PUT may add a version, as on the service.
    expect(report.acknowledgedWritesFound).to.equal(report.acknowledgedWrites);
    const byVersions = report.setSecretCallsByVersions;
    expect(Object.entries(byVersions).reduce((sum, [versions, calls]) => sum + Number(versions) * calls, 0)).to.equal(report.versionsCreated);
    expect(Object.values(byVersions).reduce((a, b) => a + b, 0)).to.equal(report.setSecretCalls);
  });

  describe('auth, deadlines and cancellation', () => {
    let vault: RunningVault;
    let proxy: FaultProxy;
    before(async () => {
      vault = await startVault({ tls: false });
      proxy = await startFaultProxy({ upstream: vault.url, seed: 2, slowMs: 5_000 });
    });
    after(async () => {
      await proxy.stop();
      await vault.stop();
    });

    const client = (options: ConstructorParameters<typeof KeyVaultClient>[2] = {}) => {
      const tokens = tokenCredential();
      return { kv: new KeyVaultClient(proxy.url, tokens.credential, { allowInsecureConnection: true, ...options }), tokens };
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
    /** Waits (bounded) for something the proxy will see, e.g. a closed connection; the test then asserts on counts. */
    const until = async (condition: () => boolean) => {
      for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    /** The challenge answered and a token cached with faults off, so the test starts on an authenticated client. */
    const warmUp = async (kv: KeyVaultClient) => {
      proxy.enabled = false;
      await kv.secrets.setSecret('warm', 'up');
      proxy.enabled = true;
    };

    it('answers 1,000 concurrent first calls across secrets, keys and certificates with 1 challenge and 1 getToken', async () => {
      proxy.enabled = false;
      const before = proxy.stats.unauthenticated;
      const { kv, tokens } = client();
      const calls = Array.from({ length: 1_000 }, (_, i) => {
        const outcome = [
          () => kv.secrets.getSecret(`first-${i}`),
          () => kv.keys.getKey(`first-${i}`),
          () => kv.certificates.getCertificate(`first-${i}`),
        ][i % 3]!();
        return outcome.then(() => 'ok', (e: unknown) => (e instanceof NotFoundError ? 'not found' : e));
      });
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o !== 'not found' && o !== 'ok')).to.deep.equal([]);
      expect(kv.authStats).to.deep.equal({ challenges: 1, getTokenCalls: 1 });
      expect(tokens.calls).to.have.length(1);
      expect(proxy.stats.unauthenticated - before, 'requests sent without a token').to.equal(1);
    });

    it('honours an overall deadline across retries, and sends nothing after it', async () => {
      proxy.setMix({ '503': 1 });
      const { kv } = client({ retry: { limit: 1_000, backoffMs: 20, maxDelayMs: 20 } });
      await warmUp(kv);
      const error = await kv.secrets.getSecret('deadline', { abortSignal: AbortSignal.timeout(1_000) }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TimeoutError);
      expect((error as TimeoutError).code).to.equal('Timeout');
      const attemptsOf = () => proxy.stats.attemptsByCall.get((error as TimeoutError).clientRequestId!) ?? 0;
      const atDeadline = attemptsOf();
      await settle();
      // An attempt already on the wire when the deadline passed may still arrive; nothing is sent after.
      const settled = attemptsOf();
      expect(settled - atDeadline).to.be.at.most(1);
      expect(settled, 'several retries ran before the deadline').to.be.greaterThan(1);
      await settle();
      expect(attemptsOf(), 'no attempt after the deadline').to.equal(settled);
    });

    it('aborts the attempt in flight when the deadline passes during it', async () => {
      proxy.setMix({ slow: 1 });
      const { kv } = client({ timeout: 10_000 });
      await warmUp(kv);
      const aborts = proxy.stats.clientAborts;
      const error = await kv.secrets.getSecret('deadline', { abortSignal: AbortSignal.timeout(500) }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TimeoutError);
      await until(() => proxy.stats.clientAborts > aborts);
      expect(proxy.stats.clientAborts - aborts, 'connections the client dropped').to.be.greaterThan(0);
    });

    it('stops retrying when a $ call is unsubscribed mid-retry: no further request reaches the vault', async () => {
      proxy.setMix({ '503': 1 });
      const { kv } = client({ retry: { limit: 1_000, backoffMs: 20, maxDelayMs: 20 } });
      await warmUp(kv);
      const start = proxy.stats.requests;
      const events: string[] = [];
      const subscription = kv.secrets.getSecret$('unsubscribed').subscribe({ next: () => events.push('next'), error: () => events.push('error'), complete: () => events.push('complete') });
      while (proxy.stats.requests - start < 4) await new Promise((resolve) => setTimeout(resolve, 10));
      subscription.unsubscribe();
      const atUnsubscribe = proxy.stats.requests;
      await settle();
      expect(proxy.stats.requests - atUnsubscribe, 'requests after unsubscribe').to.be.at.most(1);
      const later = proxy.stats.requests;
      await settle();
      expect(proxy.stats.requests).to.equal(later);
      expect(events).to.deep.equal([]);
    });

    it('drops the request in flight when a $ call is unsubscribed during it', async () => {
      proxy.setMix({ slow: 1 });
      const { kv } = client({ timeout: 10_000 });
      await warmUp(kv);
      const aborts = proxy.stats.clientAborts;
      const start = proxy.stats.requests;
      const subscription = kv.secrets.getSecret$('warm').subscribe();
      while (proxy.stats.requests === start) await new Promise((resolve) => setTimeout(resolve, 10));
      subscription.unsubscribe();
      await until(() => proxy.stats.clientAborts > aborts);
      await settle();
      expect(proxy.stats.clientAborts - aborts).to.equal(1);
      expect(proxy.stats.requests - start).to.equal(1);
    });

    it('reads a value through faults with the $ twin too', async () => {
      proxy.setMix({ pass: 1, '503': 1, 'reset-before-response': 1 });
      const { kv } = client({ retry: { limit: 20, backoffMs: 1, maxDelayMs: 5 } });
      await warmUp(kv);
      const secret = await firstValueFrom(kv.secrets.setSecret$('through-faults', 'value-1'));
      expect(secret.value).to.equal('value-1');
      expect((await firstValueFrom(kv.secrets.getSecret$('through-faults'))).value).to.equal('value-1');
    });
  });
});
