/**
 * Raw REST models that Microsoft's `@azure/keyvault-certificates` re-exports (no public method of theirs or ours
 * takes or returns them), and the poller names of that package: declared so that annotations using them port.
 */
import type { OperationOptions } from '../core/options.js';
import type { PollOperationState } from '../polling/poller.js';
import type { PollerLike } from '../polling/poller-like.js';
import type { KeyUsageType } from './models.js';

/** The body of a certificate backup (`backupCertificate` returns the bytes themselves). */
export interface BackupCertificateResult { readonly value?: Uint8Array }
/** An issuer's parameters inside a policy, as on the wire. */
export interface IssuerParameters { name?: string; certificateType?: string; certificateTransparency?: boolean }
/** An issuer's credentials, as on the wire. */
export interface IssuerCredentials { accountId?: string; password?: string }
/** An issuer's attributes, as on the wire. */
export interface IssuerAttributes { enabled?: boolean; readonly created?: Date; readonly updated?: Date }
/** The REST shape of subject alternative names (all kinds optional). */
export interface CoreSubjectAlternativeNames { emails?: string[]; dnsNames?: string[]; upns?: string[]; uris?: string[]; ipAddresses?: string[] }
/** The REST shape of a policy's X.509 part. */
export interface X509CertificateProperties {
  subject?: string;
  ekus?: string[];
  subjectAlternativeNames?: CoreSubjectAlternativeNames;
  keyUsage?: KeyUsageType[];
  validityInMonths?: number;
}
/** Options of Microsoft's internal plain `getCertificateOperation` (no public method uses it). */
export type GetPlainCertificateOperationOptions = OperationOptions;
/** The state every certificate poller carries. */
export interface KeyVaultCertificatePollOperationState<TResult> extends PollOperationState<TResult> {
  certificateName: string;
}
/** Microsoft's alias of `PollerLike` in the certificates package. */
export type KVPollerLike<TState extends PollOperationState<TResult>, TResult> = PollerLike<TState, TResult>;
