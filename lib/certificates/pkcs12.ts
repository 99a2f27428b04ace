/**
 * PKCS#12 (PFX) read and write, only as far as a certificate's secret needs: pkijs for the ASN.1
 * structure, node:crypto for the keys. Loaded on demand, so a secrets-only user never loads pkijs.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PKCS12_OID as OID } from '../wire/pkcs12-oids.js';


/** What a PFX holds: the private key (if any) and the certificates, in file order. */
export interface PfxContent {
  key?: KeyObject;
  certificates: Uint8Array[];
}

// A copy: a Buffer may be a view into a larger shared pool.
const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;
const der = (object: { toSchema(): { toBER(): ArrayBuffer } }) => new Uint8Array(object.toSchema().toBER());

/**
 * Reads a PFX. Key bags, shrouded key bags (any scheme OpenSSL knows, legacy 3DES included) and
 * certificate bags are read; certificate safes encrypted with PBES2 are decrypted, and ones in a
 * legacy scheme (RC2-40, as Windows writes) are skipped: the caller reads the certificate from the
 * vault instead. The MAC is not checked: the bytes come from the vault over TLS, and a wrong
 * password fails on the key anyway.
 */
export async function readPfx(bytes: Uint8Array, password = ''): Promise<PfxContent> {
  const pfx = pkijs.PFX.fromBER(toArrayBuffer(bytes));
  if (pfx.authSafe.contentType !== OID.data) throw new Error('Only password-integrity PFX files are supported.');
  const authenticatedSafe = pkijs.AuthenticatedSafe.fromBER((pfx.authSafe.content as asn1js.OctetString).getValue());
  const passwordBuffer = toArrayBuffer(new TextEncoder().encode(password));
  const content: PfxContent = { certificates: [] };
  for (const info of authenticatedSafe.safeContents) {
    let safe: pkijs.SafeContents;
    if (info.contentType === OID.data) {
      safe = pkijs.SafeContents.fromBER((info.content as asn1js.OctetString).getValue());
    } else if (info.contentType === OID.encryptedData) {
      try {
        safe = pkijs.SafeContents.fromBER(await new pkijs.EncryptedData({ schema: info.content }).decrypt({ password: passwordBuffer }));
      } catch {
        continue;
      }
    } else {
      continue;
    }
    for (const bag of safe.safeBags) {
      if (bag.bagId === OID.keyBag) {
        content.key = createPrivateKey({ key: Buffer.from(der(bag.bagValue as pkijs.PrivateKeyInfo)), format: 'der', type: 'pkcs8' });
      } else if (bag.bagId === OID.shroudedKeyBag) {
        content.key = createPrivateKey({ key: Buffer.from(der(bag.bagValue as pkijs.PKCS8ShroudedKeyBag)), format: 'der', type: 'pkcs8', passphrase: password });
      } else if (bag.bagId === OID.certBag) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === OID.x509Certificate) content.certificates.push(new Uint8Array((certBag.certValue as unknown as asn1js.OctetString).getValue()));
      }
    }
  }
  return content;
}

// pkijs is typed against its own copy of asn1js; the encoders are interchangeable at run time.
type OctetString = pkijs.ContentInfo['content'];
const octets = (bytes: Uint8Array | ArrayBuffer) => new asn1js.OctetString({ valueHex: bytes }) as unknown as OctetString;
const dataInfo = (bytes: ArrayBuffer) => new pkijs.ContentInfo({ contentType: OID.data, content: octets(bytes) });

/**
 * Writes an unprotected PFX (no password, no MAC) as the vault serves a certificate's secret:
 * the key in a plain key bag, then the chain.
 */
export function writePfx(key: KeyObject, certificates: readonly Uint8Array[]): Uint8Array {
  const keyInfo = pkijs.PrivateKeyInfo.fromBER(toArrayBuffer(key.export({ type: 'pkcs8', format: 'der' })));
  const bags = [
    new pkijs.SafeBag({ bagId: OID.keyBag, bagValue: keyInfo }),
    ...certificates.map((cert) => new pkijs.SafeBag({ bagId: OID.certBag, bagValue: new pkijs.CertBag({ certId: OID.x509Certificate, certValue: octets(cert) }) })),
  ];
  const safe = dataInfo(new pkijs.SafeContents({ safeBags: bags }).toSchema().toBER());
  const authenticatedSafe = new pkijs.AuthenticatedSafe({ safeContents: [safe] }).toSchema().toBER();
  return der(new pkijs.PFX({ version: 3, authSafe: dataInfo(authenticatedSafe) }));
}
