import { CERTIFICATES, type CertificateRecord } from './certificates/records.js';
import type { Attributes } from './attributes.js';
import type { EventObjectType, EventPublisher } from './events.js';
import { internalCalls } from './internal.js';
import { KEYS } from './keys.js';
import { type ObjectKind, type VersionedObjects, nowSeconds, objectsOf } from './objects.js';
import { durationSeconds } from './clock.js';
import { rotateDueKeys, rotationPoliciesOf } from './rotation.js';
import { SECRETS } from './secrets.js';
import type { Store } from './store.js';

/** A certificate lifetime action the vault carried out for `EmailContacts`: what the contacts would have been sent. */
export interface Notification {
  readonly type: 'EmailContacts';
  readonly certificate: string;
  readonly version: string;
  readonly contacts: readonly Record<string, unknown>[];
  /** When the vault's clock reached the action's trigger (ISO 8601). */
  readonly time: string;
  readonly expires: string;
}

/** The service sends NearExpiry this long before `exp`. */
const NEAR_EXPIRY_SECONDS = 30 * 86400;

const OBJECTS: ReadonlyArray<readonly [ObjectKind, EventObjectType]> = [
  [SECRETS, 'Secret'],
  [KEYS, 'Key'],
  [CERTIFICATES, 'Certificate'],
];

interface Versioned {
  readonly attributes: Attributes;
  readonly cer?: string;
  readonly managed?: boolean;
}

/** The vault's time-driven work, run after every clock change and every `intervalMs` of real time. */
export interface Timekeeper {
  /** Runs what is due now; resolves when done (runs never overlap). */
  tick(): Promise<void>;
  /** Resolves once no tick is running. */
  idle(): Promise<void>;
  /** Whether a tick is running now. */
  busy(): boolean;
  /** The `EmailContacts` notifications recorded so far, oldest first. */
  notifications(): Notification[];
  stop(): void;
}

/**
 * What the service does as time passes: key rotation under rotation policies, certificate lifetime actions
 * (`AutoRenew` makes a new version with the current policy; `EmailContacts` is recorded in `notifications()`),
 * purge of deleted objects at their `scheduledPurgeDate`, and `NearExpiry`/`Expired` events (once per version,
 * remembered in the store, so a restarted vault does not send them again). New versions raise `NewVersionCreated`.
 */
export function startTimekeeper(store: Store, events: EventPublisher | undefined, intervalMs = 30_000): Timekeeper {
  const call = internalCalls(store);
  const fired = store.collection<true>('emulator.fired');
  const notifications = store.collection<Notification>('emulator.notifications');
  const once = (id: string): boolean => {
    if (fired.has(id)) return false;
    fired.put(id, true);
    return true;
  };
  const unobserve = OBJECTS.map(([kind, type]) =>
    objectsOf<Versioned>(store, kind).observe((v, previous) => {
      // A certificate version is new when it gets its certificate (created pending, completed later).
      const isNew = type === 'Certificate' ? v.value.cer !== undefined && previous?.cer === undefined : previous === undefined;
      if (isNew) events?.publish(type, 'NewVersionCreated', v.name, v.version, v.value.attributes);
    }),
  );

  async function run(): Promise<void> {
    await rotateDueKeys(store);
    await certificateActions();
    await purgeDue();
    expiryEvents();
  }

  async function certificateActions(): Promise<void> {
    const now = nowSeconds(store);
    for (const v of objectsOf<CertificateRecord>(store, CERTIFICATES).list()) {
      const { nbf, exp } = v.value.attributes;
      if (v.value.cer === undefined || nbf === undefined || exp === undefined) continue;
      for (const { trigger, action } of v.value.policy.lifetime_actions) {
        const at = trigger.days_before_expiry !== undefined ? exp - trigger.days_before_expiry * 86400 : nbf + ((exp - nbf) * (trigger.lifetime_percentage ?? 80)) / 100;
        if (now < at || !once(`${action.action_type}/certificates/${v.name.toLowerCase()}/${v.version}`)) continue;
        if (action.action_type === 'AutoRenew') {
          const policy = await call('GET', `/certificates/${v.name}/policy`);
          await call('POST', `/certificates/${v.name}/create`, { policy: withoutReadOnly(policy), ...(v.value.tags ? { tags: v.value.tags } : {}) }).catch(() => undefined);
        } else {
          const contacts = await call('GET', '/certificates/contacts').then((c) => (c['contacts'] as Record<string, unknown>[] | undefined) ?? [], () => []);
          const time = new Date(now * 1000).toISOString();
          notifications.put(`${v.name.toLowerCase()}/${v.version}`, { type: 'EmailContacts', certificate: v.name, version: v.version, contacts, time, expires: new Date(exp * 1000).toISOString() });
        }
      }
    }
  }

  async function purgeDue(): Promise<void> {
    const now = nowSeconds(store);
    // Certificates first: purging one purges its key and secret with it.
    for (const [kind] of [...OBJECTS].reverse()) {
      for (const d of [...objectsOf<Versioned>(store, kind).listDeleted()]) {
        if (d.scheduledPurgeDate <= now) await call('DELETE', `/deleted${kind.kind}/${d.name}`).catch(() => undefined);
      }
    }
  }

  // A key's rotation policy says when to notify (its Notify action's timeBeforeExpiry); 30 days otherwise.
  const nearExpiry = (kind: ObjectKind, name: string): number => {
    if (kind !== KEYS) return NEAR_EXPIRY_SECONDS;
    const notify = rotationPoliciesOf(store).get(name.toLowerCase())?.lifetimeActions.find((a) => a.action.type === 'Notify')?.trigger.timeBeforeExpiry;
    return notify === undefined ? NEAR_EXPIRY_SECONDS : durationSeconds(notify);
  };

  function expiryEvents(): void {
    const now = nowSeconds(store);
    for (const [kind, type] of OBJECTS) {
      for (const v of objectsOf<Versioned>(store, kind).list()) {
        const { exp } = v.value.attributes;
        if (exp === undefined || (type === 'Certificate' && v.value.cer === undefined)) continue;
        const id = `${kind.kind}/${v.name.toLowerCase()}/${v.version}`;
        if (now >= exp - nearExpiry(kind, v.name) && once(`NearExpiry/${id}`)) events?.publish(type, 'NearExpiry', v.name, v.version, v.value.attributes);
        if (now >= exp && once(`Expired/${id}`)) events?.publish(type, 'Expired', v.name, v.version, v.value.attributes);
      }
    }
  }

  let running: Promise<void> | undefined;
  let again = false;
  const tick = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await run();
        } catch (error) {
          console.error('keyvault-emulator: time-driven work failed', error);
        }
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };
  const unsubscribe = store.clock.onChange(() => void tick());
  const timer = setInterval(() => void tick(), intervalMs).unref();
  return {
    tick,
    idle: async () => {
      while (running) await running;
    },
    busy: () => running !== undefined,
    notifications: () => [...notifications.values()].sort((a, b) => a.time.localeCompare(b.time)),
    stop() {
      clearInterval(timer);
      unsubscribe();
      for (const u of unobserve) u();
    },
  };
}

/** A policy as served, made a request body again (the service ignores nothing it refuses: drop what it computes). */
function withoutReadOnly(policy: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, attributes: _attributes, ...rest } = policy;
  return rest;
}
