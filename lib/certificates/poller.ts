import { NotFoundError, KeyVaultError } from '../core/errors.js';
import { perCallOf } from '../core/operation.js';
import { Poller, type PollSteps } from '../polling/poller.js';
import { readToken } from '../polling/token.js';
import { pollerObservables } from '../rx/from-poller.js';
import type { CertificateOperation, CertificateOperationState, CertificatePollerOptions, KeyVaultCertificateWithPolicy } from './models.js';

/** A certificate operation ended `failed` (with the service's `error.code`) or `cancelled` (a `PollerCancelledError`). */
export class CertificateOperationFailedError extends KeyVaultError {
  override name = 'CertificateOperationFailedError';
  /** The operation as last read, with its `status`, `statusDetails` and `error`. */
  readonly operation: CertificateOperation;

  constructor(message: string, code: string, operation: CertificateOperation) {
    super(message, { code });
    this.operation = operation;
  }
}

/**
 * A certificate operation ended `cancelled` (code `OperationCancelled`). Named as core-lro's error for a cancelled
 * operation, which Microsoft's poller rejects with; still a `CertificateOperationFailedError` with the operation.
 */
export class PollerCancelledError extends CertificateOperationFailedError {
  override name = 'PollerCancelledError';
}

type Signal = AbortSignal | undefined;

/** The requests behind a certificate operation poller. */
export interface CertificateOperationRequests {
  /** The first request: create the certificate, or read the pending operation. */
  start(signal: Signal): Promise<CertificateOperation>;
  read(signal: Signal): Promise<CertificateOperation>;
  getCertificate(signal: Signal): Promise<KeyVaultCertificateWithPolicy>;
  cancel(signal: Signal): Promise<CertificateOperation>;
}

const isStatus = (operation: CertificateOperation, status: string) => operation.status?.toLowerCase() === status.toLowerCase();

/**
 * Records what the vault said; once the operation has left `inProgress`, reads the certificate.
 * A failed or cancelled operation still yields the (disabled, possibly absent) certificate as
 * `result`, and its error as the poller's error.
 */
async function settle(state: CertificateOperationState, operation: CertificateOperation, requests: CertificateOperationRequests, signal: Signal): Promise<void> {
  state.certificateOperation = operation;
  if (isStatus(operation, 'inProgress') && !operation.error) {
    state.result ??= pendingCertificate(state.certificateName, operation);
    return;
  }
  const cancelled = isStatus(operation, 'cancelled');
  const failed = !cancelled && (isStatus(operation, 'failed') || operation.error !== undefined);
  try {
    state.result = await requests.getCertificate(signal);
  } catch (error) {
    // A cancelled or failed creation may leave no certificate behind.
    if (!(cancelled || failed) || !(error instanceof NotFoundError)) throw error;
    delete state.result; // the pending placeholder named a certificate that never came to be
  }
  if (cancelled) {
    state.isCancelled = true;
    state.error = new PollerCancelledError(`Creating the certificate ${state.certificateName} was cancelled.`, 'OperationCancelled', operation);
  } else if (failed) {
    const message = operation.error?.message ?? operation.statusDetails ?? 'The certificate operation failed.';
    state.error = new CertificateOperationFailedError(message, operation.error?.code ?? 'CertificateOperationFailed', operation);
  }
  state.isCompleted = true;
}

/**
 * What `getResult()` gives while the operation runs, as Microsoft's poller does (the create response read as a
 * certificate): the name, the operation's id and the vault; no bytes or policy yet.
 */
function pendingCertificate(name: string, operation: CertificateOperation): KeyVaultCertificateWithPolicy {
  const properties = { name, ...(operation.id ? { id: operation.id } : {}), ...(operation.vaultUrl ? { vaultUrl: operation.vaultUrl } : {}) };
  return { name, ...(operation.id ? { id: operation.id } : {}), properties };
}

/**
 * Start, check, and cancel: `PATCH .../pending {cancellation_requested: true}` (permission certificates/update).
 * The poller then ends `cancelled` when the vault says so; an operation that completes first stays completed.
 */
function operationSteps(requests: CertificateOperationRequests): PollSteps<KeyVaultCertificateWithPolicy, CertificateOperationState> {
  return {
    start: async (state, signal) => settle(state, await requests.start(signal), requests, signal),
    check: async (state, signal) => settle(state, await requests.read(signal), requests, signal),
    cancel: async (state, signal) => settle(state, await requests.cancel(signal), requests, signal),
  };
}

/**
 * The poller of `beginCreateCertificate` and `getCertificateOperation`: polls
 * `/certificates/{name}/pending` until the operation leaves `inProgress`, then reads the
 * certificate. `cancelOperation()` asks the vault to cancel; the poller then ends `cancelled`
 * when the vault says so (an operation that completes first stays completed).
 */
export class CertificateOperationPoller extends Poller<KeyVaultCertificateWithPolicy, CertificateOperationState> {
  constructor(requests: CertificateOperationRequests, state: CertificateOperationState, intervalInMs?: number) {
    super(operationSteps(requests), state, pollerObservables, intervalInMs);
  }

  /**
   * Starts an operation poller, or with `resumeFrom` (ours or Microsoft's token) resumes one: either way it
   * polls once before returning, as Microsoft's do. A resumed poller takes only whether the operation was
   * started from the token and reads the rest again, so nothing stale is carried.
   */
  static async start(requests: CertificateOperationRequests, certificateName: string, options: CertificatePollerOptions | undefined): Promise<CertificateOperationPoller> {
    const resumed = options?.resumeFrom ? readToken<CertificateOperationState>(options.resumeFrom) : undefined;
    const state: CertificateOperationState = { certificateName, isStarted: resumed?.isStarted === true, isCompleted: false };
    const poller = new CertificateOperationPoller(requests, state, options?.intervalInMs ?? 2000);
    await poller.poll(perCallOf(options));
    return poller;
  }

  /**
   * The resume token, in Microsoft's shape (`{"state":{"certificateName",...}}`): the name and whether the
   * operation was started (a resumed poller reads the operation again).
   */
  override toString(): string {
    const { certificateName, isStarted } = this.getOperationState();
    return JSON.stringify({ state: { certificateName, isStarted, isCompleted: false } });
  }
}
