/**
 * Code written as a Microsoft-SDK user writes it, with one import line: `from 'keyvault-kit'`. It is
 * type-checked against keyvault-kit and against Microsoft's packages (spec/porting/tsconfig.*.json) and run
 * against the local vault with both (spec/porting/run.ts). What only compiles after the transport and poller
 * work lives in ./later.ts (its poller lines compile now and stay there as compile-only checks).
 */
import { isRestError, RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import {
  CertificateClient, CryptographyClient, DefaultCertificatePolicy, KeyClient, KnownContentType, KnownDeletionRecoveryLevel,
  KnownEncryptionAlgorithms, KnownKeyOperations, KnownKeyTypes, KnownSignatureAlgorithms, SecretClient, WellKnownIssuer, logger,
  parseKeyVaultCertificateIdentifier, parseKeyVaultKeyIdentifier, parseKeyVaultSecretIdentifier,
  type CertificateClientOptions, type CreateCertificateState, type CertificatePolicy, type CryptographyClientOptions, type DeletedSecret,
  type DecryptResult, type EncryptResult, type JsonWebKey, type KeyClientOptions, type KeyVaultCertificateIdentifier, type KeyVaultCertificateWithPolicy,
  type KeyVaultKey, type KeyVaultKeyIdentifier, type KeyVaultSecret, type KeyVaultSecretIdentifier, type PageSettings,
  type PagedAsyncIterableIterator, type PollerLike, type PollOperationState, type SecretClientOptions, type SecretPollerOptions, type SecretProperties,
} from 'keyvault-kit';

/** Everything the run reports; compared between the two implementations. */
export type Report = Record<string, unknown>;

/** What the runner gives: the vault, a credential, and each package's options for trusting the local vault. */
export interface Setup {
  vaultUrl: string;
  credential: TokenCredential;
  secretOptions: SecretClientOptions;
  keyOptions: KeyClientOptions;
  certificateOptions: CertificateClientOptions;
  cryptographyOptions: CryptographyClientOptions;
  /** A unique suffix for object names. */
  run: string;
}

/** Type annotations a real app writes (compile-time only). */
export function annotations(secrets: SecretClient): void {
  const kind: KnownKeyTypes = KnownKeyTypes.EC;
  const level: KnownDeletionRecoveryLevel = KnownDeletionRecoveryLevel.RecoverablePurgeable;
  const content: KnownContentType = KnownContentType.PEM;
  const listing: PagedAsyncIterableIterator<SecretProperties, SecretProperties[], PageSettings> = secrets.listPropertiesOfSecrets();
  const state: PollOperationState<DeletedSecret> | undefined = undefined;
  const pollerOptions: SecretPollerOptions = { intervalInMs: 0 };
  const ids: [KeyVaultSecretIdentifier, KeyVaultKeyIdentifier, KeyVaultCertificateIdentifier] = [
    parseKeyVaultSecretIdentifier('https://v.vault.azure.net/secrets/a/1'),
    parseKeyVaultKeyIdentifier('https://v.vault.azure.net/keys/a/1'),
    parseKeyVaultCertificateIdentifier('https://v.vault.azure.net/certificates/a/1'),
  ];
  const policy: CertificatePolicy = DefaultCertificatePolicy;
  const issuer: string = WellKnownIssuer.Self;
  void [kind, level, content, listing, state, pollerOptions, ids, policy, issuer, logger.info.enabled];
}

/** A catch block as Microsoft's samples write it. */
function caught(error: unknown, missingName: string): Report {
  const report: Report = { isRestError: isRestError(error), instanceofCoreRestError: error instanceof RestError };
  if (isRestError(error)) {
    Object.assign(report, {
      statusCode: error.statusCode,
      code: error.code,
      detailsCode: (error.details as { error?: { code?: string } } | undefined)?.error?.code,
      requestMethod: error.request?.method,
      requestUrlPathEnds: error.request ? new URL(error.request.url).pathname.endsWith(`/secrets/${missingName}/`) : undefined,
      requestHasAuthorization: error.request?.headers.has('authorization'),
      responseStatus: error.response?.status,
      responseHasRequestId: error.response?.headers.has('x-ms-request-id'),
    });
  }
  return report;
}

export async function secrets(setup: Setup): Promise<Report> {
  const client = new SecretClient(setup.vaultUrl, setup.credential, setup.secretOptions);
  const name = `port-secret-${setup.run}`;
  const set: KeyVaultSecret = await client.setSecret(name, 'hello', { contentType: 'text/plain', tags: { app: 'port' } });
  const got = await client.getSecret(name, { version: set.properties.version! });
  // Per-call options: a header and an attempt limit for this call, an AbortSignalLike that is no AbortSignal, the raw response.
  const raw: { status?: number; value?: unknown; headerRead?: boolean } = {};
  const signal = { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined };
  await client.getSecret(name, {
    requestOptions: { headers: { 'x-app': 'port' }, timeout: 10_000 },
    abortSignal: signal,
    tracingOptions: {},
    onResponse: (response) => {
      raw.status = response.status;
      raw.value = (response.parsedBody as { value?: unknown } | undefined)?.value;
      raw.headerRead = typeof response.headers.get('content-type') === 'string';
    },
  });
  await client.setSecret(name, 'again');
  const versions: string[] = [];
  for await (const properties of client.listPropertiesOfSecretVersions(name)) versions.push(properties.version!);
  let pages = 0;
  for await (const page of client.listPropertiesOfSecretVersions(name).byPage({ maxPageSize: 1 })) {
    pages++;
  }
  const backup = await client.backupSecret(name);
  const missingName = `port-missing-${setup.run}`;
  const missing = await client.getSecret(missingName).then(() => ({}), (error: unknown) => caught(error, missingName));
  // The untyped catch of older samples.
  let code: string | undefined;
  try {
    await client.getSecret(missingName);
  } catch (e: any) { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (e.name === 'RestError' && e.statusCode === 404) code = e.code;
  }
  // A poller watched, serialised, and resumed elsewhere.
  const poller = await client.beginDeleteSecret(name, { intervalInMs: 0 });
  let progressed = 0;
  poller.onProgress(() => progressed++);
  const resumedPoller = await client.beginDeleteSecret(name, { resumeFrom: poller.toString(), intervalInMs: 0 });
  const deleted: DeletedSecret = await poller.pollUntilDone();
  const resumedDeleted = await resumedPoller.pollUntilDone();
  const state = poller.getOperationState();
  const purged = await client.purgeDeletedSecret(name);
  return {
    value: got.value,
    contentType: got.properties.contentType,
    tags: got.properties.tags,
    versions: versions.length,
    pages,
    backupIsBuffer: Buffer.isBuffer(backup),
    missing,
    deletedName: deleted.name === name,
    untypedCatchCode: code,
    onResponse: raw,
    resumedPollerName: resumedDeleted.name === name,
    stateCompleted: state.isCompleted,
    progressed: progressed > 0 || poller.isDone(),
    deletedHasRecoveryId: typeof deleted.recoveryId,
    pollerDone: poller.isDone(),
    purged: purged === undefined ? 'undefined' : purged,
    parsed: parseKeyVaultSecretIdentifier(set.properties.id!).name === name,
  };
}

export async function keys(setup: Setup): Promise<Report> {
  const client = new KeyClient(setup.vaultUrl, setup.credential, setup.keyOptions);
  const name = `port-key-${setup.run}`;
  const key: KeyVaultKey = await client.createRsaKey(name, { keySize: 2048, keyOps: [KnownKeyOperations.Encrypt, KnownKeyOperations.Decrypt, KnownKeyOperations.Sign, KnownKeyOperations.Verify] });
  const crypto = new CryptographyClient(key, setup.credential, setup.cryptographyOptions);
  const encrypted: EncryptResult = await crypto.encrypt({ algorithm: KnownEncryptionAlgorithms.RSAOaep256, plaintext: Buffer.from('Marvin') });
  const decrypted: DecryptResult = await crypto.decrypt({ algorithm: KnownEncryptionAlgorithms.RSAOaep256, ciphertext: encrypted.result });
  const signed = await crypto.signData(KnownSignatureAlgorithms.RS256, Buffer.from('data'));
  const verified = await crypto.verifyData(KnownSignatureAlgorithms.RS256, Buffer.from('data'), signed.result);
  const jwk: JsonWebKey = key.key!;
  const random = await client.getRandomBytes(16).catch(() => undefined);
  const ec = await client.createKey(`${name}-ec`, KnownKeyTypes.EC, { curve: 'P-256' });
  const poller = await client.beginDeleteKey(`${name}-ec`, { intervalInMs: 0 });
  await poller.pollUntilDone();
  const purged = await client.purgeDeletedKey(`${name}-ec`);
  const parsed = parseKeyVaultKeyIdentifier(key.id!);
  return {
    decryptedText: decrypted.result.toString(),
    resultIsBuffer: Buffer.isBuffer(decrypted.result),
    ciphertextIsBuffer: Buffer.isBuffer(encrypted.result),
    verified: verified.result,
    jwkNIsBuffer: Buffer.isBuffer(jwk.n),
    randomIsBuffer: random === undefined ? 'unsupported' : Buffer.isBuffer(random),
    ecCurve: ec.key?.crv,
    purged: purged === undefined ? 'undefined' : purged,
    parsedName: parsed.name === name,
  };
}

export async function certificates(setup: Setup): Promise<Report> {
  const client = new CertificateClient(setup.vaultUrl, setup.credential, setup.certificateOptions);
  const name = `port-cert-${setup.run}`;
  const poller = await client.beginCreateCertificate(name, DefaultCertificatePolicy, { intervalInMs: 0 });
  const pending = poller.getResult();
  const state: CreateCertificateState = poller.getOperationState();
  const certificate: KeyVaultCertificateWithPolicy = await poller.pollUntilDone();
  const version = await client.getCertificateVersion(name, certificate.properties.version!);
  const names: string[] = [];
  for await (const properties of client.listPropertiesOfCertificates()) if (properties.name === name) names.push(properties.name);
  const deleting = await client.beginDeleteCertificate(name, { intervalInMs: 0 });
  await deleting.pollUntilDone();
  const purged = await client.purgeDeletedCertificate(name);
  return {
    pendingName: pending?.name === name,
    stateName: state.certificateName === name,
    subject: certificate.policy?.subject,
    cerIsBuffer: Buffer.isBuffer(certificate.cer),
    sameCer: Buffer.compare(Buffer.from(version.cer!), Buffer.from(certificate.cer!)) === 0,
    listed: names.length,
    purged: purged === undefined ? 'undefined' : purged,
    parsedCollection: parseKeyVaultCertificateIdentifier(certificate.properties.id!).name === name,
  };
}

/** How a promise settled: its value through `then`, or the error's message (the class differs between SDKs; the words do not). */
const settled = <T>(promise: Promise<T>, then: (value: T) => unknown = () => 'resolved'): Promise<unknown> =>
  promise.then(then, (error: unknown) => ({ rejected: (error as Error).message }));

/**
 * The poller patterns of Microsoft's samples and of real apps: a `PollerLike` annotation, `getOperationState`,
 * `onProgress` and its cancel function, `toString`/`resumeFrom`, `cancelOperation` (refused for delete and recover,
 * honoured for certificate creation), `stopPolling`/`isStopped`, `isDone`, `getResult`.
 */
export async function pollers(setup: Setup): Promise<Report> {
  const secrets = new SecretClient(setup.vaultUrl, setup.credential, setup.secretOptions);
  const certificates = new CertificateClient(setup.vaultUrl, setup.credential, setup.certificateOptions);
  const name = `port-poller-${setup.run}`;
  await secrets.setSecret(name, 'kept out of tokens');

  // Delete: held as core-lro's PollerLike, saved, resumed elsewhere, not cancellable.
  const deleting: PollerLike<PollOperationState<DeletedSecret>, DeletedSecret> = await secrets.beginDeleteSecret(name, { intervalInMs: 0 });
  const deleteState = deleting.getOperationState();
  const token = deleting.toString();
  const resumed = await secrets.beginDeleteSecret(name, { resumeFrom: token, intervalInMs: 0 });
  const resumedResult = await resumed.pollUntilDone();
  const deleteCancel = await settled(deleting.cancelOperation());
  const recovering = await secrets.beginRecoverDeletedSecret(name, { intervalInMs: 0 });
  const recoverCancel = await settled(recovering.cancelOperation());
  const recovered = await recovering.pollUntilDone();
  const recoverLive = await settled((async () => { // "make sure it is live": recovering what is not deleted
    const again = await secrets.beginRecoverDeletedSecret(name, { intervalInMs: 0 });
    return { done: again.isDone(), name: (await again.pollUntilDone()).name === name };
  })(), (value) => value);

  // Certificate creation at an issuer that never answers: watched, saved, resumed, stopped, cancelled.
  const issuer = `port-offline-${setup.run}`;
  await certificates.createIssuer(issuer, 'Test', { accountId: 'acct' });
  const certificateName = `port-pending-${setup.run}`;
  const creating = await certificates.beginCreateCertificate(certificateName, { issuerName: issuer, subject: 'CN=port' }, { intervalInMs: 0 });
  let progress = 0;
  let cancelledProgress = 0;
  creating.onProgress(() => progress++);
  const stopProgress = creating.onProgress(() => cancelledProgress++);
  stopProgress();
  await creating.poll();
  const { certificateName: stateName, isStarted, isCompleted } = creating.getOperationState(); // Microsoft's is a copy, ours live: read now
  const operation = await certificates.getCertificateOperation(certificateName, { resumeFrom: creating.toString(), intervalInMs: 0 });
  const stoppedBefore = creating.isStopped();
  const running = creating.pollUntilDone();
  const stoppedWhileRunning = creating.isStopped();
  creating.stopPolling();
  const stop = await running.then(() => 'resolved', (error: unknown) => (error as Error).name);
  await creating.poll(); // the poll that was in flight when polling stopped
  const stoppedAfter = creating.isStopped();
  await creating.cancelOperation();
  const cancelled = await creating.pollUntilDone().then(() => 'resolved', (error: unknown) => (error as Error).name);

  return {
    deleteState: { isStarted: deleteState.isStarted, isCompleted: deleteState.isCompleted, resultName: deleteState.result?.name === name },
    deleteStateKeys: Object.keys(deleteState).sort(),
    tokenKeys: Object.keys(JSON.parse(token)),
    tokenStateKeys: Object.keys(JSON.parse(token).state).sort(),
    tokenHasValue: token.includes('kept out of tokens'),
    resumedDone: resumed.isDone(),
    resumedName: resumedResult.name === name,
    resumedDeletedOnIsDate: resumedResult.deletedOn instanceof Date,
    deleteCancel,
    recoverCancel,
    recoveredName: recovered.name === name,
    recoverLive,
    pendingName: creating.getResult()?.name === certificateName,
    // Microsoft's leaves isCompleted unset until the end; ours is always a boolean (`if (!state.isCompleted)` reads the same).
    createState: { certificateName: stateName === certificateName, isStarted, isCompleted: Boolean(isCompleted) },
    progressCalled: progress > 0,
    cancelledProgress,
    resumedOperation: { status: operation.getOperationState().certificateOperation?.status, isDone: operation.isDone(), isStarted: operation.getOperationState().isStarted },
    stopped: { before: stoppedBefore, whileRunning: stoppedWhileRunning, error: stop, after: stoppedAfter },
    cancelled: { isCancelled: creating.getOperationState().isCancelled, isDone: creating.isDone(), error: cancelled, isStopped: creating.isStopped() },
  };
}
