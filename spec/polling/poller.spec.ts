import { expect } from 'chai';
import { firstValueFrom, toArray } from 'rxjs';
import { ValidationError } from '../../lib/core/errors.js';
import { Poller, type PollOperationState, type PollSteps } from '../../lib/polling/poller.js';
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
});
