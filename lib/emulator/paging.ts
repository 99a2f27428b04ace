import { badParameter } from './errors.js';
import type { VaultRequest } from './router.js';

/** A page of a list as the service serves it: `nextLink` absolute, with `$skiptoken` and the caller's `maxresults`. */
export interface Page {
  readonly value: unknown[];
  readonly nextLink: string | null;
}

/**
 * One page of `items` (already sorted by `keyOf`). The skip token is the last key served, so pages stay stable
 * while objects are added or removed between requests.
 */
export function page<T>(req: VaultRequest, items: readonly T[], keyOf: (item: T) => string, render: (item: T) => unknown): Page {
  const max = maxResults(req.query.get('maxresults'));
  const token = req.query.get('$skiptoken');
  let start = 0;
  if (token) {
    // Binary search for the first key after the token: lists of thousands are paged 25 at a time.
    const after = decodeToken(token);
    let end = items.length;
    while (start < end) {
      const mid = (start + end) >>> 1;
      if (keyOf(items[mid]!) <= after) start = mid + 1;
      else end = mid;
    }
  }
  const slice = items.slice(start, start + max);
  const more = start + max < items.length;
  const last = slice[slice.length - 1];
  const nextLink =
    more && last !== undefined
      ? `${req.origin}${req.path}?api-version=${req.apiVersion}&$skiptoken=${encodeToken(keyOf(last))}${req.query.has('maxresults') ? `&maxresults=${max}` : ''}`
      : null;
  return { value: slice.map(render), nextLink };
}

function maxResults(raw: string | undefined): number {
  if (raw === undefined) return 25;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 25) throw badParameter('Invalid value for maxresults. It must be an integer between 1 and 25.');
  return n;
}

const encodeToken = (key: string): string => Buffer.from(JSON.stringify({ after: key })).toString('base64url');

function decodeToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (parsed && typeof parsed === 'object' && 'after' in parsed && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the service's answer for a token it did not issue
  }
  throw badParameter('The $skiptoken is invalid.');
}
