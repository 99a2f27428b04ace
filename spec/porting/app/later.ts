/**
 * Microsoft-style code that needs the transport and poller work still to come. Every line that does not compile
 * against keyvault-kit yet carries a `// later:` note saying what it waits for; spec/porting/porting.spec.ts checks
 * that the errors against keyvault-kit are exactly on those lines (and none against Microsoft's packages), so a
 * line whose feature lands must lose its note and the list only shrinks.
 */
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import type { AbortSignalLike } from '@azure/abort-controller';
import type { TokenCredential } from '@azure/core-auth';
import {
  CertificateClient, KeyClient, SecretClient, DefaultCertificatePolicy,
  type CertificateClientOptions, type DeletedSecret, type KeyClientOptions, type KeyVaultCertificateWithPolicy, type PollerLike,
  type PollOperationState, type SecretClientOptions,
} from 'keyvault-kit';

const addHeader: PipelinePolicy = {
  name: 'addHeader',
  sendRequest: (request: PipelineRequest, next): Promise<PipelineResponse> => {
    request.headers.set('x-app', 'port');
    return next(request);
  },
};

/** Every client option a real app sets. */
export function clientOptions(vaultUrl: string, credential: TokenCredential): unknown[] {
  // One option per object: the compiler names only the first unknown property of an object literal.
  const secretOptions: SecretClientOptions[] = [
    { serviceVersion: '7.5' },
    { retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1000 } },
    { userAgentOptions: { userAgentPrefix: 'port-app' } },
    { additionalPolicies: [{ policy: addHeader, position: 'perCall' }] },
    { proxyOptions: { host: 'http://127.0.0.1', port: 3128 } },
    { keepAliveOptions: { enable: true } },
    { redirectOptions: { handleRedirects: false } },
    { telemetryOptions: { clientRequestIdHeaderName: 'x-ms-client-request-id' } },
    { disableChallengeResourceVerification: false, allowInsecureConnection: false },
  ];
  const keyOptions: KeyClientOptions = { serviceVersion: '7.6' };
  const certificateOptions: CertificateClientOptions = { serviceVersion: '7.6' };
  return [
    ...secretOptions.map((options) => new SecretClient(vaultUrl, credential, options)),
    new KeyClient(vaultUrl, credential, keyOptions),
    new CertificateClient(vaultUrl, credential, certificateOptions),
  ];
}

/** Per-call options. */
export async function perCall(client: SecretClient, signal: AbortSignalLike): Promise<void> {
  await client.getSecret('a', { requestOptions: { timeout: 5000, headers: { 'x-app': 'port' } } });
  await client.getSecret('a', { onResponse: (raw, flat) => console.log(raw.status, raw.headers.get('x-ms-request-id'), flat) });
  await client.getSecret('a', { tracingOptions: {} });
  await client.getSecret('a', { abortSignal: signal });
}

/** Pollers held as core-lro's PollerLike, and cancelled. */
export async function pollers(secrets: SecretClient, certificates: CertificateClient): Promise<void> {
  const deleting: PollerLike<PollOperationState<DeletedSecret>, DeletedSecret> = await secrets.beginDeleteSecret('a');
  await deleting.cancelOperation();
  const creating: PollerLike<PollOperationState<KeyVaultCertificateWithPolicy>, KeyVaultCertificateWithPolicy> = await certificates.beginCreateCertificate('c', DefaultCertificatePolicy);
  await creating.cancelOperation();
  const recovering = await secrets.beginRecoverDeletedSecret('a');
  await recovering.cancelOperation();
}
