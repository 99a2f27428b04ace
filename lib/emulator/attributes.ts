import { badParameter } from './errors.js';
import { type Fields, optBool, optInt, optObject } from './input.js';
import { RECOVERABLE_DAYS, RECOVERY_LEVEL } from './objects.js';

/** Attributes every object version stores (epoch seconds). */
export interface Attributes {
  readonly enabled: boolean;
  readonly nbf?: number;
  readonly exp?: number;
  readonly created: number;
  readonly updated: number;
}

/** The settable attributes of a request body's `attributes` (each absent when not sent). */
export interface AttributeChanges {
  readonly enabled?: boolean;
  readonly nbf?: number;
  readonly exp?: number;
}

export function attributeChanges(body: Fields): AttributeChanges & { readonly raw: Fields } {
  const raw = optObject(body, 'attributes') ?? {};
  const enabled = optBool(raw, 'enabled');
  const nbf = optInt(raw, 'nbf');
  const exp = optInt(raw, 'exp');
  if (nbf !== undefined && exp !== undefined && nbf > exp) throw badParameter('The attribute nbf must be earlier than exp.');
  return { raw, ...(enabled === undefined ? {} : { enabled }), ...(nbf === undefined ? {} : { nbf }), ...(exp === undefined ? {} : { exp }) };
}

/** New attributes from a create request: enabled unless said otherwise. */
export function newAttributes(changes: AttributeChanges, now: number): Attributes {
  return { enabled: changes.enabled ?? true, ...pick(changes), created: now, updated: now };
}

/** Attributes after an update request. */
export function updatedAttributes(current: Attributes, changes: AttributeChanges, now: number): Attributes {
  return { ...current, ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }), ...pick(changes), updated: now };
}

const pick = (c: AttributeChanges): { nbf?: number; exp?: number } => ({
  ...(c.nbf === undefined ? {} : { nbf: c.nbf }),
  ...(c.exp === undefined ? {} : { exp: c.exp }),
});

/** Attributes as served: stored ones plus the vault's recovery settings. */
export function renderAttributes<A extends Attributes>(a: A): A & { recoveryLevel: string; recoverableDays: number } {
  return { ...a, recoveryLevel: RECOVERY_LEVEL, recoverableDays: RECOVERABLE_DAYS };
}
