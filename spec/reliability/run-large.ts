/**
 * The fault scenario at scale, as figures (nothing passes or fails here):
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx spec/reliability/run-large.ts [operations=20000] [concurrency=32] [seeds=1,2,3]
 *
 * Per seed: operations that succeeded, failed with the right typed error after their retries, failed wrongly;
 * versions created per setSecret call; auth counts; what the proxy injected; whether the client exited by itself.
 */
import { runFaultScenario } from './fault-run.js';

const operations = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 32);
const seeds = (process.argv[4] ?? '1,2,3').split(',').map(Number);

const totals = { operations: 0, succeeded: 0, typed: 0, wrong: 0, setSecretCalls: 0, versions: 0, unhandled: 0, notExited: 0 };
for (const seed of seeds) {
  const r = await runFaultScenario({ operations, concurrency, seed, childLimitMs: 1_800_000 });
  totals.operations += r.operations;
  totals.succeeded += r.succeeded;
  totals.typed += r.typedFailures;
  totals.wrong += r.wrongFailures;
  totals.setSecretCalls += r.setSecretCalls;
  totals.versions += r.versionsCreated;
  totals.unhandled += r.unhandledRejections + r.uncaughtExceptions;
  totals.notExited += r.exitedByItself && r.exitCode === 0 ? 0 : 1;
  const injected = Object.entries(r.proxy.faults).filter(([f]) => f !== 'pass').reduce((sum, [, n]) => sum + n, 0);
  console.log(`seed ${seed}: ${r.operations} operations at concurrency ${r.concurrency}${r.keysServed ? '' : ' (secrets only: the vault serves no keys)'}`);
  console.log(`  succeeded ${r.succeeded}, typed failures after retries ${r.typedFailures} ${JSON.stringify(r.typedFailuresBy)}, wrong ${r.wrongFailures}`);
  for (const line of r.wrong) console.log(`    wrong: ${line}`);
  console.log(`  by operation ${JSON.stringify(r.byKind)}`);
  console.log(`  proxy: ${r.proxy.requests} requests, ${injected} faults ${JSON.stringify(r.proxy.faults)}, ${r.proxy.expiredTokens} refused tokens, ${r.proxy.revocations} revocations`);
  console.log(`  auth: ${r.auth.challenges} challenge(s), ${r.auth.getTokenCalls} getToken calls (${r.auth.claimsRequested} with claims)`);
  console.log(`  setSecret: ${r.setSecretCalls} calls created ${r.versionsCreated} versions; calls by versions created ${JSON.stringify(r.setSecretCallsByVersions)}; acknowledged ${r.acknowledgedWrites}, found ${r.acknowledgedWritesFound}`);
  console.log(`  unhandled rejections ${r.unhandledRejections}, uncaught exceptions ${r.uncaughtExceptions}, client exited by itself: ${r.exitedByItself} (code ${r.exitCode}), resources left: ${JSON.stringify(r.activeResourcesAtEnd)}`);
}
console.log(`total: ${totals.operations} operations, ${totals.succeeded} succeeded, ${totals.typed} typed failures, ${totals.wrong} wrong; ` +
  `${totals.versions} versions from ${totals.setSecretCalls} setSecret calls (${(totals.versions / Math.max(1, totals.setSecretCalls)).toFixed(3)} per call); ` +
  `${totals.unhandled} unhandled; ${totals.notExited} runs that did not exit cleanly`);
