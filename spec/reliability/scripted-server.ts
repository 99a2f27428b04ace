import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a scripted server saw of one request. */
export interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
  headers: IncomingMessage['headers'];
}

export type Step = (req: IncomingMessage, res: ServerResponse, origin: string) => void;

/**
 * A plain-HTTP loopback server that answers its n-th request with `steps[n]` (the last step repeats), and
 * records every request: for tests that need an exact sequence over a real socket (timeouts, resets, redirects).
 */
export async function startScripted(steps: Step[]) {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = seen.length;
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: Buffer.concat(chunks).toString(), headers: req.headers });
      steps[Math.min(index, steps.length - 1)]!(req, res, `http://${req.headers.host}`);
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    stop: () => new Promise<void>((resolve) => { server.close(() => resolve()); for (const s of sockets) s.destroy(); }),
  };
}

export const TENANT_ID = '6b3ad0e5-3c4f-4c47-9f52-0a1f1c0c7e55';

/** Steps for the usual answers. */
export const reply = {
  challenge: (resource?: string): Step => (_req, res, origin) => json(res, 401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }, {
    'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", resource="${resource ?? origin}"`,
  }),
  status: (status: number, body: unknown, headers: Record<string, string> = {}): Step => (_req, res) => json(res, status, body, headers),
  secret: (name: string, value = 'v'): Step => (_req, res, origin) => json(res, 200, { value, id: `${origin}/secrets/${name}/0123456789abcdef0123456789abcdef`, attributes: { enabled: true } }),
  after: (ms: number, step: Step): Step => (req, res, origin) => { const t = setTimeout(() => { if (!res.destroyed) step(req, res, origin); }, ms); res.on('close', () => clearTimeout(t)); },
};

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
