/**
 * Microsoft's three packages behind one module, so that the porting app's `import ... from 'keyvault-kit'`
 * can be pointed at them (tsconfig.microsoft.json, and the `--microsoft` run). Names that more than one of
 * them export are taken from one, explicitly (an `export *` clash would drop them).
 */
export * from '@azure/keyvault-secrets';
export * from '@azure/keyvault-keys';
export * from '@azure/keyvault-certificates';
export { logger, KnownDeletionRecoveryLevel, parseKeyVaultSecretIdentifier } from '@azure/keyvault-secrets';
export type { PollerLike, PollOperationState, PagedAsyncIterableIterator, PageSettings, DeletionRecoveryLevel } from '@azure/keyvault-secrets';
export type { KeyVaultCertificateIdentifier } from '@azure/keyvault-certificates';
