import { gunzipSync, gzipSync } from 'node:zlib';
import { badParameter } from './errors.js';
import type { Snapshot } from './objects.js';

// Backups are self-contained so any emulator instance restores them; unlike the service's they are not
// encrypted (an emulator holds no secret worth protecting), only compressed and tagged with their kind.
const FORMAT = 'keyvault-kit-emulator-backup/1';

/** Encodes a snapshot as the opaque base64url `value` of a backup result. */
export function encodeBackup<V>(kind: string, snapshot: Snapshot<V>): string {
  return gzipSync(JSON.stringify({ format: FORMAT, kind, snapshot })).toString('base64url');
}

/** Decodes a backup of `kind`; a blob from elsewhere or of another kind is the service's 400. */
export function decodeBackup<V>(kind: string, blob: string): Snapshot<V> {
  let parsed: { format?: unknown; kind?: unknown; snapshot?: Snapshot<V> };
  try {
    parsed = JSON.parse(gunzipSync(Buffer.from(blob, 'base64url')).toString());
  } catch {
    throw badParameter('Backup blob contains invalid data.');
  }
  const s = parsed.snapshot;
  if (parsed.format !== FORMAT || parsed.kind !== kind || !s || typeof s.name !== 'string' || !Array.isArray(s.versions) || typeof s.latest !== 'string') {
    throw badParameter(`Backup blob is not a ${kind} backup.`);
  }
  return s;
}
