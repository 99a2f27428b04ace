/** Keys as Key Vault describes them (`{kty, size}` or `{kty, crv}`), made and read with node:crypto. */
import { createPublicKey, generateKeyPair as generateNodeKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** Elliptic curves as Key Vault names them. */
export type Curve = 'P-256' | 'P-384' | 'P-521' | 'P-256K';
export const CURVES: readonly Curve[] = ['P-256', 'P-384', 'P-521', 'P-256K'];
export const RSA_SIZES: readonly number[] = [2048, 3072, 4096];

/** The key a policy asks for. */
export type KeySpec = { readonly kty: 'RSA'; readonly size: number } | { readonly kty: 'EC'; readonly crv: Curve };

const NODE_CURVES: Record<Curve, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', 'P-256K': 'secp256k1' };
const CURVE_BITS: Record<Curve, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, 'P-256K': 256 };
// The hash the service pairs with each curve when it signs a certificate or CSR.
export const CURVE_HASH: Record<Curve, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512', 'P-256K': 'SHA-256' };
export const WEB_CURVES: Record<Curve, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'K-256' };

const generateAsync = promisify(generateNodeKeyPair);

/** A new private key (node:crypto, so P-256K works too). */
export async function generatePrivateKey(spec: KeySpec): Promise<KeyObject> {
  const pair =
    spec.kty === 'RSA'
      ? await generateAsync('rsa', { modulusLength: spec.size, publicExponent: 0x10001 })
      : await generateAsync('ec', { namedCurve: NODE_CURVES[spec.crv] });
  return pair.privateKey;
}

/** What a key is, in Key Vault's words: `{kty: 'RSA', size: 2048}` or `{kty: 'EC', crv: 'P-256'}`. */
export function keySpecOf(key: KeyObject): KeySpec {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { kty: 'RSA', size: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const crv = CURVES.find((c) => NODE_CURVES[c] === details.namedCurve);
    if (crv) return { kty: 'EC', crv };
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** Bits of a key: the modulus for RSA, the curve size for EC. */
export const keyBits = (spec: KeySpec): number => (spec.kty === 'RSA' ? spec.size : CURVE_BITS[spec.crv]);

/** The public half of a key as SubjectPublicKeyInfo DER. */
export const spki = (key: KeyObject): Buffer => createPublicKey(key).export({ type: 'spki', format: 'der' });
