/**
 * Code written as a Microsoft-SDK user writes it, with one import line: `from 'keyvault-kit'`. It is
 * type-checked against keyvault-kit and against Microsoft's packages (spec/porting/tsconfig.*.json) and run
 * against the local vault with both (spec/porting/run.ts). What only compiles after the transport and poller
 * work lives in ./later.ts.
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
  type PagedAsyncIterableIterator, type PollOperationState, type SecretClientOptions, type SecretPollerOptions, type SecretProperties,
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
