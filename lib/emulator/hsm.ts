import { X509Certificate, createHash, createPrivateKey, createPublicKey, constants, createCipheriv, publicEncrypt, randomBytes, sign } from 'node:crypto';
import { badParameter, forbidden } from './errors.js';
import { bodyObject, optString, reqString } from './input.js';
import { type KeyRecord, keysOf, kidOf, renderKey } from './keys.js';
import { type Material, isHsm, nodeKeys, secretBytes } from './key-material.js';
import type { Version } from './objects.js';
import { type Route, type VaultRequest, ok } from './router.js';
import type { Store } from './store.js';
import { type TlsIdentity, createTlsIdentity } from './tls.js';

// The emulated HSM's identity: one self-signed EC certificate per process, made on first use. It signs release
// tokens and key attestations, so a client can check both came from this vault (and nothing more).
let identity: Promise<TlsIdentity> | undefined;
const hsmIdentity = (): Promise<TlsIdentity> => (identity ??= createTlsIdentity('localhost'));

const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const derOf = (pem: string): Buffer => Buffer.from(new X509Certificate(pem).raw);

/** A compact JWS (ES256) signed by the emulated HSM, its certificate in `x5c`. */
async function jws(payload: unknown): Promise<string> {
  const id = await hsmIdentity();
  const header = b64u(JSON.stringify({ alg: 'ES256', typ: 'JWT', x5c: [derOf(id.cert).toString('base64')] }));
  const body = b64u(JSON.stringify(payload));
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), { key: createPrivateKey(id.key), dsaEncoding: 'ieee-p1363' });
  return `${header}.${body}.${b64u(signature)}`;
}

/** The first RSA public JWK a release target (an attestation JWT) carries, where MAA tokens put them. */
function targetKey(target: string): Record<string, unknown> | undefined {
  try {
    const claims = JSON.parse(Buffer.from(target.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    const runtime = claims['x-ms-runtime'] as { keys?: unknown[] } | undefined;
    const ehd = typeof claims['aas-ehd'] === 'string' ? (JSON.parse(Buffer.from(claims['aas-ehd'], 'base64url').toString()) as { keys?: unknown[] }) : undefined;
    return [...(runtime?.keys ?? []), ...(ehd?.keys ?? [])].find((k): k is Record<string, unknown> => !!k && typeof k === 'object' && (k as { kty?: unknown }).kty === 'RSA');
  } catch {
    return undefined;
  }
}

/**
 * `key_hsm` of a released key. With an RSA key in the target, the key is wrapped for it as CKM_RSA_AES_KEY_WRAP
 * (RSA-OAEP of a fresh AES-256 key, then AES key wrap with padding of the private key: PKCS#8 DER, or the raw AES key).
 * Without one, the emulator releases the private JWK in clear (`enc: "none"`): it is a test double, not an HSM.
 */
function keyHsm(m: Material, target: string, enc: string): string {
  const plain = m.kty === 'oct' ? secretBytes(m) : nodeKeys(m).private.export({ type: 'pkcs8', format: 'der' });
  const wrapping = targetKey(target);
  if (!wrapping) return b64u(JSON.stringify({ schema_version: '1.0', header: { alg: 'none', enc: 'none' }, ciphertext: b64u(JSON.stringify(m)) }));
  const aes = randomBytes(32);
  const oaepHash = enc === 'RSA_AES_KEY_WRAP_384' ? 'sha384' : enc === 'RSA_AES_KEY_WRAP_256' ? 'sha256' : 'sha1';
  const rsa = publicEncrypt({ key: createPublicKey({ key: wrapping as never, format: 'jwk' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, aes);
  const cipher = createCipheriv('id-aes256-wrap-pad', aes, Buffer.from('A65959A6', 'hex'));
  const wrapped = Buffer.concat([cipher.update(plain), cipher.final()]);
  return b64u(JSON.stringify({ schema_version: '1.0', header: { kid: wrapping['kid'], alg: 'dir', enc }, ciphertext: b64u(Buffer.concat([rsa, wrapped])) }));
}

const ENCS = ['CKM_RSA_AES_KEY_WRAP', 'RSA_AES_KEY_WRAP_256', 'RSA_AES_KEY_WRAP_384'];

async function release(req: VaultRequest, found: Version<KeyRecord>): Promise<{ value: string }> {
  const body = bodyObject(req);
  const target = reqString(body, 'target');
  const nonce = optString(body, 'nonce');
  const enc = optString(body, 'enc') ?? 'CKM_RSA_AES_KEY_WRAP';
  if (!ENCS.includes(enc)) throw badParameter(`The key encryption algorithm ${enc} is not supported.`);
  const r = found.value;
  if (!r.attributes.enabled) throw forbidden('Operation release is not allowed on a disabled key.');
  if (!r.attributes.exportable || !r.release_policy) throw forbidden('Operation release is not allowed on a key that is not exportable.');
  const bundle = renderKey(req.origin, found);
  const payload = {
    request: { 'api-version': req.apiVersion, enc, kid: kidOf(req.origin, found), ...(nonce === undefined ? {} : { nonce }) },
    response: { key: { ...bundle, key: { ...(bundle['key'] as object), key_hsm: keyHsm(r.material, target, enc) } } },
  };
  return { value: await jws(payload) };
}

/** Attestation of an HSM key: the HSM certificate, and its signatures over the public key and the key id. */
async function attestation(req: VaultRequest, found: Version<KeyRecord>): Promise<Record<string, unknown>> {
  if (!isHsm(found.value.kty)) throw badParameter('Key attestation is only available for HSM-protected keys (RSA-HSM, EC-HSM, oct-HSM).');
  const id = await hsmIdentity();
  const m = found.value.material;
  const publicPart = m.kty === 'oct' ? createHash('sha256').update(secretBytes(m)).digest() : nodeKeys(m).public.export({ type: 'spki', format: 'der' });
  const signer = createPrivateKey(id.key);
  const bundle = renderKey(req.origin, found);
  return {
    ...bundle,
    attributes: {
      ...(bundle['attributes'] as object),
      attestation: {
        certificatePemFile: Buffer.from(id.cert).toString('base64'),
        privateKeyAttestation: sign('sha256', Buffer.from(kidOf(req.origin, found)), signer).toString('base64'),
        publicKeyAttestation: Buffer.concat([publicPart, sign('sha256', publicPart, signer)]).toString('base64'),
        version: '1.0',
      },
    },
  };
}

/** Release of exportable keys and attestation of HSM keys. */
export function hsmRoutes(store: Store): Route[] {
  const keys = keysOf(store);
  return [
    { method: 'POST', path: '/keys/{name}/{version?}/release', handler: async (req) => ok(await release(req, keys.get(req.params['name']!, req.params['version']))) },
    { method: 'GET', path: '/keys/{name}/{version?}/attestation', handler: async (req) => ok(await attestation(req, keys.get(req.params['name']!, req.params['version']))) },
  ];
}
