import { expect } from 'chai';
import { Agent, request } from 'undici';
import type { RunningVault } from '../../lib/emulator/index.js';

/** A raw answer of the vault. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The parsed JSON body; `any` because tests read arbitrary fields of it. */
  readonly json: any;
}

export interface CallOptions {
  /** JSON-serialised unless a string (sent as is). */
  readonly body?: unknown;
  /** Bearer token; `null` sends no Authorization header. Default `t`. */
  readonly token?: string | null;
  /** api-version; `null` omits it. Default 7.6. */
  readonly apiVersion?: string | null;
  readonly headers?: Record<string, string>;
}

const agents = new WeakMap<object, Agent>();

/** Sends one request to the vault, trusting only its CA; `path` may carry its own query. */
export async function call(vault: Pick<RunningVault, 'url' | 'ca'>, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  let agent = agents.get(vault);
  if (!agent) agents.set(vault, (agent = new Agent({ connect: { ca: vault.ca } })));
  const { token = 't', apiVersion = '7.6' } = options;
  const sep = path.includes('?') ? '&' : '?';
  const url = `${vault.url}${path}${apiVersion === null ? '' : `${sep}api-version=${apiVersion}`}`;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const res = await request(url, {
    method: method as 'GET',
    dispatcher: agent,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** Asserts an answer is Key Vault's error shape `{"error":{"code","message"}}` with that status and code. */
export function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).to.equal(status);
  expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
  expect(Object.keys(answer.json)).to.deep.equal(['error']);
  expect(Object.keys(answer.json.error).slice(0, 2)).to.deep.equal(['code', 'message']);
  expect(['code', 'message', 'innererror']).to.include.members(Object.keys(answer.json.error));
  expect(answer.json.error.code).to.equal(code);
  expect(answer.json.error.message).to.be.a('string').and.not.equal('');
}

/** Dotted field paths of a JSON value (array items folded into `[]`), to compare shapes with the spec's examples. */
export function fieldsOf(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) fieldsOf(item, `${prefix}[]`, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${k}` : k;
      out.add(path);
      fieldsOf(v, path, out);
    }
  }
  return out;
}

const EXAMPLES = new URL('../fixtures/spec/keyvault/', import.meta.url);

/** A spec example (`7.6/examples/SetSecret-example.json`): its request parameters and 200 body. */
export async function example(path: string): Promise<{ parameters: Record<string, unknown>; body: Record<string, unknown> }> {
  const { readFile } = await import('node:fs/promises');
  const e = JSON.parse(await readFile(new URL(path, EXAMPLES), 'utf8')) as { parameters: Record<string, unknown>; responses: Record<string, { body?: Record<string, unknown> }> };
  return { parameters: e.parameters, body: e.responses['200']?.body ?? {} };
}

/** The certificate the vault presents over TLS, trusting only `ca` (read after an answer: nock's socket interception fills it in only then). */
export async function servedCertificate(url: string, ca: string): Promise<import('node:crypto').X509Certificate> {
  const { request: httpsRequest } = await import('node:https');
  const { X509Certificate } = await import('node:crypto');
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port), path: '/', ca, agent: false }, (res) => {
      const raw = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().raw;
      res.resume();
      resolve(new X509Certificate(raw));
    });
    req.on('error', reject);
    req.end();
  });
}
