import { durationSeconds } from './clock.js';
import { badParameter } from './errors.js';
import { type Fields, bodyObject, optObject, optString } from './input.js';
import { type KeyRecord, MANAGED, createKeyVersion, keysOf, renderKey } from './keys.js';
import { refuseManaged } from './lifecycle.js';
import { type Version, nowSeconds } from './objects.js';
import { type Route, ok } from './router.js';
import type { Collection, Store } from './store.js';

export interface LifetimeAction {
  readonly trigger: { readonly timeAfterCreate?: string; readonly timeBeforeExpiry?: string };
  readonly action: { readonly type: 'Rotate' | 'Notify' };
}

export interface RotationPolicy {
  readonly lifetimeActions: readonly LifetimeAction[];
  readonly attributes: { readonly expiryTime?: string; readonly created: number; readonly updated: number };
}

// The service always keeps a Notify action; without one in a policy it adds this one.
const DEFAULT_NOTIFY: LifetimeAction = { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } };

function lifetimeAction(raw: unknown): LifetimeAction {
  if (!raw || typeof raw !== 'object') throw badParameter('Each lifetime action must be an object.');
  const fields = raw as Fields;
  const trigger = optObject(fields, 'trigger') ?? {};
  const after = optString(trigger, 'timeAfterCreate');
  const before = optString(trigger, 'timeBeforeExpiry');
  if ((after === undefined) === (before === undefined)) throw badParameter('A lifetime action trigger must have exactly one of timeAfterCreate and timeBeforeExpiry.');
  durationSeconds((after ?? before)!);
  const type = optString(optObject(fields, 'action') ?? {}, 'type')?.toLowerCase();
  if (type !== 'rotate' && type !== 'notify') throw badParameter('A lifetime action type must be Rotate or Notify.');
  return { trigger: after !== undefined ? { timeAfterCreate: after } : { timeBeforeExpiry: before! }, action: { type: type === 'rotate' ? 'Rotate' : 'Notify' } };
}

/** Rotation policy (GET/PUT) and on-demand rotation. */
export function rotationRoutes(store: Store): Route[] {
  const keys = keysOf(store);
  const policies = rotationPoliciesOf(store);
  const render = (origin: string, name: string, p: RotationPolicy) => ({ id: `${origin}/keys/${name}/rotationpolicy`, ...p });

  return [
    {
      method: 'GET',
      path: '/keys/{name}/rotationpolicy',
      handler: (req) => {
        const { name } = keys.get(req.params['name']!);
        const policy = policies.get(name.toLowerCase());
        return ok(policy ? render(req.origin, name, policy) : { id: `${req.origin}/keys/${name}/rotationpolicy`, lifetimeActions: [DEFAULT_NOTIFY], attributes: {} });
      },
    },
    {
      method: 'PUT',
      path: '/keys/{name}/rotationpolicy',
      handler: (req) => {
        const body = bodyObject(req);
        const { name } = keys.get(req.params['name']!);
        const raw = body['lifetimeActions'] ?? [];
        if (!Array.isArray(raw)) throw badParameter("Property 'lifetimeActions' must be an array.");
        const actions = raw.map(lifetimeAction);
        if (!actions.some((a) => a.action.type === 'Notify')) actions.push(DEFAULT_NOTIFY);
        const expiryTime = optString(optObject(body, 'attributes') ?? {}, 'expiryTime');
        if (expiryTime !== undefined && durationSeconds(expiryTime) < 28 * 86400) throw badParameter('The expiryTime of a rotation policy must be at least 28 days.');
        const now = nowSeconds(store);
        const policy: RotationPolicy = {
          lifetimeActions: actions,
          attributes: { ...(expiryTime === undefined ? {} : { expiryTime }), created: policies.get(name.toLowerCase())?.attributes.created ?? now, updated: now },
        };
        policies.put(name.toLowerCase(), policy);
        return ok(render(req.origin, name, policy));
      },
    },
    {
      method: 'POST',
      path: '/keys/{name}/rotate',
      handler: async (req) => {
        const latest = keys.get(req.params['name']!);
        refuseManaged(latest, 'rotate', MANAGED);
        const rotated = await rotateKey(store, latest.name);
        return ok(renderKey(req.origin, rotated));
      },
    },
  ];
}

/** The stored rotation policies, by lower-case key name. */
export const rotationPoliciesOf = (store: Store): Collection<RotationPolicy> => store.collection<RotationPolicy>('keys.rotationpolicy');

/** Makes a new version of a key from its latest one (same spec, ops, tags, release policy; `exp` from the policy's expiryTime). */
export async function rotateKey(store: Store, name: string): Promise<Version<KeyRecord>> {
  const latest = keysOf(store).get(name);
  const r: KeyRecord = latest.value;
  const expiryTime = rotationPoliciesOf(store).get(latest.name.toLowerCase())?.attributes.expiryTime;
  return createKeyVersion(store, latest.name, r.spec, {
    keyOps: r.key_ops,
    tags: r.tags,
    releasePolicy: r.release_policy,
    attributes: { exportable: r.attributes.exportable },
    expiresAfter: expiryTime === undefined ? undefined : durationSeconds(expiryTime),
  });
}

/**
 * The time-driven half of rotation policies: keys whose latest version is due under a `Rotate` action
 * (`timeAfterCreate` past its creation, or `timeBeforeExpiry` before its `exp`) get a new version, as the service's
 * auto-rotation does. Each rotation makes a fresh latest version, so a key rotates once per due period.
 */
export async function rotateDueKeys(store: Store): Promise<Array<Version<KeyRecord>>> {
  const keys = keysOf(store);
  const now = nowSeconds(store);
  const rotated: Array<Version<KeyRecord>> = [];
  for (const [name, policy] of rotationPoliciesOf(store).entries()) {
    if (keys.state(name) !== 'active') continue;
    const latest = keys.get(name);
    if (latest.value.managed) continue;
    const { created, exp } = latest.value.attributes;
    const due = policy.lifetimeActions.some((a) => {
      if (a.action.type !== 'Rotate') return false;
      if (a.trigger.timeAfterCreate !== undefined) return now >= created + durationSeconds(a.trigger.timeAfterCreate);
      return exp !== undefined && a.trigger.timeBeforeExpiry !== undefined && now >= exp - durationSeconds(a.trigger.timeBeforeExpiry);
    });
    if (due) rotated.push(await rotateKey(store, latest.name));
  }
  return rotated;
}
