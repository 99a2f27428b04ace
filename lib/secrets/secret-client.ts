import type { Observable } from 'rxjs';
import { ResourceClient } from '../resources/resource-client.js';
import { send, perCallOf } from '../core/operation.js';
import { ValidationError } from '../core/errors.js';
import { checkName } from '../core/validate.js';
import { pagedList, type PagedAsyncIterableIterator } from '../paging/paged.js';
import type { DeleteRecoverState, Poller } from '../polling/poller.js';
import { softDeleteLifecycle } from '../resources/soft-delete.js';
import { fromCall } from '../rx/from-call.js';
import { realClock, watch$ } from '../rx/refresher.js';
import { fromPaged } from '../rx/from-paged.js';
import { fromPoller } from '../rx/from-poller.js';
import type { ObservableTwins } from '../rx/twins.js';
import { toAttributes, compact } from '../wire/codecs.js';
import type {
  BackupSecretOptions, BeginDeleteSecretOptions, BeginRecoverDeletedSecretOptions, DeletedSecret, GetDeletedSecretOptions,
  GetSecretOptions, KeyVaultSecret, ListDeletedSecretsOptions, ListPropertiesOfSecretsOptions, ListPropertiesOfSecretVersionsOptions,
  PurgeDeletedSecretOptions, RestoreSecretBackupOptions, SecretProperties, SetSecretOptions, UpdateSecretPropertiesOptions, WatchSecretOptions,
} from './models.js';
import { secretOperations as ops } from './operations.js';
import { toDeletedSecret, toSecretProperties } from './transform.js';

/** Delete, recover, purge, backup and restore, shared with keys and certificates. */
const lifecycle = softDeleteLifecycle({
  what: 'secret name',
  delete: ops.deleteSecret,
  getDeleted: ops.getDeletedSecret,
  recover: ops.recoverDeletedSecret,
  readRecovered: async (ctx, name, options) => (await send(ctx, ops.getSecret, { params: { name, version: '' } }, options)).properties,
  purge: ops.purgeDeletedSecret,
  backup: ops.backupSecret,
  restore: ops.restoreSecret,
  isPurgedAtOnce: (deleted) => !deleted.recoveryId,
});

/** What `watchSecret$` reports a change of: the version and the attributes. */
const sameSecretVersion = (a: KeyVaultSecret, b: KeyVaultSecret): boolean => {
  const p = a.properties;
  const q = b.properties;
  return p.version === q.version && p.enabled === q.enabled && p.notBefore?.getTime() === q.notBefore?.getTime()
    && p.expiresOn?.getTime() === q.expiresOn?.getTime() && p.updatedOn?.getTime() === q.updatedOn?.getTime();
};

/** The service's limit on a secret value. */
const MAX_VALUE_BYTES = 25 * 1024;

/** The secrets of one vault: every operation as a Promise method and as an Observable (`name$`) twin. */
export class SecretClient extends ResourceClient implements ObservableTwins<SecretClient> {
  /**
   * Adds a secret, or a new version of it. Permission: secrets/set.
   * @param name - 1–127 letters, digits and dashes.
   * @param value - At most 25 KB (UTF-8), the service's limit.
   */
  async setSecret(name: string, value: string, options?: SetSecretOptions): Promise<KeyVaultSecret> {
    checkName(name, 'secret name');
    if (typeof value !== 'string') throw new ValidationError('A secret value must be a string.', 'InvalidValue');
    // Checked here so an oversized value never travels (and never costs a token): the vault would refuse it.
    if (value.length > MAX_VALUE_BYTES / 3 && Buffer.byteLength(value) > MAX_VALUE_BYTES) throw new ValidationError(`A secret value is at most ${MAX_VALUE_BYTES} bytes (25 KB).`, 'ValueTooLarge');
    const body = compact({ value, contentType: options?.contentType, tags: options?.tags, attributes: toAttributes(options ?? {}) });
    return send(this.ctx, ops.setSecret, { params: { name }, body }, perCallOf(options));
  }

  /**
   * Reads a secret with its value: the latest version, or `options.version`. `name` may also be a
   * secret id URL of this vault. Permission: secrets/get.
   */
  async getSecret(name: string, options?: GetSecretOptions): Promise<KeyVaultSecret> {
    const target = this.resolveName('secrets', name, options?.version);
    const query = options?.outContentType ? { outContentType: options.outContentType } : undefined;
    return send(this.ctx, ops.getSecret, { params: target, ...(query ? { query } : {}) }, perCallOf(options));
  }

  /** Changes the attributes (not the value) of one version. Permission: secrets/set. */
  async updateSecretProperties(name: string, version: string, options?: UpdateSecretPropertiesOptions): Promise<SecretProperties> {
    const target = this.resolveName('secrets', name, version);
    const body = compact({ contentType: options?.contentType, tags: options?.tags, attributes: toAttributes(options ?? {}) });
    return send(this.ctx, ops.updateSecret, { params: target, body }, perCallOf(options));
  }

  /**
   * Deletes a secret (all versions). Returns a poller that completes once the deleted secret can be
   * read (soft-delete on) or at once. Permission: secrets/delete.
   */
  async beginDeleteSecret(name: string, options?: BeginDeleteSecretOptions): Promise<Poller<DeletedSecret, DeleteRecoverState<DeletedSecret>>> {
    return lifecycle.beginDelete(this.ctx, name, options);
  }

  /** Reads a deleted secret (with its value). Permission: secrets/get. */
  async getDeletedSecret(name: string, options?: GetDeletedSecretOptions): Promise<DeletedSecret> {
    return lifecycle.getDeleted(this.ctx, name, options);
  }

  /** Recovers a deleted secret; the poller completes once it can be read again. Permission: secrets/recover. */
  async beginRecoverDeletedSecret(name: string, options?: BeginRecoverDeletedSecretOptions): Promise<Poller<SecretProperties, DeleteRecoverState<SecretProperties>>> {
    return lifecycle.beginRecover(this.ctx, name, options);
  }

  /** Deletes a deleted secret for good. Permission: secrets/purge. */
  async purgeDeletedSecret(name: string, options?: PurgeDeletedSecretOptions): Promise<void> {
    return lifecycle.purge(this.ctx, name, options);
  }

  /** An opaque, encrypted copy of all versions, restorable in a vault of the same subscription and geography. Permission: secrets/backup. */
  async backupSecret(name: string, options?: BackupSecretOptions): Promise<Uint8Array> {
    return lifecycle.backup(this.ctx, name, options);
  }

  /** Restores a backup; fails with a `ConflictError` if the name exists. Permission: secrets/restore. */
  async restoreSecretBackup(backup: Uint8Array, options?: RestoreSecretBackupOptions): Promise<SecretProperties> {
    return lifecycle.restore(this.ctx, backup, options);
  }

  /** Every secret's latest properties (no values), page by page. Permission: secrets/list. */
  listPropertiesOfSecrets(options?: ListPropertiesOfSecretsOptions): PagedAsyncIterableIterator<SecretProperties> {
    return pagedList(this.ctx, ops.listSecrets, {}, toSecretProperties, options);
  }

  /** Every version's properties of one secret. Permission: secrets/list. */
  listPropertiesOfSecretVersions(name: string, options?: ListPropertiesOfSecretVersionsOptions): PagedAsyncIterableIterator<SecretProperties> {
    checkName(name, 'secret name');
    return pagedList(this.ctx, ops.listSecretVersions, { params: { name } }, toSecretProperties, options);
  }

  /** Deleted secrets still recoverable. Permission: secrets/list. */
  listDeletedSecrets(options?: ListDeletedSecretsOptions): PagedAsyncIterableIterator<DeletedSecret> {
    return pagedList(this.ctx, ops.listDeletedSecrets, {}, toDeletedSecret, options);
  }

  /**
   * Emits the secret now, then again each time a new version appears or its attributes change (enabled,
   * not-before, expiry, any update): a configuration that reloads itself. Polls every `intervalMs` after the
   * previous answer, on the machinery `config$` uses: throttling and outages (429, 5xx, network, timeouts) are
   * retried as `Retry-After` says, else with backoff; any other error (a missing or disabled secret, a refused
   * credential) ends the stream. For an application's whole configuration, shared by all its subscribers, see
   * `KeyVaultClient.config$`. Permission: secrets/get.
   */
  watchSecret$(name: string, options?: WatchSecretOptions): Observable<KeyVaultSecret> {
    checkName(name, 'secret name');
    const intervalMs = options?.intervalMs ?? 30_000;
    return watch$((abortSignal) => this.getSecret(name, { abortSignal }), { policy: { clock: realClock, intervalMs, jitter: 0 }, same: sameSecretVersion });
  }

  // The Observable twins, one line each over an rx/ adapter; `implements ObservableTwins` checks them all.
  /** {@link SecretClient.setSecret} as a cold, cancellable Observable. */
  setSecret$(name: string, value: string, options?: SetSecretOptions) { return fromCall(options, (o) => this.setSecret(name, value, o)); }
  /** {@link SecretClient.getSecret} as a cold, cancellable Observable. */
  getSecret$(name: string, options?: GetSecretOptions) { return fromCall(options, (o) => this.getSecret(name, o)); }
  /** {@link SecretClient.updateSecretProperties} as a cold, cancellable Observable. */
  updateSecretProperties$(name: string, version: string, options?: UpdateSecretPropertiesOptions) { return fromCall(options, (o) => this.updateSecretProperties(name, version, o)); }
  /** {@link SecretClient.beginDeleteSecret} as a cold, cancellable Observable. */
  beginDeleteSecret$(name: string, options?: BeginDeleteSecretOptions) { return fromPoller(options, (o) => this.beginDeleteSecret(name, o)); }
  /** {@link SecretClient.getDeletedSecret} as a cold, cancellable Observable. */
  getDeletedSecret$(name: string, options?: GetDeletedSecretOptions) { return fromCall(options, (o) => this.getDeletedSecret(name, o)); }
  /** {@link SecretClient.beginRecoverDeletedSecret} as a cold, cancellable Observable. */
  beginRecoverDeletedSecret$(name: string, options?: BeginRecoverDeletedSecretOptions) { return fromPoller(options, (o) => this.beginRecoverDeletedSecret(name, o)); }
  /** {@link SecretClient.purgeDeletedSecret} as a cold, cancellable Observable. */
  purgeDeletedSecret$(name: string, options?: PurgeDeletedSecretOptions) { return fromCall(options, (o) => this.purgeDeletedSecret(name, o)); }
  /** {@link SecretClient.backupSecret} as a cold, cancellable Observable. */
  backupSecret$(name: string, options?: BackupSecretOptions) { return fromCall(options, (o) => this.backupSecret(name, o)); }
  /** {@link SecretClient.restoreSecretBackup} as a cold, cancellable Observable. */
  restoreSecretBackup$(backup: Uint8Array, options?: RestoreSecretBackupOptions) { return fromCall(options, (o) => this.restoreSecretBackup(backup, o)); }
  /** {@link SecretClient.listPropertiesOfSecrets} as a cold, cancellable Observable. */
  listPropertiesOfSecrets$(options?: ListPropertiesOfSecretsOptions) { return fromPaged(options, (o) => this.listPropertiesOfSecrets(o)); }
  /** {@link SecretClient.listPropertiesOfSecretVersions} as a cold, cancellable Observable. */
  listPropertiesOfSecretVersions$(name: string, options?: ListPropertiesOfSecretVersionsOptions) { return fromPaged(options, (o) => this.listPropertiesOfSecretVersions(name, o)); }
  /** {@link SecretClient.listDeletedSecrets} as a cold, cancellable Observable. */
  listDeletedSecrets$(options?: ListDeletedSecretsOptions) { return fromPaged(options, (o) => this.listDeletedSecrets(o)); }
}
