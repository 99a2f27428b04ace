/** X.500 names written and read as Key Vault writes them in policies and bundles (`CN=foo, O=bar, S=WA`). */
import type { Name } from '@peculiar/x509';
import { toArrayBuffer } from './bytes.js';
import { x509 } from './peculiar.js';

/** Attribute names the service writes (.NET's X500DistinguishedName: S for state, E for e-mail). */
const NAME_ALIASES: Record<string, string> = {
  S: '2.5.4.8',
  ST: '2.5.4.8',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  STREET: '2.5.4.9',
  SERIALNUMBER: '2.5.4.5',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  G: '2.5.4.42',
  GN: '2.5.4.42',
  SN: '2.5.4.4',
  UID: '0.9.2342.19200300.100.1.1',
};
const SHORT_NAMES: Record<string, string> = { ST: 'S', '2.5.4.8': 'S', '1.2.840.113549.1.9.1': 'E', '2.5.4.9': 'STREET', '2.5.4.5': 'SERIALNUMBER', '2.5.4.12': 'T', '2.5.4.42': 'G', '2.5.4.4': 'SN' };

/**
 * A Key Vault subject (`CN=foo, O=bar`, names case-insensitive) as an X.500 name. Like .NET and RFC 4514, the
 * string lists the most specific RDN first, so the encoded sequence runs the other way.
 */
export function subjectName(subject: string): Name {
  const canonical = subject.replace(/(^|[,;+]\s*)([A-Za-z][A-Za-z0-9]*)\s*=/g, (_m, sep: string, attr: string) => `${sep}${attr.toUpperCase()}=`);
  const parsed = new x509.Name(canonical, NAME_ALIASES).toJSON();
  if (parsed.length === 0) throw new Error('empty subject');
  return new x509.Name(parsed.reverse());
}

/** A name (DER) written as the service writes it: most specific first, `S=` and `E=`, quoted when needed. */
export function formatName(der: ArrayBuffer | Uint8Array): string {
  return new x509.Name(toArrayBuffer(der))
    .toJSON()
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([attr, values]) => values.map((v) => `${SHORT_NAMES[attr] ?? attr}=${/[,;+="\n<>#]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v}`))
        .join(' + '),
    )
    .join(', ');
}
