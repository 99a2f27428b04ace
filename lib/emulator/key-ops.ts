import { randomBytes } from 'node:crypto';
import { ALGORITHMS, type CipherInput, type CipherOutput, decrypt, encrypt, sign, unwrapKey, verify, wrapKey } from './key-crypto.js';
import { badParameter, forbidden } from './errors.js';
import { base64url, bodyObject, optInt, reqString } from './input.js';
import { type KeyRecord, familyOf, keysOf, kidOf } from './keys.js';
import type { Material } from './key-material.js';
import { type Version, nowSeconds } from './objects.js';
import { type Handler, type Route, type VaultRequest, ok } from './router.js';
import type { Store } from './store.js';

type Op = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'wrapKey' | 'unwrapKey';

// "Not-yet-valid and expired keys, outside the nbf/exp window, will work for decrypt, unwrap, and verify
// operations" (About keys, date-time controlled operations): undoing past work stays possible, new work does not.
const OUTSIDE_WINDOW_OPS: ReadonlySet<string> = new Set(['decrypt', 'unwrapKey', 'verify']);

/** Checks a key may perform `op` at `now` (epoch seconds): enabled, listed in key_ops, inside nbf/exp unless the operation undoes past work. */
export function usable(found: Version<KeyRecord>, op: string, now: number): KeyRecord {
  const r = found.value;
  if (!r.attributes.enabled) throw forbidden(`Operation ${op} is not allowed on a disabled key.`);
  if (!r.key_ops.includes(op)) throw forbidden(`Operation ${op} is not permitted on this key.`);
  if (!OUTSIDE_WINDOW_OPS.has(op)) {
    if (r.attributes.exp !== undefined && now > r.attributes.exp) throw forbidden(`Operation ${op} is not allowed on an expired key.`);
    if (r.attributes.nbf !== undefined && now < r.attributes.nbf) throw forbidden(`Operation ${op} is not allowed on a key that is not yet valid.`);
  }
  return r;
}

function algorithm(r: KeyRecord, table: Partial<Record<'RSA' | 'EC' | 'oct', readonly string[]>>, alg: string): string {
  if (!table[familyOf(r)]?.includes(alg)) throw badParameter(`The algorithm ${alg} is not supported for ${r.kty} keys in this operation.`);
  return alg;
}

const b64 = (b: Buffer): string => b.toString('base64url');

/** A KeyOperationResult: kid and base64url value (iv, tag, aad for AES-GCM/CBC). */
const result = (req: VaultRequest, found: Version<KeyRecord>, out: CipherOutput) =>
  ok({
    kid: kidOf(req.origin, found),
    value: b64(out.value),
    ...(out.iv ? { iv: b64(out.iv) } : {}),
    ...(out.tag ? { tag: b64(out.tag) } : {}),
    ...(out.aad ? { aad: b64(out.aad) } : {}),
  });

/** What every operation on a key version starts with: its body, the version (usable for `op` now) and the algorithm asked for, checked against `table`. */
function keyRequest(req: VaultRequest, store: Store, op: Op, table: keyof typeof ALGORITHMS) {
  const body = bodyObject(req);
  const found = keysOf(store).get(req.params['name']!, req.params['version']);
  const r = usable(found, op, nowSeconds(store));
  return { body, found, material: r.material, alg: algorithm(r, ALGORITHMS[table], reqString(body, 'alg')) };
}

function cipherRoute(path: string, op: Op, table: keyof typeof ALGORITHMS, run: (m: Material, input: CipherInput) => CipherOutput, store: Store): Route {
  const handler: Handler = (req) => {
    const { body, found, material, alg } = keyRequest(req, store, op, table);
    const input: CipherInput = { alg, value: base64url(body, 'value', true), iv: base64url(body, 'iv'), aad: base64url(body, 'aad'), tag: base64url(body, 'tag') };
    return result(req, found, run(material, input));
  };
  return { method: 'POST', path: `/keys/{name}/{version}/${path}`, handler };
}

/** Cryptographic operations on a key version, and the vault's random bytes. */
export function keyOperationRoutes(store: Store): Route[] {
  return [
    cipherRoute('encrypt', 'encrypt', 'encrypt', encrypt, store),
    cipherRoute('decrypt', 'decrypt', 'encrypt', decrypt, store),
    cipherRoute('wrapkey', 'wrapKey', 'wrapKey', wrapKey, store),
    cipherRoute('unwrapkey', 'unwrapKey', 'wrapKey', unwrapKey, store),
    {
      method: 'POST',
      path: '/keys/{name}/{version}/sign',
      handler: (req) => {
        const { body, found, material, alg } = keyRequest(req, store, 'sign', 'sign');
        return result(req, found, { value: sign(material, alg, base64url(body, 'value', true)) });
      },
    },
    {
      method: 'POST',
      path: '/keys/{name}/{version}/verify',
      handler: (req) => {
        const { body, material, alg } = keyRequest(req, store, 'verify', 'sign');
        return ok({ value: verify(material, alg, base64url(body, 'digest', true), base64url(body, 'value', true)) });
      },
    },
    {
      method: 'POST',
      path: '/rng',
      handler: (req) => {
        const count = optInt(bodyObject(req), 'count');
        if (count === undefined || count < 1 || count > 128) throw badParameter('The count must be an integer between 1 and 128.');
        return ok({ value: b64(randomBytes(count)) });
      },
    },
  ];
}
