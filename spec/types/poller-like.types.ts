// Compile-only: `npm test` type-checks this file; each @ts-expect-error must stay an error.
// Every poller of ours is assignable to the types Microsoft's clients return: core-lro's `PollerLike` (v2, the
// "legacy" interface their Key Vault packages use) and keyvault-certificates' `PollerLikeWithCancellation`, with
// our models and with Microsoft's (code that annotates a variable with their types keeps compiling).
import type { PollerLike, PollOperationState } from '@azure/core-lro';
import type * as MsSecrets from '@azure/keyvault-secrets';
import type * as MsKeys from '@azure/keyvault-keys';
import type * as MsCertificates from '@azure/keyvault-certificates';
import {
  CertificateClient, KeyClient, SecretClient,
  type DeletedCertificate, type DeletedKey, type DeletedSecret, type KeyVaultCertificateWithPolicy, type KeyVaultKey, type SecretProperties,
} from '../../lib/index.js';

declare const secrets: SecretClient;
declare const keys: KeyClient;
declare const certificates: CertificateClient;

// With our models.
export const s1: PollerLike<PollOperationState<DeletedSecret>, DeletedSecret> = await secrets.beginDeleteSecret('n');
export const s2: PollerLike<PollOperationState<SecretProperties>, SecretProperties> = await secrets.beginRecoverDeletedSecret('n');
export const k1: PollerLike<PollOperationState<DeletedKey>, DeletedKey> = await keys.beginDeleteKey('n');
export const k2: PollerLike<PollOperationState<KeyVaultKey>, KeyVaultKey> = await keys.beginRecoverDeletedKey('n');
export const c1: PollerLike<PollOperationState<KeyVaultCertificateWithPolicy>, KeyVaultCertificateWithPolicy> = await certificates.beginCreateCertificate('n', { issuerName: 'Self', subject: 'CN=n' });
export const c2: PollerLike<PollOperationState<KeyVaultCertificateWithPolicy>, KeyVaultCertificateWithPolicy> = await certificates.getCertificateOperation('n');
export const c3: PollerLike<PollOperationState<DeletedCertificate>, DeletedCertificate> = await certificates.beginDeleteCertificate('n');
export const c4: PollerLike<PollOperationState<KeyVaultCertificateWithPolicy>, KeyVaultCertificateWithPolicy> = await certificates.beginRecoverDeletedCertificate('n');

// With Microsoft's models and state types: exactly the return types of their methods.
export const m1: PollerLike<PollOperationState<MsSecrets.DeletedSecret>, MsSecrets.DeletedSecret> = await secrets.beginDeleteSecret('n');
export const m2: PollerLike<PollOperationState<MsSecrets.SecretProperties>, MsSecrets.SecretProperties> = await secrets.beginRecoverDeletedSecret('n');
export const m3: PollerLike<PollOperationState<MsKeys.DeletedKey>, MsKeys.DeletedKey> = await keys.beginDeleteKey('n');
export const m4: PollerLike<PollOperationState<MsKeys.DeletedKey>, MsKeys.DeletedKey> = await keys.beginRecoverDeletedKey('n');
export const m5: MsCertificates.PollerLikeWithCancellation<MsCertificates.CreateCertificateState, MsCertificates.KeyVaultCertificateWithPolicy> = await certificates.beginCreateCertificate('n', { issuerName: 'Self', subject: 'CN=n' });
export const m6: MsCertificates.PollerLikeWithCancellation<MsCertificates.CertificateOperationState, MsCertificates.KeyVaultCertificateWithPolicy> = await certificates.getCertificateOperation('n');
export const m7: MsCertificates.PollerLike<MsCertificates.DeleteCertificateState, MsCertificates.DeletedCertificate> = await certificates.beginDeleteCertificate('n');
export const m8: MsCertificates.PollerLike<MsCertificates.RecoverDeletedCertificateState, MsCertificates.KeyVaultCertificateWithPolicy> = await certificates.beginRecoverDeletedCertificate('n');

// The members Microsoft's code calls, with their types.
export const cancel: () => void = s1.onProgress(() => undefined);
export const token: string = s1.toString();
export const stopped: boolean = s1.isStopped();
export const cancelled: Promise<void> = s1.cancelOperation({ abortSignal: new AbortController().signal });
export const resumed: Promise<PollerLike<PollOperationState<DeletedSecret>, DeletedSecret>> = secrets.beginDeleteSecret('n', { resumeFrom: token, intervalInMs: 0 });

// The check has teeth: a poller is not assignable to a PollerLike of another result type.
// @ts-expect-error a DeletedSecret is not a string
export const wrong: PollerLike<PollOperationState<string>, string> = await secrets.beginDeleteSecret('n');
