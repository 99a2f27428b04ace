// Run by memory.spec.ts in its own process with --expose-gc: polls N times, rotates M times, and prints the heap
// after GC, the JavaScript objects on the heap (counted in a heap snapshot, which collects everything collectable
// first: a count that does not depend on when the collector ran) and the teardowns held by the subscriptions, at a
// first mark and at the end (polls counted, not time).
import { getHeapSnapshot } from 'node:v8';
import type { Subscription } from 'rxjs';
import { FakeClock, FakeVault } from './fake-vault.js';

const gc = (globalThis as { gc?: () => void }).gc!;
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().heapUsed;
}

/** Node types of JavaScript values in a heap snapshot (not code, not the engine's hidden arrays, which follow the JIT). */
const JS = new Set(['object', 'closure', 'string', 'concatenated string', 'sliced string', 'number', 'regexp', 'bigint', 'symbol']);
async function jsObjects(): Promise<{ count: number; bytes: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const { snapshot, nodes } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
  const fields = snapshot.meta.node_fields;
  const [typeAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('self_size')];
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += fields.length) {
    if (!JS.has(snapshot.meta.node_types[0][nodes[i + typeAt]!]!)) continue;
    count++;
    bytes += nodes[i + sizeAt]!;
  }
  return { count, bytes };
}

/** Teardowns and inner subscribers reachable from a subscription: what a long-lived subscription holds. */
function held(subscription: unknown, seen = new Set<unknown>()): number {
  if (!subscription || typeof subscription !== 'object' || seen.has(subscription)) return 0;
  seen.add(subscription);
  const node = subscription as { _finalizers?: unknown[]; destination?: unknown };
  let count = 0;
  for (const finalizer of node._finalizers ?? []) count += 1 + held(finalizer, seen);
  return count + held(node.destination, seen);
}

const [mode, pollsArg, markArg] = process.argv.slice(2);
const polls = Number(pollsArg);
const mark = Number(markArg);
const clock = new FakeClock();
const vault = new FakeVault({ now: () => 0 });
vault.set('s', 'v0');
vault.keepLog = false; // the log would grow with every poll: only the count is kept
const kv = vault.client();
let emissions = 0;
const subs: Subscription[] = [];
const sample = async () => {
  const at = { emissions, polls: vault.requests };
  return { ...at, heap: await heapAfterGc(), objects: await jsObjects(), held: subs.reduce((n, s) => n + held(s), 0) };
};

if (mode === 'watch') {
  for (let i = 0; i < 20; i++) subs.push(kv.secrets.watchSecret$('s', { intervalMs: 1 }).subscribe({ next: () => emissions++ }));
  const until = (n: number) => new Promise<void>((resolve) => {
    const check = () => { if (vault.requests >= n) resolve(); else { if (vault.requests % 100 === 0) vault.set('s', `v${vault.requests}`); setTimeout(check, 1); } };
    check();
  });
  let rotations = 0;
  const rotate = setInterval(() => { vault.set('s', `v${++rotations}`); }, 25);
  // Each mark is taken with every watcher in the same place: its poll held by the vault (20 requests waiting), so
  // the count does not depend on where each of the 20 happened to be in its cycle (that alone moves it by ±200).
  const quiet = async () => {
    vault.hold.add('s');
    while ((vault.held.get('s')?.length ?? 0) < subs.length) await new Promise((resolve) => setTimeout(resolve, 1));
    const at = await sample();
    vault.release('s');
    return at;
  };
  await until(mark);
  const first = await quiet();
  await until(polls);
  const last = await quiet();
  clearInterval(rotate);
  subs.forEach((s) => s.unsubscribe());
  console.log(JSON.stringify({ first, last }));
} else {
  // config$ on the fake clock: each advance is one poll of the source; a rotation every 10 polls.
  const config$ = kv.config$({ s: 's' }, { clock, refreshMs: 1000, jitter: 0 });
  for (let i = 0; i < 10; i++) subs.push(config$.subscribe({ next: () => emissions++ }));
  const run = async (until: number) => {
    while (vault.requests < until) {
      if (vault.requests % 10 === 0) vault.set('s', `v${vault.requests}`);
      await clock.advance(1000);
    }
  };
  await run(mark);
  const first = await sample();
  await run(polls);
  const last = await sample();
  subs.forEach((s) => s.unsubscribe());
  console.log(JSON.stringify({ first, last, pendingTimers: clock.pending }));
}
