import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { VaultError, badParameter } from './errors.js';
import { IDENTITY_PATHS, type Identity } from './identity.js';
import { type Handler, type Router, type VaultRequest, type VaultResponse, methodNotAllowed } from './router.js';
import { checkOperation, shapeResponse, versionRank } from './versions.js';

export { API_VERSIONS } from './versions.js';

/** Request bodies above this size are refused with a 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ListenerOptions {
  readonly router: Router;
  readonly scheme: 'http' | 'https';
  /** The only bearer token accepted; any non-empty one when undefined. */
  readonly token?: string | undefined;
  /** Tenant named in the challenge. */
  readonly tenantId: string;
  /** Serves the token endpoints and, with `auth: 'strict'`, checks tokens. */
  readonly identity?: Identity | undefined;
  /** `strict`: only unexpired tokens `identity` issued for this vault pass. Default `any`. */
  readonly auth?: 'any' | 'strict' | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const MISSING_TOKEN = 'AKV10000: Request is missing a Bearer or PoP token.';
const BAD_TOKEN = 'AKV10032: Invalid issuer or token.';
/** Besides the origin the challenge names, strict auth takes tokens for the service's usual audience. */
const SERVICE_AUDIENCE = 'https://vault.azure.net';

/** The vault's request listener: auth, api-version, routing, body, then the handler, with every failure in Key Vault's error shape. */
export function createListener(options: ListenerOptions): RequestListener {
  const { router, scheme, token, tenantId, identity, auth = 'any' } = options;
  if (auth === 'strict' && identity === undefined) throw new Error('strict auth needs the identity that issues tokens');
  const authorization = `https://login.microsoftonline.com/${tenantId}`;

  return (req, res) => {
    try {
      const origin = `${scheme}://${req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`}`;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      let path = q < 0 ? url : url.slice(0, q);
      if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
      // The managed-identity endpoints are what a caller without a token asks first (MSAL adds a slash to IMDS's).
      if (identity !== undefined && (path === IDENTITY_PATHS.appService || path === IDENTITY_PATHS.imds)) {
        identity.serve(req, res, path, new Map(new URLSearchParams(q < 0 ? '' : url.slice(q + 1))));
        return;
      }
      // Auth comes first and ignores the body, as the service's challenge does.
      const header = req.headers.authorization;
      const presented = header !== undefined && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7).trim() : '';
      const refused =
        presented === '' ? MISSING_TOKEN
        : token !== undefined ? (presented === token ? undefined : BAD_TOKEN)
        : auth === 'strict' ? identity?.check(presented, [origin, SERVICE_AUDIENCE])
        : undefined;
      if (refused !== undefined) {
        send(res, {
          status: 401,
          body: new VaultError(401, 'Unauthorized', refused),
          headers: { 'www-authenticate': `Bearer authorization="${authorization}", resource="${origin}"` },
        });
        return;
      }
      const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
      const apiVersion = query.get('api-version');
      const rank = versionRank(apiVersion);
      const method = req.method ?? 'GET';
      const match = router.match(method, path);
      if (match === undefined) throw new VaultError(404, 'NotFound', `The requested resource ${path} was not found.`);
      if (match === 'method-not-allowed') throw methodNotAllowed(method);
      checkOperation(method, path, apiVersion!, rank);
      const base = { method, path, params: match.params, query, origin, apiVersion: apiVersion!, rank };
      const length = req.headers['content-length'];
      if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) {
        run(match.handler, { ...base, body: undefined }, res);
      } else if (length !== undefined && Number(length) > MAX_BODY_BYTES) {
        sendError(res, tooLarge());
      } else {
        readBody(req, res, (body) => run(match.handler, { ...base, body }, res));
      }
    } catch (error) {
      sendError(res, error);
    }
  };
}

function readBody(req: IncomingMessage, res: ServerResponse, then: (body: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES && !refused) {
      refused = true;
      sendError(res, tooLarge());
    } else if (!refused) chunks.push(chunk);
  });
  req.on('error', () => undefined);
  req.on('end', () => {
    if (refused) return;
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return then(undefined);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendError(res, badParameter('The request body is not valid JSON.'));
    }
    then(body);
  });
}

function run(handler: Handler, request: VaultRequest & { readonly rank: number }, res: ServerResponse): void {
  let result: VaultResponse | Promise<VaultResponse>;
  try {
    result = handler(request);
  } catch (error) {
    return sendError(res, error);
  }
  // Handlers write the newest shape; older versions get theirs.
  if (result instanceof Promise) result.then((r) => send(res, shapeResponse(r, request.rank)), (error: unknown) => sendError(res, error));
  else send(res, shapeResponse(result, request.rank));
}

function send(res: ServerResponse, r: VaultResponse): void {
  const text = r.text ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
  // A flat array: node takes it as is, without walking a header object per response.
  const headers = ['x-content-type-options', 'nosniff', 'x-ms-request-id', randomUUID()];
  // The service echoes the client's request id; clients log and compare it.
  const clientId = res.req.headers['x-ms-client-request-id'];
  if (typeof clientId === 'string') headers.push('x-ms-client-request-id', clientId);
  if (r.headers) for (const [k, v] of Object.entries(r.headers)) headers.push(k, v);
  if (r.status === 204 || text === undefined) {
    res.writeHead(r.status, headers);
    res.end();
    return;
  }
  headers.push('content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(text)));
  res.writeHead(r.status, headers);
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return;
  const e = error instanceof VaultError ? error : new VaultError(500, 'InternalServerError', 'The server encountered an unexpected error.');
  // Only a bug gets here (bad input is always a VaultError), so it is worth a line on stderr.
  if (!(error instanceof VaultError)) console.error('keyvault-emulator: unexpected error', error);
  send(res, { status: e.status, body: e, ...(e.status === 413 ? { headers: { connection: 'close' } } : {}) });
}

const tooLarge = (): VaultError => new VaultError(413, 'RequestBodyTooLarge', `The request body is larger than the limit of ${MAX_BODY_BYTES} bytes.`);

// Keys are decoded too: Microsoft's SDK sends `api%2Dversion`.
function parseQuery(qs: string): Map<string, string> {
  const query = new Map<string, string>();
  if (qs === '') return query;
  for (const pair of qs.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    try {
      query.set(decodeURIComponent(k.replaceAll('+', ' ')), decodeURIComponent(v.replaceAll('+', ' ')));
    } catch {
      throw badParameter('The query string is not valid.');
    }
  }
  return query;
}
