import { badParameter } from './errors.js';
import type { VaultRequest } from './router.js';

/** A JSON object body as a record, or the service's 400 for anything else. */
export type Fields = Readonly<Record<string, unknown>>;

/** The request body as a JSON object (a missing body is an empty object only when `optional`). */
export function bodyObject(req: VaultRequest, optional = false): Fields {
  const body = req.body;
  if (body === undefined && optional) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badParameter('The request body must be a JSON object.');
  return body as Fields;
}

// `null` counts as absent: clients serialise unset optional fields either way.
const present = (fields: Fields, name: string): unknown => (fields[name] === null ? undefined : fields[name]);

export function optString(fields: Fields, name: string): string | undefined {
  const v = present(fields, name);
  if (v === undefined || typeof v === 'string') return v;
  throw badParameter(`Property '${name}' must be a string.`);
}

export function reqString(fields: Fields, name: string): string {
  const v = optString(fields, name);
  if (v === undefined) throw badParameter(`Property '${name}' is required.`);
  return v;
}

export function optBool(fields: Fields, name: string): boolean | undefined {
  const v = present(fields, name);
  if (v === undefined || typeof v === 'boolean') return v;
  throw badParameter(`Property '${name}' must be a boolean.`);
}

export function optInt(fields: Fields, name: string): number | undefined {
  const v = present(fields, name);
  if (v === undefined || (typeof v === 'number' && Number.isSafeInteger(v))) return v;
  throw badParameter(`Property '${name}' must be an integer.`);
}

export function optObject(fields: Fields, name: string): Fields | undefined {
  const v = present(fields, name);
  if (v === undefined) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) return v as Fields;
  throw badParameter(`Property '${name}' must be an object.`);
}

export function optStringArray(fields: Fields, name: string): string[] | undefined {
  const v = present(fields, name);
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw badParameter(`Property '${name}' must be an array of strings.`);
}

/** Tags: at most 15, string values, as the service allows. */
export function optTags(fields: Fields): Record<string, string> | undefined {
  const tags = optObject(fields, 'tags');
  if (tags === undefined) return undefined;
  const entries = Object.entries(tags);
  if (entries.length > 15) throw badParameter('The number of tags exceeds the maximum of 15.');
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw badParameter(`Tag '${k}' must have a string value.`);
    if (k.length > 512 || v.length > 256) throw badParameter(`Tag '${k}' is too long.`);
  }
  return tags as Record<string, string>;
}

/** Base64url (the JSON Web encoding of every binary field); 400 on other alphabets. */
export function base64url(fields: Fields, name: string, required: true): Buffer;
export function base64url(fields: Fields, name: string, required?: false): Buffer | undefined;
export function base64url(fields: Fields, name: string, required = false): Buffer | undefined {
  const v = required ? reqString(fields, name) : optString(fields, name);
  if (v === undefined) return undefined;
  // Padding and the standard alphabet are tolerated: some clients send them.
  if (!/^[A-Za-z0-9_\-+/]*={0,2}$/.test(v)) throw badParameter(`Property '${name}' is not valid base64url.`);
  return Buffer.from(v, 'base64url');
}
