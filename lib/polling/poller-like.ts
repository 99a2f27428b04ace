/**
 * `@azure/core-lro`'s `PollerLike` (the v2 "legacy" interface Microsoft's Key Vault packages return), declared
 * here so that code annotated with it compiles without that package. Types only.
 */
import type { AbortSignalLike } from '../core/options.js';

/** The state of a long-running operation, as Microsoft's pollers expose it (ours always set `isStarted` and `isCompleted`). */
export interface PollOperationState<T> {
  isStarted: boolean;
  isCompleted: boolean;
  isCancelled?: boolean;
  error?: Error;
  result?: T;
}

/** The abort signal Microsoft's option bags take (declared with the per-call options). */
export type { AbortSignalLike };

/** Stops an `onProgress` callback. */
export type CancelOnProgress = () => void;

/** A long-running operation's poller, as Microsoft's clients return it. */
export interface PollerLike<TState extends PollOperationState<TResult>, TResult> {
  /** One poll: a request to the service, then the state and any progress callbacks are updated. */
  poll(options?: { abortSignal?: AbortSignalLike }): Promise<void>;
  /** Polls until the operation ends; resolves with its result. */
  pollUntilDone(pollOptions?: { abortSignal?: AbortSignalLike }): Promise<TResult>;
  /** Calls `callback` with the state after each poll. */
  onProgress(callback: (state: TState) => void): CancelOnProgress;
  /** Whether the operation has ended (succeeded, failed or cancelled). */
  isDone(): boolean;
  /** Stops the polling loop (`pollUntilDone`); the operation itself goes on in the vault. */
  stopPolling(): void;
  /** Whether `stopPolling` was called. */
  isStopped(): boolean;
  /** Asks the service to cancel the operation (where it can; elsewhere it rejects). */
  cancelOperation(options?: { abortSignal?: AbortSignalLike }): Promise<void>;
  /** The state after the latest poll. */
  getOperationState(): TState;
  /** The result so far: the pending object while it runs, the final one when done. */
  getResult(): TResult | undefined;
  /** A resume token for `resumeFrom`. */
  toString(): string;
}
