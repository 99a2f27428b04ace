/**
 * The soft-delete lifecycle Key Vault gives secrets, keys and certificates alike: delete and recover
 * (long-running: pollers), read a deleted object, purge it, back up and restore. Written once here;
 * each client declares its operations and delegates to it.
 */
import type { ClientContext } from '../core/context.js';
import { AbortError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import { pollOptions, send, perCallOf, type Operation } from '../core/operation.js';
import type { AbortSignalLike, OperationOptions } from '../core/options.js';
import { checkName } from '../core/validate.js';
import { Poller, type DeleteRecoverState, type PollerOptions, type PollSteps } from '../polling/poller.js';
import { pollerObservables } from '../rx/from-poller.js';
import { toBase64Url } from '../wire/codecs.js';

type Signal = AbortSignalLike | undefined;

/**
 * Delete and recover, as Key Vault and Microsoft's SDK do them: send the request, then read the
 * object until it is there. Not found means not yet; forbidden means the caller may not read it, so
 * the answer to the first request is the result. `doneAtStart` (no `recoveryId`: soft-delete off) ends at once.
 */
export function softDeleteSteps<T>(
  first: (signal: Signal) => Promise<T>,
  read: (signal: Signal) => Promise<T>,
  doneAtStart: (result: T) => boolean = () => false,
): PollSteps<T, DeleteRecoverState<T>> {
  const steps: PollSteps<T, DeleteRecoverState<T>> = {
    // The first poll also reads once, as Microsoft's does: on a fast vault `begin...` returns a done poller.
    async start(state, signal) {
      state.result = await first(signal);
      state.isStarted = true; // sent: whatever happens next, it is never sent again
      if (doneAtStart(state.result)) state.isCompleted = true;
      else await steps.check(state, signal);
    },
    async check(state, signal) {
      try {
        state.result = await read(signal);
        state.isCompleted = true;
      } catch (error) {
        if (error instanceof NotFoundError) return;
        if (error instanceof ForbiddenError) { state.isCompleted = true; return; }
        throw error;
      }
    },
  };
  return steps;
}

/** One resource's side of the lifecycle: its operations, and the little that differs between resources. */
export interface SoftDeletable<Deleted, Recovered, Restored, Extra extends object> {
  /** How names are called in messages: `secret name`, `key name`, `certificate name`. */
  what: string;
  delete: Operation<never, Deleted>;
  getDeleted: Operation<never, Deleted>;
  recover: Operation<never, Recovered>;
  /** Reads the recovered object (its latest version): the recover poller ends once this succeeds. */
  readRecovered(ctx: ClientContext, name: string, options: OperationOptions): Promise<Recovered>;
  purge: Operation<never, void>;
  backup: Operation<never, Uint8Array>;
  restore: Operation<never, Restored>;
  /** True when a delete answer shows soft-delete is off (no `recoveryId`): the object is gone at once. */
  isPurgedAtOnce(deleted: Deleted): boolean;
  /** What a poller's state carries beside `name` (certificates add `certificateName`). */
  stateOf?(name: string): Extra;
}

/** The six lifecycle methods of one resource, each taking the client's context first. */
export function softDeleteLifecycle<Deleted, Recovered, Restored, Extra extends object = object>(resource: SoftDeletable<Deleted, Recovered, Restored, Extra>) {
  const noun = resource.what.replace(/ name$/, ''); // 'secret name' -> 'secret', for Microsoft's cancel messages
  const initial = (name: string) => ({ name, ...resource.stateOf?.(name), isStarted: false, isCompleted: false }) as DeleteRecoverState<never> & Extra;
  const byName = async <R>(ctx: ClientContext, operation: Operation<never, R>, name: string, options: OperationOptions | undefined): Promise<R> =>
    send(ctx, operation, { params: { name: checkName(name, resource.what) } }, perCallOf(options));
  return {
    async beginDelete(ctx: ClientContext, name: string, options: PollerOptions | undefined): Promise<Poller<Deleted, DeleteRecoverState<Deleted> & Extra>> {
      checkName(name, resource.what);
      const call = (signal: Signal) => pollOptions(options, signal);
      const steps = softDeleteSteps(
        (signal) => send(ctx, resource.delete, { params: { name } }, call(signal)),
        (signal) => send(ctx, resource.getDeleted, { params: { name } }, call(signal)),
        resource.isPurgedAtOnce,
      );
      // Neither delete nor recover can be cancelled: cancelOperation() rejects with Microsoft's words.
      steps.cannotCancel = `Canceling the deletion of a ${noun} is not supported.`;
      return Poller.begin(steps as PollSteps<Deleted, DeleteRecoverState<Deleted> & Extra>, initial(name), options, pollerObservables);
    },
    async beginRecover(ctx: ClientContext, name: string, options: PollerOptions | undefined): Promise<Poller<Recovered, DeleteRecoverState<Recovered> & Extra>> {
      checkName(name, resource.what);
      const call = (signal: Signal) => pollOptions(options, signal);
      let alreadyLive = false;
      const steps = softDeleteSteps(
        async (signal) => {
          // As Microsoft's: read first; an object that is live already (recovered earlier, never deleted) is the
          // result and no recover is sent. Any failure of that read (404, 403, ...) just means: recover it.
          try {
            const live = await resource.readRecovered(ctx, name, call(signal));
            alreadyLive = true;
            return live;
          } catch (error) {
            if (error instanceof AbortError) throw error;
          }
          return send(ctx, resource.recover, { params: { name } }, call(signal));
        },
        (signal) => resource.readRecovered(ctx, name, call(signal)),
        () => alreadyLive,
      );
      steps.cannotCancel = `Canceling the recovery of a deleted ${noun} is not supported.`;
      return Poller.begin(steps as PollSteps<Recovered, DeleteRecoverState<Recovered> & Extra>, initial(name), options, pollerObservables);
    },
    getDeleted: (ctx: ClientContext, name: string, options: OperationOptions | undefined) => byName(ctx, resource.getDeleted, name, options),
    purge: (ctx: ClientContext, name: string, options: OperationOptions | undefined) => byName(ctx, resource.purge, name, options),
    backup: (ctx: ClientContext, name: string, options: OperationOptions | undefined) => byName(ctx, resource.backup, name, options),
    async restore(ctx: ClientContext, backup: Uint8Array, options: OperationOptions | undefined): Promise<Restored> {
      if (!(backup instanceof Uint8Array) || backup.length === 0) throw new ValidationError('A backup must be a non-empty Uint8Array.', 'InvalidBackup');
      return send(ctx, resource.restore, { body: { value: toBase64Url(backup) } }, perCallOf(options));
    },
  };
}
