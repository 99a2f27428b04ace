/**
 * Resume tokens: what `poller.toString()` writes and `resumeFrom` reads. The shape is Microsoft's
 * (`JSON.stringify({ state })`, their `PollOperation.toString()`), so a token from either SDK resumes in the other.
 */
import { KeyVaultError, ValidationError } from '../core/errors.js';
import type { PollOperationState } from './poller-like.js';

/** The names a call gives: they win over a token's, as in Microsoft's pollers (`{ ...state, name }`). */
const IDENTITY_KEYS = ['name', 'certificateName'] as const;

/** Key Vault's date-valued model fields: JSON turned them into strings, a resumed result gets `Date`s back. */
const DATE_KEYS = new Set(['createdOn', 'updatedOn', 'expiresOn', 'notBefore', 'deletedOn', 'scheduledPurgeDate']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The token of a poller's state. An error keeps its name, message and code (never a request or response). */
export function writeToken(state: PollOperationState<unknown>): string {
  const { error, ...rest } = state;
  const code = (error as { code?: unknown } | undefined)?.code;
  return JSON.stringify({ state: { ...rest, ...(error ? { error: { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) } } : {}) } });
}

/** The state inside a token (ours or Microsoft's); anything else is a `ValidationError`. */
export function readToken<S>(resumeFrom: string): Partial<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(resumeFrom);
  } catch {
    parsed = undefined;
  }
  const state = (parsed as { state?: unknown } | undefined)?.state;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new ValidationError('resumeFrom must be the toString() of a poller of the same operation.', 'InvalidResumeState');
  }
  return state as Partial<S>;
}

/**
 * The state a resumed poller continues from: the token's state over the call's, the call's names kept, the
 * result's dates and bytes revived and an error rebuilt as a `KeyVaultError` (JSON keeps neither).
 */
export function resumeState<S extends PollOperationState<unknown>>(initial: S, resumeFrom: string): S {
  const token = readToken<S>(resumeFrom) as Partial<S> & { error?: { name?: unknown; message?: unknown; code?: unknown } };
  const state = { ...initial, ...token } as S;
  for (const key of IDENTITY_KEYS) if (key in initial) (state as Record<string, unknown>)[key] = (initial as Record<string, unknown>)[key];
  if ('result' in token) state.result = revive(token.result);
  if (token.error !== undefined) state.error = errorOf(token.error);
  return state;
}

/** An error read back from a token: Microsoft's tokens hold `{}` for theirs (an Error's JSON). */
function errorOf(saved: { name?: unknown; message?: unknown; code?: unknown } | null): KeyVaultError {
  const message = typeof saved?.message === 'string' ? saved.message : 'The operation failed before the poller was saved.';
  const error = new KeyVaultError(message, { code: typeof saved?.code === 'string' ? saved.code : 'OperationFailed' });
  if (typeof saved?.name === 'string') error.name = saved.name;
  return error;
}

/** `Buffer`s (JSON: `{ type: 'Buffer', data }`) and the known date fields back to what the client returned. Tags stay strings. */
function revive(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => revive(item));
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (object['type'] === 'Buffer' && Array.isArray(object['data']) && Object.keys(object).length === 2) return Buffer.from(object['data'] as number[]);
    if (key === 'tags') return value;
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, revive(v, k)]));
  }
  if (typeof value === 'string' && DATE_KEYS.has(key) && ISO_DATE.test(value)) return new Date(value);
  return value;
}
