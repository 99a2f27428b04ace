import { expect } from 'chai';
import { CertificateClient as MsCertificateClient } from '@azure/keyvault-certificates';
import { SecretClient as MsSecretClient } from '@azure/keyvault-secrets';
import { CertificateClient, SecretClient } from '../../lib/index.js';
import { azureOptions } from '../emulator/azure-clients.js';
import { fakeCredential } from '../helpers/credential.js';
import { useVault } from '../helpers/vault.js';

/** Resume tokens cross over: Microsoft's poller's toString() resumes ours, and ours resumes theirs. */
describe('resume tokens between Microsoft\'s pollers and ours, against the local vault', function () {
  this.timeout(120_000);
  const vault = useVault();
  const clients = () => ({
    ours: new SecretClient(vault().url, fakeCredential(), { ca: vault().ca }),
    theirs: new MsSecretClient(vault().url, fakeCredential(), azureOptions(vault())),
  });

  it('both write {"state":{...}} with the same keys for the same delete', async () => {
    const { ours, theirs } = clients();
    await ours.setSecret('shape-a', 'v');
    await ours.setSecret('shape-b', 'v');
    const mine = JSON.parse((await ours.beginDeleteSecret('shape-a', { intervalInMs: 0 })).toString());
    const microsofts = JSON.parse((await theirs.beginDeleteSecret('shape-b', { intervalInMs: 0 })).toString());
    expect(Object.keys(mine)).to.deep.equal(['state']);
    expect(Object.keys(mine.state).sort()).to.deep.equal(Object.keys(microsofts.state).sort());
    expect(Object.keys(mine.state.result).sort()).to.deep.equal(Object.keys(microsofts.state.result).sort());
    expect(mine.state).to.deep.include({ name: 'shape-a', isStarted: true, isCompleted: true });
    expect(microsofts.state).to.deep.include({ name: 'shape-b', isStarted: true, isCompleted: true });
  });

  it('Microsoft\'s token resumes in ours (started: no second DELETE), and ours in theirs', async () => {
    const { ours, theirs } = clients();
    await ours.setSecret('cross-a', 'v');
    const started = await theirs.beginDeleteSecret('cross-a', { intervalInMs: 0 });
    // A token written mid-operation: Microsoft's state with the DELETE sent and the deleted secret not read yet.
    const token = JSON.stringify({ state: { ...JSON.parse(started.toString()).state, isCompleted: false, result: undefined } });
    const resumed = await ours.beginDeleteSecret('cross-a', { resumeFrom: token, intervalInMs: 0 });
    const deleted = await resumed.pollUntilDone();
    expect(deleted.name).to.equal('cross-a');
    expect(deleted.deletedOn).to.be.instanceOf(Date);

    await ours.setSecret('cross-b', 'v');
    const mine = await ours.beginDeleteSecret('cross-b', { intervalInMs: 0 });
    const theirsResumed = await theirs.beginDeleteSecret('cross-b', { resumeFrom: mine.toString(), intervalInMs: 0 });
    expect(theirsResumed.isDone()).to.equal(true);
    expect((await theirsResumed.pollUntilDone()).name).to.equal('cross-b');
  });

  it('a certificate operation: Microsoft\'s token resumes in ours and ours in theirs', async () => {
    const ours = new CertificateClient(vault().url, fakeCredential(), { ca: vault().ca });
    const theirs = new MsCertificateClient(vault().url, fakeCredential(), azureOptions(vault()));
    await ours.createIssuer('offline', 'Test', { accountId: 'acct' });
    const policy = { issuerName: 'offline', subject: 'CN=tokens' };
    const microsofts = await theirs.beginCreateCertificate('tokens-c', policy, { intervalInMs: 0 });
    const resumedHere = await ours.getCertificateOperation('tokens-c', { resumeFrom: microsofts.toString(), intervalInMs: 0 });
    expect(resumedHere.getOperationState()).to.deep.include({ certificateName: 'tokens-c', isStarted: true, isCompleted: false });
    expect(resumedHere.getOperationState().certificateOperation?.status).to.equal('inProgress');
    const resumedThere = await theirs.getCertificateOperation('tokens-c', { resumeFrom: resumedHere.toString(), intervalInMs: 0 });
    expect(resumedThere.getOperationState()).to.deep.include({ certificateName: 'tokens-c', isStarted: true, isCompleted: false });
    expect(resumedThere.isDone()).to.equal(false);
  });
});
