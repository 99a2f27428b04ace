/**
 * PKCS#12 (PFX) read and write, for the SDK (a certificate's secret) and the local vault (imports and exports):
 * pkijs for the ASN.1 structure, node:crypto for the cryptography, legacy-pbe.ts for what node:crypto no longer
 * has. The SDK loads this module on demand, so a secrets-only user never loads pkijs.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, pbkdf2Sync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toArrayBuffer } from './bytes.js';
import { bmpPassword, pkcs12Kdf, rc2CbcDecrypt } from './legacy-pbe.js';
import { PKCS12_OID as OID } from './oids.js';
import { type KeyAndChain, leafFirst } from './pem.js';

/** How {@link readPfx} treats what it cannot read. */
export interface ReadPfxOptions {
  /**
   * Skip an encrypted safe that does not decrypt instead of failing: the SDK then takes the certificate from the
   * vault. The key still has to decrypt.
   */
  readonly skipUnreadableSafes?: boolean;
}

const DIGESTS: Record<string, string> = { '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512', '2.16.840.1.101.3.4.2.4': 'sha224' };
const HMACS: Record<string, string> = { '1.2.840.113549.2.7': 'sha1', '1.2.840.113549.2.8': 'sha224', '1.2.840.113549.2.9': 'sha256', '1.2.840.113549.2.10': 'sha384', '1.2.840.113549.2.11': 'sha512' };
const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
// PKCS#12's own password-based schemes (RFC 7292 appendix C): what openssl 1.x, Windows and Python still write.
const PKCS12_PBE: Record<string, { cipher: string; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2-cbc', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2-cbc', keyLength: 5, rc2Bits: 40 },
};

/** A PFX that cannot be read: wrong password, unsupported algorithm, or not PKCS#12 at all. */
export class Pkcs12Error extends Error {}

/**
 * Builds a PFX: the key in a PBES2 (PBKDF2-SHA256, AES-256-CBC) shrouded bag, the chain in plain bags, an
 * HMAC-SHA256 MAC. With the default empty password it is what the service hands out in a certificate's secret.
 */
export function writePfx(content: KeyAndChain, password = ''): Uint8Array {
  const localKeyId = content.chain[0] ? [localKeyIdAttribute(createHash('sha1').update(content.chain[0]).digest())] : [];
  const certBags = content.chain.map(
    (der, i) =>
      new pkijs.SafeBag({
        bagId: OID.certBag,
        bagValue: new pkijs.CertBag({ certId: OID.x509Certificate, certValue: octetString(der) }),
        ...(i === 0 && content.key ? { bagAttributes: localKeyId } : {}),
      }),
  );
  const safes = [dataContentInfo(new pkijs.SafeContents({ safeBags: certBags }).toSchema().toBER())];
  if (content.key) {
    const keyBag = new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: shroud(content.key.export({ type: 'pkcs8', format: 'der' }), password), bagAttributes: localKeyId });
    safes.push(dataContentInfo(new pkijs.SafeContents({ safeBags: [keyBag] }).toSchema().toBER()));
  }
  const authSafe = new pkijs.AuthenticatedSafe({ safeContents: safes }).toSchema().toBER();
  const pfx = new pkijs.PFX({ version: 3, authSafe: dataContentInfo(authSafe), macData: macData(new Uint8Array(authSafe), password) });
  return new Uint8Array(pfx.toSchema().toBER());
}

// pkijs is typed against its own copy of asn1js; the encoders are interchangeable at run time.
type PkijsOctetString = pkijs.MacData['macSalt'];
const octetString = (bytes: Uint8Array | ArrayBuffer): PkijsOctetString => new asn1js.OctetString({ valueHex: bytes }) as unknown as PkijsOctetString;

const dataContentInfo = (bytes: ArrayBuffer): pkijs.ContentInfo =>
  new pkijs.ContentInfo({ contentType: OID.data, content: octetString(bytes) });

const localKeyIdAttribute = (id: Uint8Array): pkijs.Attribute =>
  new pkijs.Attribute({ type: OID.localKeyId, values: [octetString(id)] });

function shroud(privateKeyInfo: Uint8Array, password: string): pkijs.PKCS8ShroudedKeyBag {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const iterations = 2048;
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(privateKeyInfo), cipher.final()]);
  const kdf = new pkijs.PBKDF2Params({
    salt: octetString(salt),
    iterationCount: iterations,
    prf: new pkijs.AlgorithmIdentifier({ algorithmId: OID.hmacSha256, algorithmParams: new asn1js.Null() }),
  });
  const params = new pkijs.PBES2Params({
    keyDerivationFunc: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbkdf2, algorithmParams: kdf.toSchema() }),
    encryptionScheme: new pkijs.AlgorithmIdentifier({ algorithmId: OID.aes256Cbc, algorithmParams: octetString(iv) }),
  });
  return new pkijs.PKCS8ShroudedKeyBag({
    encryptionAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbes2, algorithmParams: params.toSchema() }),
    encryptedData: octetString(encrypted),
  });
}

function macData(authSafe: Uint8Array, password: string): pkijs.MacData {
  const salt = randomBytes(16);
  const iterations = 2048;
  const key = pkcs12Kdf(bmpPassword(password), salt, iterations, 3, 32, 'sha256');
  const mac = createHmac('sha256', key).update(authSafe).digest();
  return new pkijs.MacData({
    mac: new pkijs.DigestInfo({
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() }),
      digest: octetString(mac),
    }),
    macSalt: octetString(salt),
    iterations,
  });
}

/** Reads a PFX (DER) with its password: MAC checked, bags decrypted (PBES2 or PKCS#12 PBE), chain leaf first. */
export function readPfx(der: Uint8Array, password = '', options: ReadPfxOptions = {}): KeyAndChain {
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(toArrayBuffer(der));
  } catch {
    throw new Pkcs12Error('The value is not a PKCS#12 (PFX) structure.');
  }
  if (pfx.authSafe.contentType !== OID.data) throw new Pkcs12Error('Only password-integrity PFX are supported.');
  const authSafe = octets(pfx.authSafe.content);
  const passwords = passwordVariants(password);
  if (pfx.macData) verifyMac(pfx.macData, authSafe, passwords.map((p) => p.bmp));
  let key: KeyObject | undefined;
  const chain: Uint8Array[] = [];
  for (const info of pkijs.AuthenticatedSafe.fromBER(toArrayBuffer(authSafe)).safeContents) {
    let safe: Uint8Array;
    try {
      safe = safeContentsBytes(info, passwords);
    } catch (error) {
      if (options.skipUnreadableSafes) continue;
      throw error;
    }
    for (const bag of pkijs.SafeContents.fromBER(toArrayBuffer(safe)).safeBags) {
      if (bag.bagId === OID.certBag) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === OID.x509Certificate) chain.push(octets(certBag.certValue));
      } else if (bag.bagId === OID.keyBag) {
        key = privateKeyFromDer(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER()));
      } else if (bag.bagId === OID.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        key = privateKeyFromDer(decrypt(shrouded.encryptionAlgorithm, shrouded.encryptedData.valueBlock.valueHexView, passwords));
      }
    }
  }
  return leafFirst(key ? { key, chain } : { chain });
}

interface PasswordForms {
  readonly bmp: Uint8Array;
  readonly utf8: Uint8Array;
}

// An empty password reaches the KDF as two zero bytes or as nothing, depending on who wrote the PFX: try both.
function passwordVariants(password: string): PasswordForms[] {
  const utf8 = Buffer.from(password, 'utf8');
  const forms = [{ bmp: bmpPassword(password), utf8 }];
  if (password === '') forms.push({ bmp: new Uint8Array(0), utf8 });
  return forms;
}


function verifyMac(mac: pkijs.MacData, authSafe: Uint8Array, passwords: readonly Uint8Array[]): void {
  const hash = DIGESTS[mac.mac.digestAlgorithm.algorithmId];
  if (!hash) throw new Pkcs12Error(`Unsupported PFX MAC algorithm ${mac.mac.digestAlgorithm.algorithmId}.`);
  const expected = mac.mac.digest.valueBlock.valueHexView;
  const salt = mac.macSalt.valueBlock.valueHexView;
  const size = createHash(hash).digest().length;
  for (const password of passwords) {
    const actual = createHmac(hash, pkcs12Kdf(password, salt, mac.iterations ?? 1, 3, size, hash)).update(authSafe).digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return;
  }
  throw new Pkcs12Error('The specified PKCS#12 password is incorrect (MAC verification failed).');
}

function safeContentsBytes(info: pkijs.ContentInfo, passwords: readonly PasswordForms[]): Uint8Array {
  if (info.contentType === OID.data) return octets(info.content);
  if (info.contentType === OID.encryptedData) {
    const encrypted = new pkijs.EncryptedData({ schema: info.content }).encryptedContentInfo;
    if (!encrypted.encryptedContent) throw new Pkcs12Error('Empty encrypted PFX content.');
    return decrypt(encrypted.contentEncryptionAlgorithm, octets(encrypted.encryptedContent), passwords);
  }
  throw new Pkcs12Error(`Unsupported PFX content type ${info.contentType}.`);
}

function decrypt(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, passwords: readonly PasswordForms[]): Uint8Array {
  let lastError: unknown;
  for (const password of passwords) {
    try {
      return algorithm.algorithmId === OID.pbes2 ? decryptPbes2(algorithm, data, password.utf8) : decryptPkcs12Pbe(algorithm, data, password.bmp);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Pkcs12Error ? lastError : new Pkcs12Error('The PFX could not be decrypted with the given password.');
}

function decryptPbes2(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: Uint8Array): Uint8Array {
  const params = new pkijs.PBES2Params({ schema: algorithm.algorithmParams });
  if (params.keyDerivationFunc.algorithmId !== OID.pbkdf2) throw new Pkcs12Error('Unsupported PBES2 key derivation.');
  const kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
  const cipher = PBES2_CIPHERS[params.encryptionScheme.algorithmId];
  const hash = kdf.prf ? HMACS[kdf.prf.algorithmId] : 'sha1';
  if (!cipher || !hash) throw new Pkcs12Error('Unsupported PBES2 cipher or PRF.');
  const salt = (kdf.salt as asn1js.OctetString).valueBlock.valueHexView;
  const iv = (params.encryptionScheme.algorithmParams as asn1js.OctetString).valueBlock.valueHexView;
  const key = pbkdf2Sync(password, salt, kdf.iterationCount, kdf.keyLength ?? cipher.keyLength, hash);
  const decipher = createDecipheriv(cipher.name, key, iv);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

function decryptPkcs12Pbe(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: Uint8Array): Uint8Array {
  const scheme = PKCS12_PBE[algorithm.algorithmId];
  if (!scheme) throw new Pkcs12Error(`Unsupported PFX encryption algorithm ${algorithm.algorithmId}.`);
  const [saltNode, iterationsNode] = (algorithm.algorithmParams as asn1js.Sequence).valueBlock.value;
  const salt = (saltNode as asn1js.OctetString).valueBlock.valueHexView;
  const iterations = (iterationsNode as asn1js.Integer).valueBlock.valueDec;
  const key = pkcs12Kdf(password, salt, iterations, 1, scheme.keyLength, 'sha1');
  const iv = pkcs12Kdf(password, salt, iterations, 2, 8, 'sha1');
  if (scheme.rc2Bits) return rc2CbcDecrypt(key, scheme.rc2Bits, iv, data);
  const decipher = createDecipheriv(scheme.cipher, key, iv);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

// ---------------------------------------------------------------------------------------------------------------
// Small conversions

function privateKeyFromDer(der: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

/** The bytes of an OCTET STRING, primitive or constructed (BER splits long ones into chunks). */
function octets(node: unknown): Uint8Array {
  // Checked by tag, not instanceof: pkijs carries its own copy of asn1js.
  const octet = node as asn1js.OctetString;
  if (octet?.idBlock?.tagClass !== 1 || octet.idBlock.tagNumber !== 4) throw new Pkcs12Error('Expected an OCTET STRING.');
  if (!octet.valueBlock.isConstructed) return new Uint8Array(octet.valueBlock.valueHexView);
  return Buffer.concat(octet.valueBlock.value.map((chunk) => octets(chunk)));
}
