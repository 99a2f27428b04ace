/** Wire ⇄ public conversions shared by every resource: epoch seconds, base64url bytes. */

export const toDate = (seconds: number | undefined): Date | undefined => (seconds === undefined ? undefined : new Date(seconds * 1000));
export const toSeconds = (date: Date | undefined): number | undefined => (date === undefined ? undefined : Math.floor(date.getTime() / 1000));

/**
 * Decoded bytes as a `Buffer` (typed `Uint8Array`), as Microsoft's clients give them (`result.toString()` prints
 * text, not numbers). Decoded straight into a buffer of its own: one allocation, no copy, and never a slice of
 * Node's shared pool, whose `.buffer` would show a private key's bytes to whoever holds another slice.
 * Base64 and base64url both decode (Node's decoder takes either alphabet).
 */
export function fromBase64(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'base64url'));
  const written = bytes.write(text, 'base64url');
  return written === bytes.length ? bytes : bytes.subarray(0, written);
}
export const fromBase64Url = (text: string | undefined): Uint8Array | undefined => (text === undefined ? undefined : fromBase64(text));
/** The bytes of a `{ value: base64url }` answer: a backup, random bytes. */
export const valueBytes = (wire: { value?: string } | undefined): Uint8Array => fromBase64(wire?.value ?? '');
export const toBase64Url = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url'));

/** `T` with every member that may be `undefined` made optional instead. */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * Drops `undefined` members so that the JSON sent carries only what the caller set. Copies rather than
 * `delete`s: a deleted member turns the object into a slow dictionary (every model decoded went through here).
 */
export function compact<T extends object>(value: T): Compact<T> {
  const copy: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) copy[key] = value[key];
  return copy as unknown as Compact<T>;
}

/** The `attributes` block common to secrets, keys and certificates. */
export interface WireAttributes {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
  created?: number;
  updated?: number;
  recoveryLevel?: string;
  recoverableDays?: number;
  exportable?: boolean;
  hsmPlatform?: string;
}

/** Public names of the common attributes. */
export interface CommonProperties {
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  createdOn?: Date;
  updatedOn?: Date;
  recoveryLevel?: string;
  recoverableDays?: number;
}

export function fromAttributes(attributes: WireAttributes | undefined): CommonProperties {
  const a = attributes ?? {};
  return compact({
    enabled: a.enabled,
    notBefore: toDate(a.nbf),
    expiresOn: toDate(a.exp),
    createdOn: toDate(a.created),
    updatedOn: toDate(a.updated),
    recoveryLevel: a.recoveryLevel,
    recoverableDays: a.recoverableDays,
  });
}

export function toAttributes(properties: { enabled?: boolean | undefined; notBefore?: Date | undefined; expiresOn?: Date | undefined }): WireAttributes {
  return compact({ enabled: properties.enabled, nbf: toSeconds(properties.notBefore), exp: toSeconds(properties.expiresOn) });
}
