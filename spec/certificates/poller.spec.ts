import { expect } from 'chai';
import { AbortError, CertificateOperationFailedError, NotFoundError, type CertificateOperation, type KeyVaultCertificateWithPolicy } from '../../lib/index.js';
import { CertificateOperationPoller, type CertificateOperationRequests } from '../../lib/certificates/poller.js';

const certificate: KeyVaultCertificateWithPolicy = { name: 'c1', properties: { name: 'c1', version: 'v1' } };

/** Requests answered from a script of operation statuses, recording what was asked. */
function scripted(statuses: string[], options: { certificate?: () => Promise<KeyVaultCertificateWithPolicy>; cancelStatus?: string } = {}) {
  const asked: string[] = [];
  const next = (kind: string): CertificateOperation => {
    asked.push(kind);
    const status = statuses.shift();
    if (!status) throw new Error(`no more answers for ${kind}`);
    return { status, name: 'c1' };
  };
  const requests: CertificateOperationRequests = {
    start: async () => next('start'),
    read: async () => next('read'),
    getCertificate: async () => { asked.push('certificate'); return options.certificate ? options.certificate() : certificate; },
    cancel: async () => { asked.push('cancel'); return { status: options.cancelStatus ?? 'inProgress', cancellationRequested: true }; },
  };
  return { requests, asked };
}

describe('CertificateOperationPoller', () => {
  it('starts, reads until the operation leaves inProgress, then reads the certificate', async () => {
    const { requests, asked } = scripted(['inProgress', 'inProgress', 'completed']);
    const poller = await CertificateOperationPoller.start(requests, 'c1', { intervalInMs: 0 });
    expect(asked).to.deep.equal(['start']);
    expect(await poller.pollUntilDone()).to.equal(certificate);
    expect(asked).to.deep.equal(['start', 'read', 'read', 'certificate']);
    expect(poller.getOperationState()).to.include({ isStarted: true, isCompleted: true, certificateName: 'c1' });
    expect(poller.getOperationState()).to.not.have.property('error');
  });

  it('cancelOperation on a finished poller sends nothing; on a pending one it records the answer', async () => {
    const done = scripted(['completed']);
    const finished = await CertificateOperationPoller.start(done.requests, 'c1', { intervalInMs: 0 });
    await finished.cancelOperation();
    expect(done.asked).to.deep.equal(['start', 'certificate']);

    const pending = scripted(['inProgress']);
    const poller = await CertificateOperationPoller.start(pending.requests, 'c1', { intervalInMs: 0 });
    await poller.cancelOperation();
    expect(pending.asked).to.deep.equal(['start', 'cancel']);
    expect(poller.isDone()).to.equal(false);
    expect(poller.getOperationState().certificateOperation?.cancellationRequested).to.equal(true);
  });

  it('a cancel the vault applies at once ends the poller cancelled, tolerating a missing certificate', async () => {
    const { requests } = scripted(['inProgress'], {
      cancelStatus: 'cancelled',
      certificate: async () => { throw new NotFoundError('gone', { code: 'CertificateNotFound', statusCode: 404 }); },
    });
    const poller = await CertificateOperationPoller.start(requests, 'c1', { intervalInMs: 0 });
    await poller.cancelOperation();
    expect(poller.getOperationState()).to.include({ isCompleted: true, isCancelled: true });
    const error = await poller.pollUntilDone().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CertificateOperationFailedError).with.property('code', 'OperationCancelled');
  });

  it('a completed operation whose certificate cannot be read is an error, not a silent success', async () => {
    const { requests } = scripted(['completed'], { certificate: async () => { throw new NotFoundError('gone', { code: 'CertificateNotFound', statusCode: 404 }); } });
    const error = await CertificateOperationPoller.start(requests, 'c1', { intervalInMs: 0 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotFoundError);
  });

  it('an error on an inProgress operation fails it; statuses are matched without case', async () => {
    const failing = scripted([]);
    failing.requests.start = async () => ({ status: 'InProgress', error: { code: 'Boom', message: 'it broke' } });
    const poller = await CertificateOperationPoller.start(failing.requests, 'c1', { intervalInMs: 0 });
    expect(poller.isDone()).to.equal(true);
    expect(await poller.pollUntilDone().catch((e: unknown) => e)).to.include({ code: 'Boom', message: 'it broke' });
    const upper = scripted(['COMPLETED']);
    expect(await (await CertificateOperationPoller.start(upper.requests, 'c1', { intervalInMs: 0 })).pollUntilDone()).to.equal(certificate);
  });

  it('toString carries only the name and whether it started; a resumed poller reads again (one poll in start, as Microsoft\'s)', async () => {
    const first = scripted(['inProgress']);
    const poller = await CertificateOperationPoller.start(first.requests, 'c1', { intervalInMs: 0 });
    const saved = poller.toString();
    expect(JSON.parse(saved)).to.deep.equal({ state: { certificateName: 'c1', isStarted: true, isCompleted: false } });
    const second = scripted(['completed']);
    const resumed = await CertificateOperationPoller.start(second.requests, 'c1', { resumeFrom: saved, intervalInMs: 0 });
    expect(second.asked).to.deep.equal(['read', 'certificate']);
    expect(await resumed.pollUntilDone()).to.equal(certificate);
    expect(second.asked).to.deep.equal(['read', 'certificate']);
  });

  it('an aborted wait between polls rejects with AbortError and leaves the operation pending', async () => {
    const { requests } = scripted(['inProgress', 'inProgress']);
    const poller = await CertificateOperationPoller.start(requests, 'c1', { intervalInMs: 60_000 });
    const controller = new AbortController();
    const done = poller.pollUntilDone({ abortSignal: controller.signal });
    controller.abort();
    expect(await done.catch((e: unknown) => e)).to.be.instanceOf(AbortError);
    expect(poller.isDone()).to.equal(false);
  });
});
