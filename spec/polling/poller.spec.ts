import { expect } from 'chai';
import { firstValueFrom, toArray } from 'rxjs';
import { AbortError, KeyVaultError, ValidationError } from '../../lib/core/errors.js';
import type { AbortSignalLike } from '../../lib/polling/poller-like.js';
import { Poller, PollerStoppedError, type DeleteRecoverState, type PollOperationState, type PollSteps } from '../../lib/polling/poller.js';
import { pollerObservables } from '../../lib/rx/from-poller.js';

/** Completes on the `checks`-th check with the result 'done'. */
function counting(checks: number): PollSteps<string, PollOperationState<string> & { n: number }> {
  return {
    async start(state) { state.n = 0; },
    async check(state) {
      state.n++;
      if (state.n >= checks) { state.result = 'done'; state.isCompleted = true; }
    },
  };
}
const initial = (): PollOperationState<string> & { n: number } => ({ n: -1, isStarted: false, isCompleted: false });

describe('polling/poller', () => {
  it('a resumeFrom that is not a poller state is a ValidationError naming resumeFrom (not a SyntaxError)', async () => {
    for (const resumeFrom of ['not json', '{"state": 3}', 'null', '[1]']) {
      const error = await Poller.begin(counting(1), initial(), { resumeFrom }, pollerObservables).catch((e: unknown) => e);
      expect(error, resumeFrom).to.be.instanceOf(ValidationError);
      expect(error).to.include({ code: 'InvalidResumeState' });
      expect((error as Error).message).to.match(/resumeFrom must be the toString\(\) of a poller/);
    }
  });

  it('resumes from toString(): the state carries over, no start request is made again, begin polls once (as Microsoft\'s)', async () => {
    const first = await Poller.begin(counting(3), initial(), { intervalInMs: 0 }, pollerObservables);
    await first.poll();
    expect(first.getOperationState().n).to.equal(1);
    const resumed = await Poller.begin(counting(3), initial(), { resumeFrom: first.toString(), intervalInMs: 0 }, pollerObservables);
    expect(resumed.getOperationState()).to.include({ n: 2, isStarted: true });
    expect(await resumed.pollUntilDone()).to.equal('done');
    expect(resumed.getOperationState().n).to.equal(3);
  });

  it('poll$() emits the state after one step; pollUntilDone$() every state, then completes', async () => {
    const poller = await Poller.begin(counting(3), initial(), { intervalInMs: 0 }, pollerObservables);
    const once = await firstValueFrom(poller.poll$());
    expect(once.n).to.equal(1);
    const states = await firstValueFrom(poller.pollUntilDone$().pipe(toArray()));
    expect(states.map((s) => [s.n, s.isCompleted])).to.deep.equal([[2, false], [3, true]]);
    expect(states.at(-1)!.result).to.equal('done');
  });

  describe('the PollerLike members', () => {
    /** A check that waits until the test lets it go, to act while a request is in flight. */
    function gated() {
      const gates: (() => void)[] = [];
      let checks = 0;
      const steps: PollSteps<string, PollOperationState<string>> = {
        async start() {},
        async check(state) {
          checks++;
          await new Promise<void>((resolve) => gates.push(resolve));
          if (checks >= 2) { state.result = 'done'; state.isCompleted = true; }
        },
      };
      const release = async () => { while (gates.length === 0) await new Promise((r) => setImmediate(r)); gates.shift()!(); };
      return { steps, release, checks: () => checks };
    }
    const fresh = (): PollOperationState<string> => ({ isStarted: false, isCompleted: false });

    it('onProgress calls back with the state after each poll; its returned function stops that callback only', async () => {
      const poller = await Poller.begin(counting(3), initial(), { intervalInMs: 0 }, pollerObservables);
      const seen: number[] = [];
      const other: number[] = [];
      const cancel = poller.onProgress((state) => seen.push(state.n));
      poller.onProgress((state) => other.push(state.n));
      await poller.poll();
      expect(cancel()).to.equal(undefined);
      await poller.pollUntilDone();
      expect(seen).to.deep.equal([1]);
      expect(other).to.deep.equal([1, 2, 3]);
    });

    it('isStopped is true until pollUntilDone runs (as core-lro\'s), false while it runs and once it completed', async () => {
      const { steps, release } = gated();
      const poller = await Poller.begin(steps, fresh(), { intervalInMs: 0 }, pollerObservables);
      expect(poller.isStopped()).to.equal(true);
      const done = poller.pollUntilDone();
      expect(poller.isStopped()).to.equal(false);
      await release();
      await release();
      expect(await done).to.equal('done');
      expect(poller.isStopped()).to.equal(false);
      expect(poller.isDone()).to.equal(true);
    });

    it('stopPolling rejects pollUntilDone at once with PollerStoppedError; the poll in flight still lands; polling can go on', async () => {
      const { steps, release, checks } = gated();
      const poller = await Poller.begin(steps, fresh(), { intervalInMs: 0 }, pollerObservables);
      const first = poller.pollUntilDone();
      while (checks() === 0) await new Promise((r) => setImmediate(r));
      poller.stopPolling();
      const error = await first.catch((e: unknown) => e);
      expect(error).to.be.instanceOf(PollerStoppedError).and.instanceOf(AbortError);
      expect(error).to.include({ name: 'PollerStoppedError', code: 'Aborted' });
      expect(poller.isStopped()).to.equal(true);
      expect(checks()).to.equal(1); // the request in flight was not abandoned ...
      await release();
      expect(poller.isDone()).to.equal(false); // ... and no further poll was made
      const second = poller.pollUntilDone();
      await release();
      expect(await second).to.equal('done');
      expect(checks()).to.equal(2);
    });

    it('stopPolling ends the wait between polls too (an hour-long interval does not hold the caller)', async () => {
      const poller = await Poller.begin(counting(3), initial(), { intervalInMs: 3_600_000 }, pollerObservables);
      const done = poller.pollUntilDone();
      while (poller.getOperationState().n < 1) await new Promise((r) => setImmediate(r));
      poller.stopPolling();
      expect(await done.catch((e: unknown) => e)).to.be.instanceOf(PollerStoppedError);
      expect(poller.getOperationState().n).to.equal(1);
    });

    it('a second pollUntilDone while one runs shares it: one loop, one request per step', async () => {
      let checks = 0;
      const steps: PollSteps<string, PollOperationState<string>> = {
        async start() {},
        async check(state) { if (++checks === 3) { state.result = 'r'; state.isCompleted = true; } },
      };
      const poller = await Poller.begin(steps, fresh(), { intervalInMs: 0 }, pollerObservables);
      const [a, b] = [poller.pollUntilDone(), poller.pollUntilDone()];
      expect(a).to.equal(b);
      expect(await Promise.all([a, b])).to.deep.equal(['r', 'r']);
      expect(checks).to.equal(3);
    });

    it('a pollUntilDone with its own abortSignal has its own loop: aborting it leaves another caller\'s loop polling', async () => {
      const gates: (() => void)[] = [];
      let checks = 0;
      const steps: PollSteps<string, PollOperationState<string>> = {
        async start() {},
        async check(state, signal) {
          const n = ++checks;
          await new Promise<void>((resolve, reject) => {
            gates.push(resolve);
            signal?.addEventListener('abort', () => reject(new AbortError('aborted', { code: 'Aborted' })));
          });
          if (n >= 2) { state.result = 'done'; state.isCompleted = true; }
        },
      };
      const release = async () => { while (gates.length === 0) await new Promise((r) => setImmediate(r)); gates.shift()!(); };
      const poller = await Poller.begin(steps, fresh(), { intervalInMs: 0 }, pollerObservables);
      const controller = new AbortController();
      const mine = poller.pollUntilDone({ abortSignal: controller.signal });
      const theirs = poller.pollUntilDone();
      expect(theirs).to.not.equal(mine);
      while (checks === 0) await new Promise((r) => setImmediate(r));
      controller.abort(); // ends the request both loops shared; theirs polls again
      expect(await mine.catch((e: unknown) => e)).to.be.instanceOf(AbortError);
      expect(poller.isStopped()).to.equal(false);
      await release(); // the aborted request's gate: no effect
      await release();
      expect(await theirs).to.equal('done');
      expect(checks).to.equal(2);
    });

    it('a failure stops the poller: isStopped true, isDone true, pollUntilDone rejects with the error', async () => {
      const boom = new KeyVaultError('boom', { code: 'Boom' });
      const steps: PollSteps<string, PollOperationState<string>> = { async start() {}, async check() { throw boom; } };
      const poller = await Poller.begin(steps, fresh(), { intervalInMs: 0 }, pollerObservables);
      expect(await poller.pollUntilDone().catch((e: unknown) => e)).to.equal(boom);
      expect([poller.isStopped(), poller.isDone()]).to.deep.equal([true, true]);
      expect(await poller.pollUntilDone().catch((e: unknown) => e)).to.equal(boom);
    });

    it('cancelOperation: without a cancel step it rejects with the step\'s message and touches nothing; with one it runs it until done', async () => {
      const notCancellable = { ...counting(3), cannotCancel: 'Canceling the deletion of a secret is not supported.' };
      const poller = await Poller.begin(notCancellable, initial(), { intervalInMs: 0 }, pollerObservables);
      const error = await poller.cancelOperation().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KeyVaultError).and.include({ message: 'Canceling the deletion of a secret is not supported.', code: 'CancelNotSupported' });
      expect(poller.getOperationState()).to.include({ n: 0, isCompleted: false });
      expect(await poller.pollUntilDone()).to.equal('done');
      expect(await poller.cancelOperation().catch((e: unknown) => (e as Error).message)).to.equal('Canceling the deletion of a secret is not supported.');

      const cancels: boolean[] = [];
      const cancellable: PollSteps<string, PollOperationState<string> & { n: number }> = {
        ...counting(3),
        async cancel(state) { cancels.push(state.isCompleted); state.isCancelled = true; state.isCompleted = true; state.error = new AbortError('cancelled', { code: 'Cancelled' }); },
      };
      const running = await Poller.begin(cancellable, initial(), { intervalInMs: 0 }, pollerObservables);
      const [one, two] = [running.cancelOperation(), running.cancelOperation()];
      expect(one).to.equal(two); // concurrent calls share one request
      await one;
      await running.cancelOperation(); // done: nothing more is asked
      expect(cancels).to.deep.equal([false]);
      expect(running.isDone()).to.equal(true);
      expect(await running.pollUntilDone().catch((e: unknown) => (e as Error).message)).to.equal('cancelled');
    });

    it('takes an AbortSignalLike (not a DOM AbortSignal): the step sees a real signal that aborts with it', async () => {
      const listeners: (() => void)[] = [];
      const like: AbortSignalLike & { fire(): void } = {
        aborted: false,
        addEventListener: (_type, listener) => { listeners.push(listener as () => void); },
        removeEventListener: () => undefined,
        fire() { (this as { aborted: boolean }).aborted = true; for (const listener of listeners) listener(); },
      };
      let seen: AbortSignal | undefined;
      const steps: PollSteps<string, PollOperationState<string>> = {
        async start() {},
        check: (_state, signal) => new Promise((_, reject) => { seen = signal; signal!.addEventListener('abort', () => reject(new AbortError('aborted', { code: 'Aborted' }))); }),
      };
      const poller = await Poller.begin(steps, fresh(), { intervalInMs: 0 }, pollerObservables);
      const polled = poller.poll({ abortSignal: like });
      expect(seen).to.be.instanceOf(AbortSignal);
      like.fire();
      expect(await polled.catch((e: unknown) => e)).to.be.instanceOf(AbortError);
      expect(poller.isDone()).to.equal(false); // an abort leaves the operation pending
    });
  });

  describe('resume tokens (Microsoft\'s shape: JSON.stringify({ state }))', () => {
    type Deleted = { name: string; deletedOn?: Date; properties: { createdOn?: Date; tags?: Record<string, string> }; bytes?: Uint8Array };
    const never: PollSteps<Deleted, DeleteRecoverState<Deleted>> = {
      async start() { throw new Error('must not start again'); },
      async check() { throw new Error('must not check a completed operation'); },
    };
    const fresh = (name: string): DeleteRecoverState<Deleted> => ({ name, isStarted: false, isCompleted: false });

    it('toString is {"state":{...}}: the name, progress and result; an error keeps only name, message and code', async () => {
      const steps: PollSteps<string, DeleteRecoverState<string>> = { async start(state) { state.result = 'r'; }, async check() { throw new KeyVaultError('it broke', { code: 'Broke', statusCode: 500 }); } };
      const poller = await Poller.begin(steps, { name: 'a', isStarted: false, isCompleted: false }, { intervalInMs: 0 }, pollerObservables);
      expect(JSON.parse(poller.toString())).to.deep.equal({ state: { name: 'a', isStarted: true, isCompleted: false, result: 'r' } });
      await poller.poll().catch(() => undefined);
      expect(JSON.parse(poller.toString())).to.deep.equal({ state: { name: 'a', isStarted: true, isCompleted: true, result: 'r', error: { name: 'KeyVaultError', message: 'it broke', code: 'Broke' } } });
    });

    it('a completed token of Microsoft\'s resumes done, with the result\'s dates and Buffers back (tags stay strings) and the call\'s name', async () => {
      const microsofts = JSON.stringify({
        state: {
          name: 'from-token', isStarted: true, isCompleted: true,
          result: { name: 'a', deletedOn: new Date(Date.UTC(2026, 0, 2)), properties: { createdOn: new Date(Date.UTC(2026, 0, 1)), tags: { createdOn: '2026-01-01T00:00:00.000Z' } }, bytes: Buffer.from([1, 2, 3]) },
        },
      });
      const poller = await Poller.begin(never, fresh('a'), { resumeFrom: microsofts, intervalInMs: 0 }, pollerObservables);
      expect(poller.isDone()).to.equal(true);
      expect(poller.getOperationState().name).to.equal('a');
      const result = await poller.pollUntilDone();
      expect(result.deletedOn).to.be.instanceOf(Date);
      expect(result.deletedOn!.getTime()).to.equal(Date.UTC(2026, 0, 2));
      expect(result.properties.createdOn!.getTime()).to.equal(Date.UTC(2026, 0, 1));
      expect(result.properties.tags).to.deep.equal({ createdOn: '2026-01-01T00:00:00.000Z' });
      expect(Buffer.isBuffer(result.bytes) && [...result.bytes]).to.deep.equal([1, 2, 3]);
    });

    it('ours round-trips: a resumed poller\'s toString is the token it came from', async () => {
      const poller = await Poller.begin(counting(3), initial(), { intervalInMs: 0 }, pollerObservables);
      const resumed = await Poller.begin(counting(3), initial(), { resumeFrom: poller.toString(), intervalInMs: 0 }, pollerObservables);
      await poller.poll();
      expect(resumed.toString()).to.equal(poller.toString());
    });

    it('a failed token resumes failed: pollUntilDone rejects with a KeyVaultError of the saved name, message and code', async () => {
      const failed = JSON.stringify({ state: { name: 'a', isStarted: true, isCompleted: true, error: { name: 'RestError', message: 'Forbidden by policy', code: 'Forbidden' } } });
      const poller = await Poller.begin(never, fresh('a'), { resumeFrom: failed }, pollerObservables);
      const error = await poller.pollUntilDone().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KeyVaultError).and.include({ name: 'RestError', message: 'Forbidden by policy', code: 'Forbidden' });
      // Microsoft's tokens hold `{}` for their errors (an Error's JSON).
      const theirs = await Poller.begin(never, fresh('a'), { resumeFrom: JSON.stringify({ state: { name: 'a', isStarted: true, isCompleted: true, error: {} } }) }, pollerObservables);
      expect(await theirs.pollUntilDone().catch((e: unknown) => (e as KeyVaultError).code)).to.equal('OperationFailed');
    });
  });
});
