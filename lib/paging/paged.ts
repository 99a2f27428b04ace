import { createHash } from 'node:crypto';
import type { ClientContext } from '../core/context.js';
import { buildUrl, checkSameVault, send, perCallOf, type Call, type Operation } from '../core/operation.js';
import type { OperationOptions } from '../core/options.js';
import { ServiceError, ValidationError } from '../core/errors.js';

/** One page of a listing; `continuationToken` resumes the listing right after it (absent on the last page). */
export type Page<T> = T[] & { continuationToken?: string };

/** Options of every `list...` method. */
export interface ListOptions extends OperationOptions {
  /** Items per page, 1–25 (the service's `maxresults`); also what a `$` twin fetches at a time. */
  maxPageSize?: number;
}

/** Where and how `byPage` starts. */
export interface PageSettings {
  /** Where to resume: a page's `continuationToken`. */
  continuationToken?: string;
  /** Items per page, 1–25 (the service's `maxresults`). */
  maxPageSize?: number;
}

/**
 * An async iterable of items that can also be walked page by page: `@azure/core-paging`'s three-parameter
 * interface. `PageT` defaults to {@link Page} (an array with its `continuationToken`), which is assignable
 * to Microsoft's default `T[]`, so annotations written either way compile.
 */
export interface PagedAsyncIterableIterator<T, PageT = Page<T>, PageSettingsT = PageSettings> extends AsyncIterableIterator<T> {
  /** The next item, fetching the next page when the current one is used up. */
  next(): Promise<IteratorResult<T>>;
  /** The iterator itself, so that `for await` walks it. */
  [Symbol.asyncIterator](): PagedAsyncIterableIterator<T, PageT, PageSettingsT>;
  /** Iterates page by page instead (each page an array with its `continuationToken`), from `settings`. */
  byPage: (settings?: PageSettingsT) => AsyncIterableIterator<PageT>;
}

/** The wire shape of every Key Vault listing. */
export interface WireList<W> {
  value?: W[];
  nextLink?: string | null;
}

/**
 * A listing that fetches one page at a time, following `nextLink` exactly as the service served it
 * (only to the vault's own host), so memory stays at one page (and a digest per link followed) however long the
 * list. A `nextLink` that leads back to a page already read, and gets the same answer again (a broken or hostile
 * vault: it would never end), ends the listing with a `ServiceError` (`RepeatedNextLink`) instead of iterating
 * forever. (A link alone is not enough: recorded sessions sanitise every `$skiptoken` to the same text.)
 */
export function pagedList<W, T>(
  ctx: ClientContext,
  operation: Operation<WireList<W>, WireList<W>>,
  call: Call,
  decodeItem: (wire: W) => T,
  options: ListOptions = {},
): PagedAsyncIterableIterator<T> {
  // Every page is sent with the listing's per-call options (signal, headers, tracing parent, onResponse).
  const perCall = perCallOf(options);
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<Page<T>> {
    const size = settings.maxPageSize ?? options.maxPageSize;
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 25)) {
      throw new ValidationError(`maxPageSize must be an integer from 1 to 25, not ${size}.`, 'InvalidPageSize');
    }
    let next: Call | undefined = settings.continuationToken
      ? { url: settings.continuationToken }
      : { ...call, query: { ...call.query, maxresults: size } };
    // What each page URL answered (a digest), to spot a loop: the same URL giving the same answer again.
    const answered = new Map<string, string>();
    while (next) {
      const url = checkSameVault(ctx, buildUrl(ctx, operation as Operation<never, unknown>, next));
      const wire: WireList<W> = await send(ctx, operation, next, perCall);
      const digest = createHash('sha256').update(JSON.stringify(wire ?? null)).digest('base64');
      if (answered.get(url) === digest) {
        throw new ServiceError(`The vault's nextLink leads back to a page already read, so the listing would never end: ${next.url ?? url}`, { code: 'RepeatedNextLink', method: operation.method, path: new URL(url).pathname });
      }
      answered.set(url, digest);
      const page = (wire?.value ?? []).map(decodeItem) as Page<T>;
      if (wire?.nextLink) page.continuationToken = wire.nextLink;
      next = wire?.nextLink ? { url: wire.nextLink } : undefined;
      yield page;
    }
  }
  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page;
  }
  const iterator = items();
  return {
    next: () => iterator.next(),
    [Symbol.asyncIterator]() { return this; },
    byPage: (settings) => pages(settings),
  };
}

/** Operation declarations for listings share this identity decode: items are decoded per item. */
export const asList = <W>(wire: WireList<W>): WireList<W> => wire;
