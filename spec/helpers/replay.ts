import http from 'node:http';
import https from 'node:https';
import { readdirSync } from 'node:fs';
import { fieldsOf } from '../emulator/http.js';
import { fixture } from './fixtures.js';
import { recording, type Exchange } from './recordings.js';

/**
 * Replays the real Key Vault sessions of spec/fixtures/recordings against a Key Vault-compatible server (the local
 * vault) and reports, exchange by exchange, whether it answers as the service did: the same status code and the same
 * JSON field names (values differ: ids, versions, times and key material are the server's own).
 *
 * Values the service generated (versions, ciphertexts, signatures, backup blobs) are learnt from the server's answers
 * and substituted into later requests, so a session runs as it did against the service. Two timing effects are
 * tolerated: a GET the service answered 404 (still deleting) or with a pending status may already be complete here.
 * (The project's port of the reference tool replay-recordings.mjs that came with the recordings.)
 */
export interface ReplayReport {
  matched: number;
  total: number;
  /** One line per mismatch: `area/file #n METHOD path: problems`. */
  misses: string[];
}

interface Answer { status: number; headers: http.IncomingHttpHeaders; json: unknown }

const SERVICE_ORIGIN = /https:\/\/[A-Za-z0-9.-]+\.vault\.azure\.net(:443)?/g;
/** Fields the service sends that a faithful vault need not: error detail, and extras of the service's issuer store. */
const OPTIONAL_FIELD = /^error\.(innererror|message)|(^|\.)(zip|basic_constraints)(\.|$)/;

function send(target: URL, ca: string | undefined, method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<Answer> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request({ host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path, method, headers, ca, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json: unknown;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, json });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Learns recorded → actual substitutions from two answers to the same request (string leaves at the same path). */
function learn(recorded: unknown, actual: unknown, subst: Map<string, string>): void {
  if (typeof recorded === 'string' && typeof actual === 'string') {
    if (recorded === actual || recorded.length < 8) return;
    subst.set(recorded, actual);
    // The last path segment alone (a version), for requests that carry only the version.
    const r = recorded.split('/').pop(), a = actual.split('/').pop();
    if (r && a && r !== a && r.length >= 16) subst.set(r, a);
  } else if (recorded && actual && typeof recorded === 'object' && typeof actual === 'object') {
    for (const key of Object.keys(recorded)) learn((recorded as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], subst);
  }
}

const apply = (text: string, subst: Map<string, string>) => [...subst].reduce((s, [from, to]) => s.split(from).join(to), text);

/** The recorded session files of an area (`secrets`, `keys`, `certificates`), sorted by name. */
export const sessions = (area: string): string[] =>
  readdirSync(fixture(`recordings/${area}`)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();

/** Replays one recorded exchange and returns what differs from the service's answer (nothing: a match). */
async function check(e: Exchange, target: URL, ca: string | undefined, subst: Map<string, string>): Promise<string[]> {
  const origin = `${target.protocol}//${target.host}`;
  const uri = new URL(e.RequestUri);
  const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
  // The service challenged only the token-less first request of each session.
  if (e.StatusCode !== 401) headers.authorization = 'Bearer replay-token';
  const raw = e.RequestBody == null ? undefined : typeof e.RequestBody === 'string' ? e.RequestBody : JSON.stringify(e.RequestBody);
  const body = raw ? apply(raw.replace(SERVICE_ORIGIN, origin), subst) : undefined;
  if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  let got: Answer;
  try { got = await send(target, ca, e.RequestMethod, apply(uri.pathname + uri.search, subst), headers, body); } catch { got = { status: 0, headers: {}, json: undefined }; }
  const recorded = e.ResponseBody && typeof e.ResponseBody === 'object' ? JSON.parse(JSON.stringify(e.ResponseBody).replace(SERVICE_ORIGIN, origin)) : undefined;
  if (recorded && got.json) learn(recorded, got.json, subst);
  const problems: string[] = [];
  const gotStatus = (got.json as { status?: unknown } | undefined)?.status;
  const timing = (e.StatusCode === 404 && got.status === 200 && e.RequestMethod === 'GET' && /^\/(deleted|secrets|keys|certificates)/.test(uri.pathname))
    || (recorded?.status === 'inProgress' && gotStatus !== undefined && gotStatus !== 'inProgress');
  if (got.status !== e.StatusCode && !timing) problems.push(`status ${got.status}, service ${e.StatusCode}`);
  if (e.StatusCode === 401 && got.status === 401 && !/^Bearer /i.test(String(got.headers['www-authenticate'] ?? ''))) problems.push('no Bearer challenge in WWW-Authenticate');
  if (recorded && got.status === e.StatusCode && !timing) {
    const have = fieldsOf(got.json ?? {});
    const missing = [...fieldsOf(recorded)].filter((k) => !have.has(k) && !OPTIONAL_FIELD.test(k));
    if (missing.length) problems.push(`missing fields: ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ` (+${missing.length - 6})` : ''}`);
  }
  return problems;
}

/** Replays every recorded session of `areas` against the server at `url` (loopback only), trusting `ca`. */
export async function replay(url: string, ca: string | undefined, areas: readonly string[]): Promise<ReplayReport> {
  const target = new URL(url);
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(target.hostname)) throw new Error(`refusing a non-loopback target: ${url}`);
  const report: ReplayReport = { matched: 0, total: 0, misses: [] };
  for (const area of areas) {
    for (const name of sessions(area)) {
      const subst = new Map<string, string>();
      for (const [i, e] of recording(area, name).entries()) {
        const problems = await check(e, target, ca, subst);
        report.total++;
        if (problems.length) report.misses.push(`${area}/${name}.json #${i + 1} ${e.RequestMethod} ${new URL(e.RequestUri).pathname}: ${problems.join('; ')}`);
        else report.matched++;
      }
    }
  }
  return report;
}
