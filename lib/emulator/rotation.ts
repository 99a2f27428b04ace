import { badParameter } from './errors.js';
import { type Fields, bodyObject, optObject, optString } from './input.js';
import { type KeyRecord, MANAGED, createKeyVersion, keysOf, renderKey } from './keys.js';
import { refuseManaged } from './lifecycle.js';
import { nowSeconds } from './objects.js';
import { type Route, ok } from './router.js';
import type { Store } from './store.js';

interface LifetimeAction {
  readonly trigger: { readonly timeAfterCreate?: string; readonly timeBeforeExpiry?: string };
  readonly action: { readonly type: 'Rotate' | 'Notify' };
}

interface RotationPolicy {
  readonly lifetimeActions: readonly LifetimeAction[];
  readonly attributes: { readonly expiryTime?: string; readonly created: number; readonly updated: number };
}

// The service always keeps a Notify action; without one in a policy it adds this one.
const DEFAULT_NOTIFY: LifetimeAction = { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } };

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO 8601 duration (a year is 365 days, a month 30), or a 400. */
export function durationSeconds(value: string): number {
  const m = DURATION.exec(value);
  if (!m) throw badParameter(`${value} is not a valid ISO 8601 duration.`);
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number, number];
  return (((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s;
}

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
  const policies = store.collection<RotationPolicy>('keys.rotationpolicy');
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
        const now = nowSeconds();
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
        const r: KeyRecord = latest.value;
        const expiryTime = policies.get(latest.name.toLowerCase())?.attributes.expiryTime;
        const rotated = await createKeyVersion(store, latest.name, r.spec, {
          keyOps: r.key_ops,
          tags: r.tags,
          releasePolicy: r.release_policy,
          attributes: { exportable: r.attributes.exportable },
          expiresAfter: expiryTime === undefined ? undefined : durationSeconds(expiryTime),
        });
        return ok(renderKey(req.origin, rotated));
      },
    },
  ];
}
