import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { VaultError, badParameter } from './errors.js';
import type { Timekeeper } from './timekeeper.js';
import type { Store } from './store.js';

/** Path prefix of the vault's own admin routes (not Key Vault's API). */
export const ADMIN_PREFIX = '/_emulator/';

/** An admin body is one small JSON object: anything larger is refused unread. */
const MAX_BODY_BYTES = 64 * 1024;

/** Every admin route, `[method, path, what it does]`: `keyvault-emulator --help` lists them from here. */
export const ADMIN_ROUTES: readonly (readonly [string, string, string])[] = [
  ['GET', '/_emulator/clock', "the vault's time"],
  ['POST', '/_emulator/clock', '{"advance":"P30D"} or {"advance":ms} or {"set":"<ISO date>"}'],
  ['GET', '/_emulator/notifications', 'certificate EmailContacts lifetime actions carried out'],
];

/**
 * The admin routes, for the holder of the vault's admin token only (401 otherwise, in Key Vault's error shape):
 * `GET /_emulator/clock` reads the vault's time; `POST /_emulator/clock` with `{ "advance": "P30D" | ms }` or
 * `{ "set": "<ISO 8601>" }` moves it forward, then answers once the time-driven work it caused is done;
 * `GET /_emulator/notifications` lists the certificate `EmailContacts` actions carried out.
 * Returns false for any other path.
 */
export function adminListener(store: Store, timekeeper: Timekeeper, adminToken: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  // Compared as digests in constant time: the token moves the vault's time, so do not leak it byte by byte.
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  const expected = digest(`Bearer ${adminToken}`);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/$/, '');
    if (!path.startsWith(ADMIN_PREFIX)) return false;
    const answer = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fail = (error: unknown): void => {
      const e = error instanceof VaultError ? error : badParameter('The request is not valid.');
      answer(e.status, e);
    };
    if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      answer(401, new VaultError(401, 'Unauthorized', 'The admin routes need the vault admin token (Authorization: Bearer <admin token>).'));
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      try {
        const now = (): { now: string } => ({ now: store.clock.now().toISOString() });
        if (!ADMIN_ROUTES.some(([, p]) => p === path)) throw new VaultError(404, 'NotFound', `The requested resource ${path} was not found.`);
        if (!ADMIN_ROUTES.some(([m, p]) => p === path && m === req.method)) {
          throw new VaultError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
        }
        if (path === '/_emulator/clock' && req.method === 'GET') return answer(200, now());
        if (path === '/_emulator/notifications') return answer(200, { value: timekeeper.notifications() });
        if (size > MAX_BODY_BYTES) throw new VaultError(413, 'RequestBodyTooLarge', `The request body is larger than the limit of ${MAX_BODY_BYTES} bytes.`);
        const body = parse(Buffer.concat(chunks).toString('utf8'));
        if ('advance' in body) {
          const by = body['advance'];
          if (typeof by !== 'number' && typeof by !== 'string') throw badParameter("'advance' must be milliseconds or an ISO 8601 duration.");
          store.clock.advance(by);
        } else {
          const at = body['set'];
          if (typeof at !== 'string' || !Number.isFinite(Date.parse(at))) throw badParameter("'set' must be an ISO 8601 date.");
          store.clock.set(at);
        }
        timekeeper.idle().then(() => answer(200, now()), fail);
      } catch (error) {
        fail(error);
      }
    });
    return true;
  };
}

function parse(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badParameter('The request body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badParameter('The request body must be a JSON object.');
  const keys = Object.keys(body);
  if (keys.length !== 1 || (keys[0] !== 'advance' && keys[0] !== 'set')) throw badParameter("The body must have exactly one of 'advance' and 'set'.");
  return body as Record<string, unknown>;
}
