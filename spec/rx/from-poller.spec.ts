import { expect } from 'chai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { Poller, type PollerOptions, type PollOperationState, type PollSteps } from '../../lib/polling/poller.js';
import { fromPoller, pollerObservables } from '../../lib/rx/from-poller.js';
import { countingController } from '../helpers/mock.js';

/** A long operation that never completes by itself, counting its checks and the signals it was given. */
function endless() {
  const seen = { checks: 0, signals: [] as unknown[] };
  const steps: PollSteps<number, PollOperationState<number>> = {
    async start(_state, signal) { seen.signals.push(signal); },
    async check(state, signal) { seen.checks++; state.result = seen.checks; seen.signals.push(signal); },
  };
  return { steps, seen };
}

describe('rx/from-poller', () => {
  it('fromPoller starts nothing before subscribe, emits each state, and stops polling once unsubscribed', async () => {
    const { steps, seen } = endless();
    let begun = 0;
    const options: PollerOptions = { intervalInMs: 1 };
    const states$ = fromPoller(options, (o) => {
      begun++;
      return Poller.begin(steps, { isStarted: false, isCompleted: false }, o, pollerObservables);
    });
    expect(begun).to.equal(0);
    const states = await firstValueFrom(states$.pipe(take(4), toArray()));
    // The state after begin's poll (started, no result yet), then one per check.
    expect(states.map((s) => [s.isStarted, s.result])).to.deep.equal([[true, undefined], [true, 1], [true, 2], [true, 3]]);
    const checksAtUnsubscribe = seen.checks;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen.checks - checksAtUnsubscribe).to.be.at.most(1);
    expect(seen.signals.every((signal) => signal instanceof AbortSignal)).to.equal(true);
  });

  it("chains the caller's abortSignal into begin, and removes its listener when the stream ends", async () => {
    const { steps } = endless();
    const { controller, listeners } = countingController();
    const options: PollerOptions = { intervalInMs: 1, abortSignal: controller.signal };
    let given: unknown;
    const states = await firstValueFrom(fromPoller(options, (o) => {
      given = o.abortSignal;
      return Poller.begin(steps, { isStarted: false, isCompleted: false }, o, pollerObservables);
    }).pipe(take(2), toArray()));
    expect(states).to.have.length(2);
    expect(given).to.be.instanceOf(AbortSignal).and.not.equal(controller.signal);
    expect(options.abortSignal).to.equal(controller.signal);
    expect(listeners()).to.equal(0);
  });
});
