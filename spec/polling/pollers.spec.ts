import { expect } from 'chai';
import {
  CertificateOperationFailedError, KeyVaultClient, KeyVaultError, PollerCancelledError, type DeletedSecret,
} from '../../lib/index.js';
import { countingCredential } from '../helpers/mock.js';
import { useVault } from '../helpers/vault.js';

/** The eight pollers against the local vault, through the PollerLike members Microsoft's code uses. */
describe('pollers as PollerLike, against the local vault', function () {
  this.timeout(120_000);
  const vault = useVault();
  let kv: KeyVaultClient;
  before(() => {
    kv = new KeyVaultClient(vault().url, countingCredential('local-token').credential, { ca: vault().ca, retry: { backoffMs: 1 } });
  });
  const messageOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => [(e as Error).constructor.name, (e as Error).message, (e as KeyVaultError).code]);

  it('delete and recover pollers of all three resources: cancelOperation rejects with Microsoft\'s message and the operation goes on', async () => {
    await kv.secrets.setSecret('cancel-s', 'v');
    await kv.keys.createKey('cancel-k', 'EC');
    await (await kv.certificates.beginCreateCertificate('cancel-c', { issuerName: 'Self', subject: 'CN=c' }, { intervalInMs: 0 })).pollUntilDone();
    const resources = [
      { noun: 'secret', del: () => kv.secrets.beginDeleteSecret('cancel-s', { intervalInMs: 0 }), recover: () => kv.secrets.beginRecoverDeletedSecret('cancel-s', { intervalInMs: 0 }) },
      { noun: 'key', del: () => kv.keys.beginDeleteKey('cancel-k', { intervalInMs: 0 }), recover: () => kv.keys.beginRecoverDeletedKey('cancel-k', { intervalInMs: 0 }) },
      { noun: 'certificate', del: () => kv.certificates.beginDeleteCertificate('cancel-c', { intervalInMs: 0 }), recover: () => kv.certificates.beginRecoverDeletedCertificate('cancel-c', { intervalInMs: 0 }) },
    ];
    for (const { noun, del, recover } of resources) {
      const deleting = await del();
      expect(await messageOf(deleting.cancelOperation()), noun).to.deep.equal(['KeyVaultError', `Canceling the deletion of a ${noun} is not supported.`, 'CancelNotSupported']);
      expect((await deleting.pollUntilDone()).name, noun).to.equal(`cancel-${noun[0]}`);
      const recovering = await recover();
      expect(await messageOf(recovering.cancelOperation()), noun).to.deep.equal(['KeyVaultError', `Canceling the recovery of a deleted ${noun} is not supported.`, 'CancelNotSupported']);
      expect((await recovering.pollUntilDone()).name, noun).to.equal(`cancel-${noun[0]}`);
    }
  });

  it('resumes from a token in Microsoft\'s shape without sending the delete again; its own token round-trips with real dates', async () => {
    await kv.secrets.setSecret('resume-s', 'v');
    const deleting = await kv.secrets.beginDeleteSecret('resume-s', { intervalInMs: 0 });
    await deleting.pollUntilDone();
    // What Microsoft's DeleteSecretPoller writes once the DELETE was sent: `JSON.stringify({ state })`.
    const microsofts = JSON.stringify({ state: { name: 'resume-s', isStarted: true } });
    const resumed = await kv.secrets.beginDeleteSecret('resume-s', { resumeFrom: microsofts, intervalInMs: 0 });
    const deleted: DeletedSecret = await resumed.pollUntilDone(); // a second DELETE would be a 404
    expect(deleted.name).to.equal('resume-s');
    expect(deleted.deletedOn).to.be.instanceOf(Date);
    // Ours, after completion: JSON carries the result; the resumed poller gives it back with Dates.
    const token = resumed.toString();
    expect(JSON.parse(token).state).to.deep.include({ name: 'resume-s', isStarted: true, isCompleted: true });
    expect(token).to.not.include('"v"'); // the secret's value is not enumerable: never in a token
    const again = await kv.secrets.beginDeleteSecret('resume-s', { resumeFrom: token });
    expect(again.isDone()).to.equal(true);
    const result = await again.pollUntilDone();
    expect(result.deletedOn!.getTime()).to.equal(deleted.deletedOn!.getTime());
    expect(result.properties.createdOn!.getTime()).to.equal(deleted.properties.createdOn!.getTime());
  });

  it('a certificate operation resumes from Microsoft\'s token; a cancelled one rejects with a PollerCancelledError (core-lro\'s name)', async () => {
    await kv.certificates.createIssuer('offline', 'Test', { accountId: 'acct' });
    const creating = await kv.certificates.beginCreateCertificate('pending-c', { issuerName: 'offline', subject: 'CN=p' }, { intervalInMs: 0 });
    // Microsoft's CreateCertificatePoller token: cleanState(), result and all.
    const microsofts = JSON.stringify({ state: { certificateName: 'pending-c', isStarted: true, isCompleted: false, result: { name: 'pending-c' } } });
    const resumed = await kv.certificates.getCertificateOperation('pending-c', { resumeFrom: microsofts, intervalInMs: 0 });
    expect(resumed.getOperationState().certificateOperation?.status).to.equal('inProgress');
    expect(resumed.isStopped()).to.equal(true);
    await resumed.cancelOperation();
    const error = await resumed.pollUntilDone().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PollerCancelledError).and.instanceOf(CertificateOperationFailedError);
    expect(error).to.include({ name: 'PollerCancelledError', code: 'OperationCancelled' });
    expect(resumed.getOperationState()).to.include({ isCancelled: true, isCompleted: true });
    expect([resumed.isDone(), resumed.isStopped()]).to.deep.equal([true, true]);
    // The first poller learns it on its next poll, and is stopped once its loop ended badly (as core-lro's).
    expect(await creating.pollUntilDone().catch((e: unknown) => (e as Error).name)).to.equal('PollerCancelledError');
    expect(creating.isStopped()).to.equal(true);
  });

  it('recovering an object that is live already resolves with it and sends no recover (as Microsoft\'s: it reads first)', async () => {
    await kv.secrets.setSecret('live-s', 'v');
    await kv.keys.createKey('live-k', 'EC');
    const secret = await kv.secrets.beginRecoverDeletedSecret('live-s', { intervalInMs: 0 });
    expect(secret.isDone()).to.equal(true);
    expect((await secret.pollUntilDone()).name).to.equal('live-s');
    const key = await kv.keys.beginRecoverDeletedKey('live-k', { intervalInMs: 0 });
    expect((await key.pollUntilDone()).name).to.equal('live-k');
    // Neither deleted nor live: the recover is sent and the service's 404 comes back.
    const error = await kv.secrets.beginRecoverDeletedSecret('never-was', { intervalInMs: 0 }).catch((e: unknown) => e);
    expect(error).to.include({ statusCode: 404, code: 'SecretNotFound' });
    expect((error as KeyVaultError).path).to.equal('/deletedsecrets/never-was/recover');
  });
});
