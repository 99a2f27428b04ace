import { KeyVaultError, NetworkError, TimeoutError, ValidationError } from './errors.js';
import type { RetryOptions } from './options.js';

/** Answers worth another attempt: the service says so (408, 429) or was briefly unable to answer (5xx but 501). */
export const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

export type RetryPolicy = Required<RetryOptions>;

/** The client's retry options with their defaults, checked once at construction. */
export function retryPolicy(options: RetryOptions | undefined): RetryPolicy {
  const policy = { limit: 3, backoffMs: 800, maxDelayMs: 60_000, ...options };
  if (!Number.isInteger(policy.limit) || policy.limit < 0) throw new ValidationError(`retry.limit must be a whole number of retries (0 or more), not ${String(policy.limit)}.`, 'InvalidOption');
  for (const name of ['backoffMs', 'maxDelayMs'] as const) {
    if (typeof policy[name] !== 'number' || !(policy[name] >= 0)) throw new ValidationError(`retry.${name} must be a number of ms (0 or more), not ${String(policy[name])}.`, 'InvalidOption');
  }
  return policy;
}

/** Reads every hint Azure services give: `retry-after-ms`, `x-ms-retry-after-ms`, `Retry-After` (seconds or HTTP date). */
export function serverDelayMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name) ?? NaN);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `attempt` (1-based): the server's hint when it gave one (in ms, see
 * {@link serverDelayMs}), else exponential backoff with full jitter; never more than `maxDelayMs`. Pure, for tests.
 */
export function retryDelayMs(attempt: number, hintedMs: number | undefined, policy: RetryPolicy, random = Math.random): number {
  const delay = hintedMs ?? random() * policy.backoffMs * 2 ** (attempt - 1);
  return Math.min(delay, policy.maxDelayMs);
}

/** The one abortable wait of the library: resolves after `ms`, or rejects with the signal's reason. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(timer); reject(signal!.reason); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Whether a failed attempt may heal: a retryable status, a network failure that is not about TLS (a refused
 * certificate will be refused again), or an attempt that ran out of time. A caller's abort or deadline never is.
 */
export function isRetryable(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted || !(error instanceof KeyVaultError)) return false;
  if (error instanceof NetworkError) return error.code === 'NetworkError';
  if (error instanceof TimeoutError) return true;
  return error.statusCode !== undefined && RETRY_STATUSES.includes(error.statusCode);
}

/** Told before each wait: which retry comes next, why, and how long the wait is. */
export type OnRetry = (retry: number, error: KeyVaultError, waitMs: number) => void;

/**
 * The one attempt loop: runs `attempt` until it succeeds, fails for good, or `policy.limit` retries are spent,
 * waiting between attempts as the server asks or with jittered backoff; the caller's `signal` ends the waits.
 * `attempt` is told how many retries came before it, and throws `KeyVaultError`s (anything else is never retried).
 */
export async function withRetries<T>(attempt: (retries: number) => Promise<T>, policy: RetryPolicy, signal: AbortSignal | undefined, onRetry?: OnRetry): Promise<T> {
  for (let retries = 0; ; retries++) {
    try {
      return await attempt(retries);
    } catch (error) {
      if (retries >= policy.limit || !isRetryable(error, signal)) throw error;
      const waitMs = retryDelayMs(retries + 1, (error as KeyVaultError).retryAfterMs, policy);
      onRetry?.(retries + 1, error as KeyVaultError, waitMs);
      await delay(waitMs, signal);
    }
  }
}
