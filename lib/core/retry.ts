import type { RetryOptions } from './options.js';

export const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

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
 * The wait before retry number `attempt` (1-based): the server's hint when it gave one,
 * else exponential backoff with full jitter; never more than `maxDelayMs`. Pure, for tests.
 */
export function retryDelayMs(attempt: number, headers: Headers | undefined, options: Required<RetryOptions>, random = Math.random): number {
  const hinted = serverDelayMs(headers);
  const delay = hinted ?? random() * options.backoffMs * 2 ** (attempt - 1);
  return Math.min(delay, options.maxDelayMs);
}
