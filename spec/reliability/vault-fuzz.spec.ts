import { expect } from 'chai';
import fc from 'fast-check';
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';

/**
 * The local vault under hostile input, by property-based fuzzing over plain HTTP on loopback with raw node:http
 * requests: malformed JSON, wrong types, huge and odd names, path tricks, missing and duplicate headers,
 * oversized bodies. Every answer must come (no hang), never be a 5xx, and every 4xx must be in Key Vault's
 * error shape `{"error":{"code","message"}}`; the server must never log an unexpected error, and still serve
 * after. `VAULT_FUZZ_RUNS` (default 10,000) and `VAULT_FUZZ_SEED` size and seed the run.
 */
const RUNS = Number(process.env['VAULT_FUZZ_RUNS'] ?? 10_000);
const SEED = Number(process.env['VAULT_FUZZ_SEED'] ?? 7);

const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-1, 0, 1, 2048, 4096, 2 ** 53, -(2 ** 31), 1e308, '', ' ', '0', 'true', 'null', 'P-256', 'RSA', 'EC', 'oct', 'A256GCM', 'RSA-OAEP', 'ES256', 'AQAB', 'Zm9v', '__proto__', 'constructor', '%00', '../..'),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
);

/** Bodies shaped like the operations' own, with wrong types and odd values in every field. */
const shapedBody = fc.oneof(
  fc.record({ value: weird, contentType: weird, tags: weird, attributes: weird }, { requiredKeys: [] }),
  fc.record({ kty: fc.oneof(weird, fc.constantFrom('EC', 'oct', 'EC-HSM', 'oct-HSM')), key_size: weird, crv: fc.oneof(weird, fc.constantFrom('P-256', 'P-384', 'P-256K')), key_ops: weird, attributes: weird, public_exponent: weird }, { requiredKeys: [] }),
  fc.record({ alg: weird, value: weird, iv: weird, aad: weird, tag: weird, digest: weird }, { requiredKeys: [] }),
  fc.record({ key: fc.oneof(weird, fc.record({ kty: weird, n: weird, e: weird, d: weird, crv: weird, x: weird, y: weird, k: weird }, { requiredKeys: [] })), hsm: weird }, { requiredKeys: [] }),
  fc.record({ policy: fc.oneof(weird, fc.record({ key_props: weird, secret_props: weird, x509_props: weird, issuer: weird, lifetime_actions: weird }, { requiredKeys: [] })), value: weird, pwd: weird }, { requiredKeys: [] }),
  fc.record({ lifetimeActions: weird, attributes: fc.oneof(weird, fc.record({ expiryTime: weird }, { requiredKeys: [] })) }, { requiredKeys: [] }),
  fc.record({ count: weird, target: weird, contacts: weird, provider: weird, credentials: weird, x5c: weird }, { requiredKeys: [] }),
);

const body = fc.oneof(
  // Nearly valid: some requests must reach deep into the handlers and succeed.
  { weight: 2, arbitrary: fc.constantFrom('{"value":"v"}', '{"value":"v","tags":{"a":"b"},"attributes":{"enabled":false}}', '{"kty":"EC"}', '{"kty":"oct","key_size":256}', '{"kty":"EC","crv":"P-384","key_ops":["sign"]}', '{"alg":"A256GCM","value":"AAAA"}', '{"alg":"ES256","value":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}', '{"count":16}', '{"value":"AAAA"}', '{"contentType":"x","tags":{}}', '{"lifetimeActions":[],"attributes":{"expiryTime":"P90D"}}') },
  { weight: 3, arbitrary: shapedBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"value":', '[', 'null', '""', '{"value":"a"', '{"__proto__":{"polluted":1},"value":"x"}', '{"constructor":{"prototype":{"polluted":1}}}', `{"tags":{"__proto__":"x"},"value":"v"}`, '\uFEFF{"value":"bom"}', '{"value":"\\ud800"}') },
  { weight: 1, arbitrary: fc.constantFrom('['.repeat(20_000), `{"value":"${'x'.repeat(30_000)}"}`, `{"a":${'9'.repeat(5_000)}}`) },
);

/** Objects the vault holds before the fuzzing starts, so that requests also reach existing objects. */
const EXISTING = ['fuzz-secret', 'fuzz-key', 'fuzz-oct'];
const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EXISTING) },
  { weight: 4, arbitrary: fc.stringMatching(/^[0-9a-zA-Z-]{1,20}$/) },
  { weight: 2, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2E%2E%2F', '%2F', 'a%2Fb', '%00', 'a%00b', '%', '%zz', '%E0%A4%A', '~', 'a;b', 'a.b', '_', 'CON', '%F0%9F%94%91', 'A'.repeat(127), 'A'.repeat(128), 'a'.repeat(5_000)) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }).map(encodeURIComponent) },
);
const suffix = fc.constantFrom('', '/', '//', '/backup', '/recover', '/create', '/import', '/encrypt', '/decrypt', '/sign', '/verify', '/wrapkey', '/unwrapkey', '/rotate', '/rotationpolicy', '/pending', '/pending/merge', '/versions', '/policy', '/release', '/attestation', '/../..', '/%2e%2e/%2e%2e');
const version = fc.oneof(fc.constant(''), fc.stringMatching(/^\/[0-9a-f]{32}$/), name.map((n) => `/${n}`));
const path = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('/secrets', '/keys', '/certificates', '/deletedsecrets', '/deletedkeys', '/deletedcertificates', '/certificates/issuers'), name, version, suffix).map(([collection, n, v, tail]) => `${collection}/${n}${v}${tail}`) },
  { weight: 2, arbitrary: fc.constantFrom('/', '/secrets', '/keys', '/certificates', '/rng', '/keys/restore', '/secrets/restore', '/certificates/restore', '/certificates/contacts', '/certificates/issuers', '/deletedsecrets', '/securitydomain', '/..', '/%2e%2e', '/secrets/%2F', '/secrets/..%2F..%2Fetc', '//secrets/a', '/secrets/a/b/c/d/e/f') },
  { weight: 1, arbitrary: fc.webPath().map((p) => p || '/') },
);
const query = fc.tuple(
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('api-version=7.6', 'api-version=2025-07-01', 'api-version=7.4', 'api%2Dversion=7.6') },
    { weight: 2, arbitrary: fc.constantFrom('', 'api-version=', 'api-version=7.6&api-version=1.0', 'api-version=9.9', 'api-version=%zz', 'API-VERSION=7.6') },
  ),
  fc.array(fc.tuple(fc.constantFrom('maxresults', '$skiptoken', 'outContentType', 'includePending', 'x', '%'), fc.oneof(fc.constantFrom('0', '-1', '1', '25', '26', '1e3', 'abc', '', '%zz', 'application/x-pem-file', 'true'), fc.string({ maxLength: 40 }).map(encodeURIComponent))), { maxLength: 3 }),
).map(([v, extra]) => [v, ...extra.map(([k, x]) => `${k}=${x}`)].filter(Boolean).join('&'));

const headers = fc.record({
  // Mostly a good token, so that most requests get past auth and into the handlers.
  authorization: fc.oneof(
    { weight: 8, arbitrary: fc.constant('Bearer t') },
    { weight: 2, arbitrary: fc.constantFrom(undefined, 'Bearer ', 'bearer t', 'Basic dDp0', 'Bearer\tt', 'Bearer t t', `Bearer ${'t'.repeat(8_000)}`, 'PoP t', ['Bearer a', 'Bearer b']) },
  ),
  'content-type': fc.option(fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', ['application/json', 'text/xml']), { nil: undefined }),
  'x-ms-client-request-id': fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 20 }).map(encodeURIComponent)), { nil: undefined }),
  host: fc.option(fc.constantFrom('127.0.0.1', 'evil.example', 'a'.repeat(300), '[::1]:1'), { nil: undefined }),
}, { requiredKeys: ['authorization'] });

const hostileRequest = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('GET', 'PUT', 'POST', 'PATCH', 'DELETE') }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT_X') }),
  path,
  query,
  headers,
  body: fc.option(body, { nil: undefined, freq: 3 }),
  oversized: fc.boolean().map((b) => b).chain((b) => (b ? fc.constantFrom(false, false, false, false, false, false, false, false, false, true) : fc.constant(false))),
});

interface Answer { status: number; text: string; headers: Record<string, unknown> }

interface HostileRequest { method: string; path: string; query: string; headers: Record<string, string | string[] | undefined>; body: string | undefined; oversized: boolean }

function send(vault: RunningVault, agent: Agent, r: HostileRequest): Promise<Answer> {
  const url = new URL(vault.url);
  const payload = r.oversized ? Buffer.alloc(1024 * 1024 + 10, 'x') : r.body === undefined ? undefined : Buffer.from(r.body);
  const hdrs: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) hdrs[k] = v;
  if (payload) hdrs['content-length'] = payload.length;
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, method: r.method, path: `${r.path}${r.query ? `?${r.query}` : ''}`, headers: hdrs, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    // The vault may answer an oversized body early and close: that is an answer, not an error.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: 413, text: '{"error":{"code":"closed","message":"closed early"}}', headers: {} }) : reject(error)));
    req.end(payload);
  });
}

function errorShaped(text: string): boolean {
  try {
    const json = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof json.error?.code === 'string' && typeof json.error.message === 'string';
  } catch {
    return false;
  }
}

describe('the local vault under hostile input', function () {
  this.timeout(600_000);
  let vault: RunningVault;
  let agent: Agent;
  let operations: [string, string][] = [];
  const unexpected: unknown[] = [];
  let consoleError: typeof console.error;

  before(async () => {
    vault = await startVault({ tls: false });
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const put = (path: string, json: string) => send(vault, agent, { method: path.endsWith('/create') ? 'POST' : 'PUT', path, query: 'api-version=7.6', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: json, oversized: false });
    const version = (answer: Answer) => { expect(answer.status).to.equal(200); return (JSON.parse(answer.text) as { id?: string; key?: { kid: string } }).key?.kid ?? (JSON.parse(answer.text) as { id: string }).id; };
    const secret = version(await put('/secrets/fuzz-secret', '{"value":"v"}')).split('/').pop()!;
    const ecKey = version(await put('/keys/fuzz-key/create', '{"kty":"EC","crv":"P-256"}')).split('/').pop()!;
    const octKey = version(await put('/keys/fuzz-oct/create', '{"kty":"oct-HSM","key_size":256}')).split('/').pop()!;
    const rsaKey = version(await put('/keys/fuzz-rsa/create', '{"kty":"RSA","key_size":2048}')).split('/').pop()!;
    // Real routes on objects that exist, so that fuzzed bodies reach the handlers' own checks.
    operations = [
      ['PUT', '/secrets/fuzz-secret'], ['PATCH', `/secrets/fuzz-secret/${secret}`], ['PATCH', '/secrets/fuzz-secret'], ['POST', '/secrets/restore'],
      ['POST', '/keys/fuzz-key/create'], ['PUT', '/keys/fuzz-imported'], ['PATCH', `/keys/fuzz-key/${ecKey}`], ['POST', '/keys/fuzz-key/rotate'],
      ['PUT', '/keys/fuzz-key/rotationpolicy'], ['POST', `/keys/fuzz-key/${ecKey}/release`], ['POST', '/keys/restore'], ['POST', '/rng'],
      ...['sign', 'verify'].map((op): [string, string] => ['POST', `/keys/fuzz-key/${ecKey}/${op}`]),
      ...['encrypt', 'decrypt', 'wrapkey', 'unwrapkey', 'sign', 'verify'].map((op): [string, string] => ['POST', `/keys/fuzz-rsa/${rsaKey}/${op}`]),
      ...['encrypt', 'decrypt', 'wrapkey', 'unwrapkey'].map((op): [string, string] => ['POST', `/keys/fuzz-oct/${octKey}/${op}`]),
      ['POST', '/certificates/fuzz-cert/create'], ['POST', '/certificates/fuzz-cert/import'], ['PATCH', '/certificates/fuzz-cert/policy'],
      ['PATCH', '/certificates/fuzz-cert/pending'], ['POST', '/certificates/fuzz-cert/pending/merge'], ['PATCH', '/certificates/fuzz-cert'],
      ['PUT', '/certificates/contacts'], ['PUT', '/certificates/issuers/fuzz-issuer'], ['PATCH', '/certificates/issuers/fuzz-issuer'], ['POST', '/certificates/restore'],
    ];
    consoleError = console.error;
    console.error = (...args: unknown[]) => { unexpected.push(args); };
  });
  after(async () => {
    console.error = consoleError;
    agent.destroy();
    await vault.stop();
  });

  it(`answers ${RUNS} malformed requests with no crash, no 5xx, every error in Key Vault's shape`, async () => {
    const statuses: Record<number, number> = {};
    const bad: string[] = [];
    const operationRequest = fc.record({
      operation: fc.constantFrom(...operations),
      query: fc.constantFrom('api-version=7.6', 'api-version=2025-07-01', 'api-version=7.5'),
      headers: fc.constant({ authorization: 'Bearer t', 'content-type': 'application/json' }),
      body: fc.oneof(shapedBody.map((b) => JSON.stringify(b)), fc.record({ value: fc.oneof(fc.base64String({ maxLength: 400 }), weird) }).map((b) => JSON.stringify(b)), body),
      oversized: fc.constant(false),
    }).map(({ operation: [method, path], ...rest }) => ({ method, path, ...rest }));
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 2, arbitrary: hostileRequest }, { weight: 1, arbitrary: operationRequest }), async (r) => {
        const answer = await send(vault, agent, r);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        const wrong = answer.status >= 500 || answer.status < 100 || (answer.status >= 400 && r.method !== 'HEAD' && !errorShaped(answer.text));
        if (wrong) bad.push(`${r.method} ${r.path.slice(0, 80)}?${r.query.slice(0, 60)} → ${answer.status} ${answer.text.slice(0, 120)}`);
        return !wrong;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`      fuzz: ${RUNS} requests, answers by status ${JSON.stringify(statuses)}`);
    expect(bad).to.deep.equal([]);
    expect(unexpected, 'errors the vault logged as unexpected').to.deep.equal([]);
    // Still serving, and its state intact.
    const health = await send(vault, agent, { method: 'PUT', path: '/secrets/after-fuzz', query: 'api-version=7.6', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"value":"ok"}', oversized: false });
    expect(health.status).to.equal(200);
    expect(({} as Record<string, unknown>)['polluted'], 'prototype pollution').to.equal(undefined);
  });

  it('answers malformed HTTP on the socket with a 4xx and keeps serving', async () => {
    const url = new URL(vault.url);
    const raw = [
      'GET /secrets/a?api-version=7.6 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
      'PUT /secrets/a?api-version=7.6 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc',
      'PUT /secrets/a?api-version=7.6 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer t\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
      'GET /secrets/a?api-version=7.6 HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n',
      'GET /secrets/a HTTP/9.9\r\n\r\n',
      'NOT-HTTP\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /secrets/a?api-version=7.6 HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(100_000)}\r\n\r\n`,
      'GET /secrets/a?api-version=7.6 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nAuthorization: Bearer u\r\n\r\n',
      'GET /secrets/a?api-version=7.6 HTTP/1.0\r\n\r\n',
    ];
    const statuses: number[] = [];
    const unshaped: string[] = [];
    for (const text of raw) {
      const status = await new Promise<number>((resolve) => {
        const socket = connect(Number(url.port), url.hostname);
        let data = '';
        socket.on('data', (c) => { data += c.toString(); });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0);
          const payload = data.slice(data.indexOf('\r\n\r\n') + 4);
          if (status >= 400 && !errorShaped(payload)) unshaped.push(`${text.slice(0, 40)} → ${data.slice(0, 80)}`);
          resolve(status);
        });
        socket.setTimeout(5_000, () => socket.destroy());
        socket.end(text);
      });
      statuses.push(status);
    }
    console.log(`      raw HTTP: statuses ${JSON.stringify(statuses)}`);
    for (const status of statuses) expect(status >= 200 && status < 500, `status ${status}`).to.equal(true);
    expect(unshaped).to.deep.equal([]);
    expect(unexpected).to.deep.equal([]);
    const health = await send(vault, agent, { method: 'PUT', path: '/secrets/after-raw', query: 'api-version=7.6', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"value":"ok"}', oversized: false });
    expect(health.status).to.equal(200);
  });
});
