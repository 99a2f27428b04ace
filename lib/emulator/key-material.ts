import { type JsonWebKey, type KeyObject, createPrivateKey, createPublicKey, createSecretKey, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { VaultError, badParameter } from './errors.js';

const generate = promisify(generateKeyPair);

/** Key types of the service; `-HSM` ones behave the same here and report `hsmPlatform: "2"`. */
export const KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM', 'oct', 'oct-HSM'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const KEY_OPS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey', 'import', 'export'] as const;

/** The family of a key type: `RSA-HSM` -> `RSA`. */
export const family = (kty: KeyType): 'RSA' | 'EC' | 'oct' => kty.replace('-HSM', '') as 'RSA' | 'EC' | 'oct';
export const isHsm = (kty: KeyType): boolean => kty.endsWith('-HSM');

// Key Vault's curve names -> JOSE/OpenSSL ones as node spells them in JWKs and key generation.
const CURVE_NODE: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'secp256k1' };
const CURVE_VAULT: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', secp256k1: 'P-256K' };
export const CURVES = Object.keys(CURVE_NODE);

/** What to generate. Defaults as the service: RSA 2048 (e=65537), EC P-256, oct 256. */
export interface KeySpec {
  readonly kty: KeyType;
  readonly keySize?: number | undefined;
  readonly publicExponent?: number | undefined;
  readonly crv?: string | undefined;
}

/** Private key material as stored: a JWK with every private part (`d`... or `k`), curve named as Key Vault does. */
export type Material = JsonWebKey & { readonly kty: string };

export function defaultKeyOps(kty: KeyType): string[] {
  const f = family(kty);
  return f === 'EC' ? ['sign', 'verify'] : f === 'RSA' ? ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'] : ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
}

/** Checks a create request's parameters and fills the service's defaults. */
export function resolveSpec(spec: KeySpec): Required<Pick<KeySpec, 'kty'>> & KeySpec {
  const f = family(spec.kty);
  if (f === 'RSA') {
    const keySize = spec.keySize ?? 2048;
    if (![2048, 3072, 4096].includes(keySize)) throw badParameter(`The key size ${keySize} is not supported for ${spec.kty} keys. Supported sizes: 2048, 3072, 4096.`);
    const publicExponent = spec.publicExponent ?? 65537;
    if (publicExponent < 3 || publicExponent % 2 === 0 || publicExponent > 0x7fffffff) throw badParameter('The public exponent is invalid.');
    return { kty: spec.kty, keySize, publicExponent };
  }
  if (f === 'EC') {
    const crv = spec.crv ?? 'P-256';
    if (!CURVE_NODE[crv]) throw badParameter(`The curve ${crv} is not supported. Supported curves: ${CURVES.join(', ')}.`);
    return { kty: spec.kty, crv };
  }
  const keySize = spec.keySize ?? 256;
  if (![128, 192, 256].includes(keySize)) throw badParameter(`The key size ${keySize} is not supported for ${spec.kty} keys. Supported sizes: 128, 192, 256.`);
  return { kty: spec.kty, keySize };
}

/** A node private key (or secret key for oct) for a spec; certificates use it to sign their CSR before storing it. */
export async function generateMaterial(spec: KeySpec): Promise<Material> {
  const s = resolveSpec(spec);
  const f = family(s.kty);
  if (f === 'oct') return { kty: 'oct', k: randomBytes(s.keySize! / 8).toString('base64url') };
  const pair =
    f === 'RSA'
      ? await generate('rsa', { modulusLength: s.keySize!, publicExponent: s.publicExponent! })
      : await generate('ec', { namedCurve: CURVE_NODE[s.crv!]! });
  return fromKeyObject(pair.privateKey);
}

/** Material from a node private key (imported PKCS#12 keys, generated keys). */
export function fromKeyObject(key: KeyObject): Material {
  const jwk = key.export({ format: 'jwk' });
  return { ...jwk, kty: jwk.kty ?? 'oct', ...(jwk.crv ? { crv: CURVE_VAULT[jwk.crv] ?? jwk.crv } : {}) };
}

/** Material from an imported JWK; the private part is required, and node checks the key is well formed. */
export function fromJwk(jwk: Readonly<Record<string, unknown>>, kty: KeyType): Material {
  const f = family(kty);
  const str = (k: string): string | undefined => (typeof jwk[k] === 'string' ? (jwk[k] as string) : undefined);
  try {
    if (f === 'oct') {
      const k = str('k');
      if (!k) throw badParameter('The imported key has no key material (k).');
      const bytes = Buffer.from(k, 'base64url');
      if (![16, 24, 32].includes(bytes.length)) throw badParameter('The imported symmetric key must be 128, 192 or 256 bits.');
      return { kty: 'oct', k: bytes.toString('base64url') };
    }
    if (!str('d')) throw badParameter('The imported key must include its private part (d).');
    const fields = f === 'RSA' ? ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] : ['x', 'y', 'd'];
    const input: Record<string, string> = { kty: f };
    for (const k of fields) {
      const v = str(k);
      if (v === undefined) throw badParameter(`The imported key is missing '${k}'.`);
      input[k] = v;
    }
    if (f === 'EC') {
      const crv = str('crv') ?? '';
      if (!CURVE_NODE[crv]) throw badParameter(`The curve ${crv} is not supported.`);
      input['crv'] = CURVE_NODE[crv]!;
    }
    return fromKeyObject(createPrivateKey({ key: input as JsonWebKey, format: 'jwk' }));
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw badParameter('The imported key is not a valid JSON Web Key.');
  }
}

/** The public JWK fields the service serves (`n`/`e` or `crv`/`x`/`y`; nothing for oct). */
export function publicFields(m: Material): Record<string, string> {
  if (m.kty === 'RSA') return { n: m.n!, e: m.e! };
  if (m.kty === 'EC') return { crv: m.crv!, x: m.x!, y: m.y! };
  return {};
}

/** Size of a key in bits (RSA modulus, AES key). */
export function keySize(m: Material): number {
  if (m.kty === 'RSA') return Buffer.from(m.n!, 'base64url').length * 8;
  if (m.kty === 'oct') return Buffer.from(m.k!, 'base64url').length * 8;
  return 0;
}

export interface NodeKeys {
  readonly private: KeyObject;
  readonly public: KeyObject;
}

// Parsing a JWK costs more than the operation on small inputs, so keys are kept per stored material.
const cache = new WeakMap<Material, NodeKeys | Buffer>();

/** node KeyObjects of asymmetric material. */
export function nodeKeys(m: Material): NodeKeys {
  let keys = cache.get(m) as NodeKeys | undefined;
  if (!keys) {
    const jwk = { ...m, ...(m.crv ? { crv: CURVE_NODE[m.crv] ?? m.crv } : {}) } as JsonWebKey;
    const priv = createPrivateKey({ key: jwk, format: 'jwk' });
    keys = { private: priv, public: createPublicKey(priv) };
    cache.set(m, keys);
  }
  return keys;
}

/** Raw bytes of symmetric material. */
export function secretBytes(m: Material): Buffer {
  let k = cache.get(m) as Buffer | undefined;
  if (!k) cache.set(m, (k = createSecretKey(Buffer.from(m.k!, 'base64url')).export()));
  return k;
}
