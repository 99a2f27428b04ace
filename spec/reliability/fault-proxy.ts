/**
 * A fault-injecting plain-HTTP proxy for loopback tests: it sits between the SDK and the local vault and,
 * per request, draws a fault from a seeded mix. The mix is reproducible as a distribution; with concurrent
 * clients the order in which requests arrive (and so which request draws which fault) is not.
 *
 * It also plays the token issuer's side: tokens minted by {@link tokenCredential} carry a generation, and the
 * proxy refuses generations it has revoked (a token that expires mid-run) with the vault's usual 401 challenge.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TokenCredential } from '../../lib/index.js';

export type Fault =
  | 'pass'
  | '429-retry-after'
  | '429'
  | '503'
  | '500'
  | '503-malformed-body'
  | 'reset-before-response'
  | 'reset-during-response'
  | 'slow'
  | 'truncated-json'
  | 'malformed-json'
  | 'insufficient-claims';

export type FaultMix = Partial<Record<Fault, number>>;

/** About one request in three goes wrong: enough that some calls exhaust 3 retries, few enough that most succeed. */
export const DEFAULT_MIX: FaultMix = {
  pass: 70,
  '429-retry-after': 3,
  '429': 3,
  '503': 3,
  '500': 3,
  '503-malformed-body': 2,
  'reset-before-response': 3,
  'reset-during-response': 3,
  slow: 3,
  'truncated-json': 1,
  'malformed-json': 1,
  'insufficient-claims': 0.5,
};

export interface FaultProxyOptions {
  /** The vault's origin, `http://127.0.0.1:port`. */
  upstream: string;
  seed: number;
  mix?: FaultMix;
  /** How long a `slow` answer is held back: more than the client's per-attempt timeout. */
  slowMs: number;
  /** Revoke every token minted so far once this many authorised requests went through (0: never). */
  revokeEvery?: number;
}

export interface FaultStats {
  requests: number;
  /** Requests that went without a token (the challenge). */
  unauthenticated: number;
  faults: Record<Fault, number>;
  /** 401s for a revoked (expired) token. */
  expiredTokens: number;
  revocations: number;
  /** PUT /secrets/{name} answered 200 by the vault, by `x-ms-client-request-id` (the same across retries of one call). */
  secretVersionsByCall: Map<string, number>;
  /** Every request, by `x-ms-client-request-id`: how many attempts one call made (challenge and 401 resends included). */
  attemptsByCall: Map<string, number>;
  /** Connections the client closed while a request was still being answered (aborted attempts). */
  clientAborts: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly stats: FaultStats;
  /** Faults off (everything passes) or on; token checks stay on. */
  enabled: boolean;
  /** Replaces the mix (e.g. `{ '503': 1 }` for a vault that never recovers). */
  setMix(mix: FaultMix): void;
  /** Refuses every token minted so far from now on. */
  revokeTokens(): void;
  stop(): Promise<void>;
}

/** mulberry32: small, fast, good enough to spread faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS: Fault[] = ['pass', '429-retry-after', '429', '503', '500', '503-malformed-body', 'reset-before-response', 'reset-during-response', 'slow', 'truncated-json', 'malformed-json', 'insufficient-claims'];

// What Key Vault sends for continuous access evaluation: no resource, no scope, a "common" authority.
const CLAIMS = Buffer.from('{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}').toString('base64');
const CAE_CHALLENGE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${CLAIMS}"`;

/** Authorised requests between two CAE events: at thousands of requests a second, one event per draw would be a storm no service makes. */
const CAE_EVENT_SPACING = 250;

/**
 * A credential that numbers its tokens (`gen-<n>`, plus `-claims` when claims were asked for; the proxy reads
 * the generation back) and records what it was asked.
 */
export function tokenCredential(lifetimeMs = 3_600_000, prefix = 'gen-') {
  let generation = 0;
  const calls: { scopes: string | string[]; tenantId?: string | undefined; claims?: string | undefined }[] = [];
  const credential: TokenCredential = {
    async getToken(scopes, options) {
      calls.push({ scopes, tenantId: options?.tenantId, claims: options?.claims });
      generation++;
      return { token: `${prefix}${generation}${options?.claims ? '-claims' : ''}`, expiresOnTimestamp: Date.now() + lifetimeMs };
    },
  };
  return { credential, calls, get generation() { return generation; } };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const random = seededRandom(options.seed);
  let table = cumulative(options.mix ?? DEFAULT_MIX);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let minGeneration = 0;
  let highestSeen = 0;
  let authorised = 0;
  let lastEvent = 0;
  const stats: FaultStats = {
    requests: 0,
    unauthenticated: 0,
    faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
    expiredTokens: 0,
    revocations: 0,
    secretVersionsByCall: new Map(),
    attemptsByCall: new Map(),
    clientAborts: 0,
  };

  const revoke = () => {
    minGeneration = highestSeen + 1;
    stats.revocations++;
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    stats.requests++;
    const callId = String(req.headers['x-ms-client-request-id'] ?? '');
    stats.attemptsByCall.set(callId, (stats.attemptsByCall.get(callId) ?? 0) + 1);
    const auth = req.headers.authorization;
    const origin = `http://${req.headers.host}`;
    if (auth) {
      const generation = Number(/^Bearer gen-(\d+)/.exec(auth)?.[1] ?? NaN);
      highestSeen = Math.max(highestSeen, generation || 0);
      if (!(generation >= minGeneration)) {
        stats.expiredTokens++;
        return drainThen(req, () => json(res, 401, { error: { code: 'Unauthorized', message: 'AKV10022: Invalid audience or token expired.' } }, {
          'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/6b3ad0e5-3c4f-4c47-9f52-0a1f1c0c7e55", resource="${origin}"`,
        }));
      }
      authorised++;
      if (options.revokeEvery && authorised % options.revokeEvery === 0) revoke();
    } else {
      stats.unauthenticated++;
    }
    const fault: Fault = proxy.enabled ? draw(table, random()) : 'pass';
    stats.faults[fault]++;
    res.on('close', () => { if (!res.writableFinished) stats.clientAborts++; });
    switch (fault) {
      case '429-retry-after':
        return drainThen(req, () => json(res, 429, { error: { code: 'Throttled', message: 'Request was not processed because too many requests were received.' } }, { 'retry-after': '1' }));
      case '429':
        return drainThen(req, () => json(res, 429, { error: { code: 'Throttled', message: 'Too many requests.' } }));
      case '503':
        return drainThen(req, () => json(res, 503, { error: { code: 'ServiceUnavailable', message: 'The service is unavailable.' } }));
      case '500':
        return drainThen(req, () => json(res, 500, { error: { code: 'InternalServerError', message: 'Internal error.' } }));
      case '503-malformed-body':
        return drainThen(req, () => raw(res, 503, '<html><body>Service Unavailable', 'application/json'));
      case 'reset-before-response':
        return drainThen(req, () => req.socket.resetAndDestroy());
      case 'insufficient-claims':
        // A token already issued with the claims asked for satisfies them (until the next event revokes it).
        if (!auth || auth.endsWith('-claims')) return forward(req, res, 'pass');
        // A CAE event refuses every token issued so far; events are spaced out (at most one per
        // CAE_EVENT_SPACING authorised requests), in between a claims challenge refuses just this request.
        if (authorised - lastEvent >= CAE_EVENT_SPACING) {
          lastEvent = authorised;
          revoke();
        }
        return drainThen(req, () => json(res, 401, { error: { code: 'Unauthorized', message: 'AKV10000: Token lacks required claims.' } }, { 'www-authenticate': CAE_CHALLENGE }));
      default:
        return forward(req, res, fault);
    }
  });

  function forward(req: IncomingMessage, res: ServerResponse, fault: Fault): void {
    const upstreamReq = httpRequest({
      agent,
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('error', () => res.destroy());
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const status = answer.statusCode ?? 502;
        if (req.method === 'PUT' && status === 200 && /^\/secrets\/[^/]+$/.test(new URL(req.url ?? '/', 'http://x').pathname)) {
          const id = String(req.headers['x-ms-client-request-id'] ?? '');
          stats.secretVersionsByCall.set(id, (stats.secretVersionsByCall.get(id) ?? 0) + 1);
        }
        const headers = { ...answer.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        delete headers['connection'];
        delete headers['keep-alive'];
        switch (fault) {
          case 'slow': {
            const timer = setTimeout(() => { timers.delete(timer); if (!res.destroyed) send(res, status, headers, body); }, options.slowMs);
            timers.add(timer);
            return;
          }
          case 'reset-during-response':
            // Headers and half the body, then a reset: the client sees the connection die mid-answer.
            res.writeHead(status, { ...headers, 'content-length': body.length });
            res.write(body.subarray(0, Math.floor(body.length / 2)));
            return void setImmediate(() => req.socket.resetAndDestroy());
          case 'truncated-json':
            // A clean end after half the JSON (no length announced): only the parser can tell.
            return send(res, status, headers, body.subarray(0, Math.floor(body.length / 2)));
          case 'malformed-json':
            return send(res, status, headers, Buffer.from(`<!-- proxy error -->${body.toString('utf8')}`));
          default:
            return send(res, status, headers, body);
        }
      });
    });
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    stats,
    enabled: true,
    setMix(mix) { table = cumulative(mix); },
    revokeTokens: revoke,
    stop: () => new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      agent.destroy();
    }),
  };
  return proxy;
}

function cumulative(mix: FaultMix): [Fault, number][] {
  const entries = Object.entries(mix).filter(([, w]) => w! > 0) as [Fault, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let running = 0;
  return entries.map(([fault, w]) => [fault, (running += w / total)]);
}

function draw(table: [Fault, number][], x: number): Fault {
  for (const [fault, upTo] of table) if (x < upTo) return fault;
  return table.at(-1)![0];
}

/** Reads (and drops) the request body first, so the client is never stuck writing into a closed socket. */
function drainThen(req: IncomingMessage, then: () => void): void {
  req.resume();
  if (req.readableEnded) then();
  else req.once('end', then);
}

function send(res: ServerResponse, status: number, headers: Record<string, unknown>, body: Buffer): void {
  res.writeHead(status, { ...(headers as Record<string, string>), 'content-length': body.length });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  raw(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

function raw(res: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
