import { type KeyObject, constants, createECDH, createHash, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, timingSafeEqual } from 'node:crypto';

// Key Vault signs a DIGEST the client computed. node:crypto's sign/verify always hash their input, so the
// signature schemes are assembled here from node's raw primitives: the RSA private/public operation
// (NO_PADDING, or PKCS#1 type 1 on a DigestInfo) and EC scalar multiplication by the generator (ECDH).

type Hash = 'sha256' | 'sha384' | 'sha512';

const DIGEST_INFO: Record<Hash, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

/** RSASSA-PKCS1-v1_5 over a digest. */
export const rsaPkcs1Sign = (key: KeyObject, hash: Hash, digest: Buffer): Buffer =>
  privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[hash], digest]));

export function rsaPkcs1Verify(key: KeyObject, hash: Hash, digest: Buffer, signature: Buffer): boolean {
  try {
    return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature).equals(Buffer.concat([DIGEST_INFO[hash], digest]));
  } catch {
    return false;
  }
}

function mgf1(hash: Hash, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0, size = 0; size < length; i++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    size += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

const modulusBits = (key: KeyObject): number => key.asymmetricKeyDetails?.modulusLength ?? 0;

/** RSASSA-PSS (MGF1 with the same hash, salt length = hash length, as JOSE PS256/384/512) over a digest. */
export function rsaPssSign(key: KeyObject, hash: Hash, digest: Buffer): Buffer {
  const k = Math.ceil(modulusBits(key) / 8);
  const emBits = modulusBits(key) - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([Buffer.alloc(k - emLen), db, h, Buffer.from([0xbc])]);
  return privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, em);
}

export function rsaPssVerify(key: KeyObject, hash: Hash, digest: Buffer, signature: Buffer): boolean {
  const k = Math.ceil(modulusBits(key) / 8);
  if (signature.length !== k) return false;
  const emBits = modulusBits(key) - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  let em: Buffer;
  try {
    em = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, signature).subarray(k - emLen);
  } catch {
    return false;
  }
  if (em[emLen - 1] !== 0xbc) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const ps = db.subarray(0, emLen - 2 * hLen - 2);
  if (ps.some((b) => b !== 0) || db[emLen - 2 * hLen - 2] !== 1) return false;
  const salt = db.subarray(db.length - hLen);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}

/** Curve parameters: OpenSSL name and group order. */
const CURVES: Record<string, { readonly openssl: string; readonly n: bigint; readonly bytes: number }> = {
  'P-256': { openssl: 'prime256v1', n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32 },
  'P-384': {
    openssl: 'secp384r1',
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
  'P-521': {
    openssl: 'secp521r1',
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bytes: 66,
  },
  'P-256K': { openssl: 'secp256k1', n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n, bytes: 32 },
};

const toBig = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`));
const toBuf = (v: bigint, bytes: number): Buffer => Buffer.from(v.toString(16).padStart(bytes * 2, '0'), 'hex');
const mod = (a: bigint, n: bigint): bigint => ((a % n) + n) % n;

function inverse(a: bigint, n: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, n), n, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, n);
}

/** x coordinate of `scalar`·G, via ECDH's public-key derivation (a native scalar multiplication). */
function baseMultiplyX(curve: (typeof CURVES)[string], scalar: bigint): bigint {
  const ecdh = createECDH(curve.openssl);
  ecdh.setPrivateKey(toBuf(scalar, curve.bytes));
  return toBig(ecdh.getPublicKey().subarray(1, 1 + curve.bytes));
}

// The digest as an integer, truncated to the order's bit length (FIPS 186-4).
function digestInteger(curve: (typeof CURVES)[string], digest: Buffer): bigint {
  const bits = curve.n.toString(2).length;
  const z = toBig(digest);
  const excess = digest.length * 8 - bits;
  return excess > 0 ? z >> BigInt(excess) : z;
}

/** ECDSA over a digest, signature as JOSE raw r||s. `d` is the private scalar (JWK `d`). */
export function ecdsaSign(crv: string, d: Buffer, digest: Buffer): Buffer {
  const curve = CURVES[crv]!;
  const priv = toBig(d);
  const z = digestInteger(curve, digest);
  for (;;) {
    const k = mod(toBig(randomBytes(curve.bytes + 8)), curve.n - 1n) + 1n;
    const r = mod(baseMultiplyX(curve, k), curve.n);
    if (r === 0n) continue;
    const s = mod(inverse(k, curve.n) * (z + r * priv), curve.n);
    if (s === 0n) continue;
    return Buffer.concat([toBuf(r, curve.bytes), toBuf(s, curve.bytes)]);
  }
}

/**
 * ECDSA verification. With the private scalar at hand, u1·G + u2·Q is (u1 + u2·d)·G: one base multiplication,
 * which is all node exposes.
 */
export function ecdsaVerify(crv: string, d: Buffer, digest: Buffer, signature: Buffer): boolean {
  const curve = CURVES[crv]!;
  if (signature.length !== 2 * curve.bytes) return false;
  const r = toBig(signature.subarray(0, curve.bytes));
  const s = toBig(signature.subarray(curve.bytes));
  if (r <= 0n || r >= curve.n || s <= 0n || s >= curve.n) return false;
  const w = inverse(s, curve.n);
  const scalar = mod(digestInteger(curve, digest) * w + r * w * toBig(d), curve.n);
  if (scalar === 0n) return false;
  return mod(baseMultiplyX(curve, scalar), curve.n) === r;
}
