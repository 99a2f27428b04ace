import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable, Subscriber } from 'rxjs';
import { rx } from '../rx/rxjs.js';
import type { KeyVaultEvent } from './models.js';
import { handleEventGrid, type EventGridHandlerOptions, type EventGridRequest, type EventGridResponse } from './handler.js';

/** Largest delivery read (Event Grid batches are at most 1 MB). */
const MAX_BODY = 1024 * 1024;

/**
 * One webhook endpoint for Key Vault events: `handle` answers a delivery (framework-agnostic), `listener` is the
 * Node `http` / Express-style adapter, and `events$` emits every accepted Key Vault event (hot: subscribers
 * see what arrives while they listen). Give `events$` to `kv.config$(spec, { events })`.
 */
export class EventGridReceiver {
  readonly #options: EventGridHandlerOptions;
  readonly #subscribers = new Set<Subscriber<KeyVaultEvent>>();
  readonly events$: Observable<KeyVaultEvent> = new (rx().Observable)<KeyVaultEvent>((subscriber) => {
    this.#subscribers.add(subscriber);
    return () => { this.#subscribers.delete(subscriber); };
  });

  constructor(options: Omit<EventGridHandlerOptions, 'onEvent'>) {
    this.#options = { ...options, onEvent: (event) => { for (const s of [...this.#subscribers]) s.next(event); } };
  }

  /** Answers one delivery; see {@link handleEventGrid}. */
  handle(request: EventGridRequest): EventGridResponse {
    return handleEventGrid(request, this.#options);
  }

  /**
   * `(req, res)` for `http.createServer` or Express (`app.post('/webhook', receiver.listener)`,
   * `app.options(...)` too). Uses `req.body` when a body parser already read it; otherwise reads the body.
   */
  readonly listener = (req: IncomingMessage & { body?: unknown; originalUrl?: string }, res: ServerResponse): void => {
    const reply = (answer: EventGridResponse) => {
      if (res.headersSent) return;
      res.writeHead(answer.status, answer.headers).end(answer.body);
    };
    const request = (body: unknown): EventGridRequest => ({ method: req.method ?? 'GET', url: req.originalUrl ?? req.url ?? '/', headers: req.headers, body });
    if (req.body !== undefined) return reply(this.handle(request(req.body)));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reply({ status: 413, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"The delivery is too large."}}' });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => reply(this.handle(request(Buffer.concat(chunks)))));
    req.on('error', () => reply({ status: 400, headers: {}, body: '' }));
  };
}
