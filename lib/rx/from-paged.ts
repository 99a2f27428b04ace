import type { Observable } from 'rxjs';
import type { PagedAsyncIterableIterator } from '../paging/paged.js';
import { subscribeAbortable, type Signalled } from './from-call.js';

/**
 * The twin of a listing: emits item by item, and fetches no further page once unsubscribed (written by
 * hand: `from(asyncIterable)` would not abort the page request in flight).
 */
export function fromPaged<O extends Signalled, T>(options: O | undefined, list: (options: O) => PagedAsyncIterableIterator<T>): Observable<T> {
  return subscribeAbortable<O, T>(options, async (listOptions, subscriber) => {
    for await (const page of list(listOptions).byPage()) {
      for (const item of page) {
        if (subscriber.closed) return;
        subscriber.next(item);
      }
      if (subscriber.closed) return;
    }
  });
}
