/**
 * PEM text and the key-and-chain it carries, for the SDK and the local vault alike. node:crypto only: importing this
 * module loads no ASN.1 library.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

/** A private key and its certificates (DER), as a certificate's secret holds them. */
export interface KeyAndChain {
  readonly key?: KeyObject;
  readonly chain: readonly Uint8Array[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

// OpenSSL writes "Bag Attributes" headers before each block (a few hundred bytes), so the armour is looked for in
// the first KiB; DER (a certificate, a PFX) starts with a SEQUENCE tag, which text never does.
const SNIFF_BYTES = 1024;

/**
 * Whether bytes (or text) are PEM rather than DER or PKCS#12: the one rule for every place that must guess
 * (import values, `x5c` entries, certificate files).
 */
export function looksLikePem(data: Uint8Array | string): boolean {
  const head = typeof data === 'string' ? data.slice(0, SNIFF_BYTES) : Buffer.from(data.subarray(0, SNIFF_BYTES)).toString('latin1');
  return head.charCodeAt(0) !== 0x30 && head.includes('-----BEGIN ');
}

/** One PEM block, 64 characters a line, without a final newline. */
export const pemBlock = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----`;

/** PEM text of one DER certificate, with its final newline. */
export const certificatePem = (der: Uint8Array): string => `${pemBlock('CERTIFICATE', der)}\n`;

/** Every PEM block of a text: its label and the whole block. */
export const pemBlocks = (text: string): { label: string; block: string }[] =>
  [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, block: m[0] }));

/** Every `CERTIFICATE` block of PEM text, as DER. */
export const pemCertificates = (text: string): Uint8Array[] =>
  pemBlocks(text).filter((b) => b.label === 'CERTIFICATE').map((b) => new Uint8Array(new X509Certificate(b.block).raw));

const spki = (key: KeyObject): Buffer => createPublicKey(key).export({ type: 'spki', format: 'der' });

/** Whether a certificate (DER) carries the public half of a private key. */
export function certificateMatchesKey(cert: Uint8Array, key: KeyObject): boolean {
  return new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }).equals(spki(key));
}

/** Puts the certificate that carries the key first, as Key Vault's `cer` and chains do (unchanged when none does). */
export function leafFirst(content: KeyAndChain): KeyAndChain {
  const { key, chain } = content;
  const leaf = key ? chain.findIndex((c) => certificateMatchesKey(c, key)) : 0;
  if (leaf <= 0) return content;
  return { ...content, chain: [chain[leaf]!, ...chain.filter((_c, i) => i !== leaf)] };
}

/** PEM as the service stores it in a certificate's secret: the PKCS#8 private key, then the chain. */
export function toPem(content: KeyAndChain): string {
  const blocks = content.key ? [content.key.export({ type: 'pkcs8', format: 'pem' }).toString().trim()] : [];
  for (const cert of content.chain) blocks.push(pemBlock('CERTIFICATE', cert));
  return `${blocks.join('\n')}\n`;
}

/** Reads PEM text: certificates and at most one private key (PKCS#8, PKCS#1, SEC1, or encrypted with `password`), leaf first. */
export function fromPem(text: string, password?: string): KeyAndChain {
  let key: KeyObject | undefined;
  const chain: Uint8Array[] = [];
  for (const { label, block } of pemBlocks(text)) {
    if (label === 'CERTIFICATE') chain.push(new Uint8Array(new X509Certificate(block).raw));
    else if (label.endsWith('PRIVATE KEY')) key = createPrivateKey({ key: block, format: 'pem', ...(password ? { passphrase: password } : {}) });
  }
  return leafFirst(key ? { key, chain } : { chain });
}

/**
 * Certificates from a merge's `x5c`: each entry base64 DER, or base64 of PEM text, or base64 of the certificate's
 * base64 text with its armour partly stripped (what the JS SDK's own merge test sends).
 */
export function parseX5c(entries: readonly string[]): Uint8Array[] {
  return entries.flatMap((entry) => {
    const bytes = Buffer.from(entry, 'base64');
    if (bytes[0] === 0x30) return [derCertificate(bytes)];
    const text = bytes.toString('latin1');
    if (looksLikePem(text)) return [...fromPem(text).chain];
    return [derCertificate(Buffer.from(text.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64'))];
  });
}

const derCertificate = (bytes: Uint8Array): Uint8Array => new Uint8Array(new X509Certificate(bytes).raw);
