import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { badParameter } from './errors.js';
import type { Snapshot } from './objects.js';

// Backups must restore into any emulator instance, so they cannot be sealed with a per-vault secret. They are
// sealed with AES-256-GCM under a key every emulator derives from this label: that keeps key material out of
// plain sight in a blob and makes any tampering a 400, but it is not confidentiality from someone with this code.
const FORMAT = 'keyvault-kit-emulator-backup/1';
const KEY = createHash('sha256').update(FORMAT).digest();
const MAGIC = Buffer.from('KVKB1');

/** Encodes a snapshot as the opaque base64url `value` of a backup result. */
export function encodeBackup<V>(kind: string, snapshot: Snapshot<V>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv);
  cipher.setAAD(Buffer.from(kind));
  const sealed = Buffer.concat([cipher.update(gzipSync(JSON.stringify(snapshot))), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** Decodes a backup of `kind`; a blob from elsewhere, altered, or of another kind is the service's 400. */
export function decodeBackup<V>(kind: string, blob: string): Snapshot<V> {
  let s: Snapshot<V>;
  try {
    const raw = Buffer.from(blob, 'base64url');
    if (!raw.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a backup');
    const iv = raw.subarray(MAGIC.length, MAGIC.length + 12);
    const decipher = createDecipheriv('aes-256-gcm', KEY, iv);
    decipher.setAAD(Buffer.from(kind));
    decipher.setAuthTag(raw.subarray(MAGIC.length + 12, MAGIC.length + 28));
    s = JSON.parse(gunzipSync(Buffer.concat([decipher.update(raw.subarray(MAGIC.length + 28)), decipher.final()])).toString());
  } catch {
    throw badParameter(`Backup blob contains invalid data or is not a ${kind} backup.`);
  }
  if (!s || typeof s.name !== 'string' || typeof s.latest !== 'string' || !Array.isArray(s.versions)) throw badParameter('Backup blob contains invalid data.');
  return s;
}
