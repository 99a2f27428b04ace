/**
 * The api-versions the service accepts, and what each one answers. The service keeps every version it ever
 * published: a client pinned to 2016-10-01 still talks to today's vault, and gets the shape of its own version
 * (fields introduced later are left out; operations introduced later are refused). Sources: the data-plane specs
 * in Azure/azure-rest-api-specs (`specification/keyvault/data-plane/Microsoft.KeyVault/{stable,preview}/<ver>`).
 */
import { badParameter } from './errors.js';
import type { VaultResponse } from './router.js';

/** Each accepted version and its place in the sequence (a preview ranks with the release it previews). */
const RANKS: ReadonlyMap<string, number> = new Map([
  ['2016-10-01', 60],
  ['7.0', 70],
  ['7.1', 71],
  ['7.2', 72],
  ['7.3-preview', 73],
  ['7.3', 73],
  ['7.4-preview.1', 74],
  ['7.4', 74],
  ['7.5-preview.1', 75],
  ['7.5', 75],
  ['7.6-preview.1', 76],
  ['7.6-preview.2', 76],
  ['7.6', 76],
  ['2025-07-01', 77],
]);

/** api-versions the vault answers, oldest first. */
export const API_VERSIONS: readonly string[] = [...RANKS.keys()];

/** The newest version, named in the refusal of an unknown one (as the service does). */
export const LATEST_API_VERSION = '2025-07-01';

/** The rank of an accepted version; throws the service's `BadParameter` for any other. */
export function versionRank(apiVersion: string | undefined): number {
  if (apiVersion === undefined) throw badParameter('The api-version query parameter (?api-version=) is required for all requests.');
  const rank = RANKS.get(apiVersion);
  if (rank === undefined) {
    throw badParameter(`The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`);
  }
  return rank;
}

/** Operations that appeared after 2016-10-01: `[method, path pattern, first rank]`. */
const OPERATIONS: readonly (readonly [string, RegExp, number])[] = [
  // Certificate backup and restore: 7.0.
  ['POST', /^\/certificates\/[^/]+\/backup$/, 70],
  ['POST', /^\/certificates\/restore$/, 70],
  // Rotation, random bytes and secure key release: 7.3 (7.3-preview).
  ['POST', /^\/keys\/[^/]+\/rotate$/, 73],
  ['GET', /^\/keys\/[^/]+\/rotationpolicy$/, 73],
  ['PUT', /^\/keys\/[^/]+\/rotationpolicy$/, 73],
  ['POST', /^\/rng$/, 73],
  ['POST', /^\/keys\/[^/]+(\/[^/]*)?\/release$/, 73],
  // Key attestation: 7.6 (7.6-preview.1).
  ['GET', /^\/keys\/[^/]+(\/[^/]*)?\/attestation$/, 76],
];

/** Refuses an operation the request's version does not have, as a `BadParameter`. */
export function checkOperation(method: string, path: string, apiVersion: string, rank: number): void {
  for (const [m, pattern, since] of OPERATIONS) {
    if (m === method && rank < since && pattern.test(path)) {
      throw badParameter(`The operation is not supported in api-version ${apiVersion}.`);
    }
  }
}

/** Fields introduced after 2016-10-01, by where they sit in an answer. */
const ATTRIBUTE_FIELDS: readonly (readonly [string, number])[] = [
  ['recoverableDays', 71],
  ['exportable', 73],
  ['hsmPlatform', 75],
  ['attestation', 76],
];
const BUNDLE_FIELDS: readonly (readonly [string, number])[] = [
  ['release_policy', 73],
  ['preserveCertOrder', 75],
  ['previousVersion', 77],
];

/** Whether anything needs leaving out at this rank (the newest versions answer as the handlers wrote it). */
const needsShaping = (rank: number): boolean => rank < 77;

/**
 * The answer as the request's version has it: fields that version does not know are left out of every bundle,
 * item and list (`value[]`), and of their `attributes`. Handlers always write the newest shape.
 */
export function shapeResponse(response: VaultResponse, rank: number): VaultResponse {
  if (!needsShaping(rank)) return response;
  const raw: unknown = response.text !== undefined ? JSON.parse(response.text) : response.body;
  if (raw === undefined || raw === null || typeof raw !== 'object') return response;
  const body = raw as Record<string, unknown>;
  const shaped = Array.isArray(body['value']) ? { ...body, value: (body['value'] as unknown[]).map((item) => shapeObject(item, rank)) } : shapeObject(body, rank);
  const { text: _cached, ...rest } = response;
  return { ...rest, body: shaped };
}

function shapeObject(value: unknown, rank: number): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [field, since] of BUNDLE_FIELDS) if (rank < since) delete out[field];
  const attributes = out['attributes'];
  if (attributes !== null && typeof attributes === 'object') {
    const a: Record<string, unknown> = { ...(attributes as Record<string, unknown>) };
    for (const [field, since] of ATTRIBUTE_FIELDS) if (rank < since) delete a[field];
    out['attributes'] = a;
  }
  return out;
}
