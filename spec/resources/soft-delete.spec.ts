import { expect } from 'chai';
import { ForbiddenError, KeyVaultError, NotFoundError, ServiceError } from '../../lib/core/errors.js';
import { Poller } from '../../lib/polling/poller.js';
import { softDeleteSteps } from '../../lib/resources/soft-delete.js';
import { pollerObservables } from '../../lib/rx/from-poller.js';

/** A read that answers from a script, one entry per call. */
function scripted<T>(answers: (T | KeyVaultError)[]) {
  let calls = 0;
  const read = async () => {
    const answer = answers[calls++];
    if (answer instanceof KeyVaultError) throw answer;
    return answer as T;
  };
  return { read, calls: () => calls };
}

const begin = <T>(steps: ReturnType<typeof softDeleteSteps<T>>) =>
  Poller.begin(steps, { name: 'n', isStarted: false, isCompleted: false }, { intervalInMs: 0 }, pollerObservables);

describe('resources/soft-delete: softDeleteSteps', () => {
  it('a NotFoundError while reading means "not yet": it polls again until the object is there', async () => {
    const reads = scripted([new NotFoundError('not yet', { code: 'SecretNotFound', statusCode: 404 }), 'read-back']);
    const poller = await begin(softDeleteSteps(async () => 'first answer', async () => reads.read()));
    expect(reads.calls()).to.equal(1); // begin's poll: the request, then one read (as Microsoft's)
    expect(await poller.pollUntilDone()).to.equal('read-back');
    expect(reads.calls()).to.equal(2);
  });

  it('a ForbiddenError while reading ends the poller with the first answer (the caller may not read it)', async () => {
    const reads = scripted<string>([new ForbiddenError('no get permission', { code: 'Forbidden', statusCode: 403 })]);
    const poller = await begin(softDeleteSteps(async () => 'first answer', async () => reads.read()));
    expect(await poller.pollUntilDone()).to.equal('first answer');
  });

  it('any other error ends the poller with that error; a duck-typed statusCode is not enough to pass', async () => {
    // The first poll reads once after the request (as Microsoft's), so begin itself rejects.
    const notTyped = Object.assign(new Error('looks like a 404'), { statusCode: 404 });
    expect(await begin(softDeleteSteps(async () => 'first answer', async () => { throw notTyped; })).catch((e: unknown) => e)).to.equal(notTyped);
    const reads = scripted<string>([new NotFoundError('not yet', { code: 'SecretNotFound', statusCode: 404 }), new ServiceError('boom', { code: 'InternalError', statusCode: 500 })]);
    const failing = await begin(softDeleteSteps(async () => 'x', async () => reads.read()));
    expect(await failing.pollUntilDone().catch((e: unknown) => (e as Error).message)).to.equal('boom');
    expect(failing.getOperationState()).to.include({ isStarted: true, isCompleted: true });
  });

  it('doneAtStart (soft-delete off) completes with the first answer without reading', async () => {
    const reads = scripted<string>([]);
    const poller = await begin(softDeleteSteps(async () => 'purged at once', async () => reads.read(), () => true));
    expect(poller.isDone()).to.equal(true);
    expect(await poller.pollUntilDone()).to.equal('purged at once');
    expect(reads.calls()).to.equal(0);
  });
});
