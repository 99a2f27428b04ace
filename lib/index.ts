// keyvault-kit: the single entry point. Public exports only.
export { KeyVaultClient, VaultClient } from './keyvault-client.js';
export { SecretClient } from './secrets/secret-client.js';
export type * from './secrets/models.js';
export { KnownContentType } from './secrets/models.js';
export { KeyClient } from './keys/key-client.js';
export { CryptographyClient } from './keys/cryptography/client.js';
export type * from './keys/models.js';
export type * from './keys/cryptography/models.js';
export { KnownKeyTypes, KnownKeyOperations, KnownKeyCurveNames, KnownDeletionRecoveryLevel, KnownDeletionRecoveryLevel as KnownDeletionRecoveryLevels, KnownKeyExportEncryptionAlgorithm } from './keys/models.js';
export { KnownEncryptionAlgorithms, KnownSignatureAlgorithms } from './keys/cryptography/models.js';
export { LocalCryptographyUnsupportedError, CryptographyError, type CryptographyProvider } from './keys/cryptography/provider.js';
export type { CryptographyOperation } from './keys/cryptography/algorithms.js';
export { CertificateClient } from './certificates/certificate-client.js';
export type * from './certificates/models.js';
export { WellKnownIssuer, KnownCertificateKeyTypes, KnownCertificateKeyCurveNames, KnownKeyUsageTypes } from './certificates/models.js';
export type * from './certificates/rest-models.js';
export { DefaultCertificatePolicy } from './certificates/policy.js';
export { CertificateOperationPoller, CertificateOperationFailedError, PollerCancelledError } from './certificates/poller.js';
export { CertificateWithPrivateKey } from './certificates/private-key.js';

export type { KeyVaultClientOptions, OperationOptions, RetryOptions, ApiVersion, AdditionalPolicyConfig, KeepAliveOptions, RedirectOptions } from './core/options.js';
export type {
  FullOperationResponse, OperationRequest, OperationRequestOptions, OperationTracingOptions, RawHttpHeaders, RawResponseCallback, TracingContext,
} from './core/options.js';
export type { TokenCredential, AccessToken, GetTokenOptions } from './core/auth/challenge-auth.js';
export type { Logger } from './core/logger.js';
export { logger } from './telemetry/logger.js';
export {
  KeyVaultError, BadRequestError, AuthenticationError, ForbiddenError, NotFoundError, ConflictError, ThrottledError,
  ServiceError, NetworkError, TimeoutError, AbortError, ValidationError, RestError, isRestError, type RestErrorOptions,
} from './core/errors.js';
export type { HttpHeadersLike, PipelineRequestLike, PipelineResponseLike } from './core/http-shapes.js';
export { parseKeyVaultId, parseKeyVaultSecretIdentifier, parseKeyVaultKeyIdentifier, parseKeyVaultCertificateIdentifier, type KeyVaultIdentifier } from './identifiers/index.js';
export type { PagedAsyncIterableIterator, Page, PageSettings, ListOptions } from './paging/paged.js';
export { Poller, PollerStoppedError, type PollOperationState, type PollerOptions, type DeleteRecoverState } from './polling/poller.js';
export type { PollerLike, AbortSignalLike, CancelOnProgress } from './polling/poller-like.js';
export type { ObservableTwins } from './rx/twins.js';
export type { ConfigSpec, ConfigSource, SecretSource, KeySource, CertificateSource, ConfigOf, ValueOf, ConfigUpdate, ConfigStatus, ConfigOptions, ConfigObservable, ConfigClock } from './config/spec.js';
export { ConfigError } from './config/store.js';
export { handleEventGrid, toKeyVaultEvent, type EventGridRequest, type EventGridResponse, type EventGridHandlerOptions } from './events/handler.js';
export { EventGridReceiver } from './events/receiver.js';
export { KeyVaultEventTypes, type KeyVaultEvent, type KeyVaultEventData, type KeyVaultEventType } from './events/models.js';
