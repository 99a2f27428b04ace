import { badParameter } from './errors.js';

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO 8601 duration (a year is 365 days, a month 30, as the service counts them), or a 400. */
export function durationSeconds(value: string): number {
  const m = DURATION.exec(value);
  if (!m) throw badParameter(`${value} is not a valid ISO 8601 duration.`);
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number, number];
  return (((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s;
}

/**
 * The vault's time: the wall clock plus an offset that tests move forward (never backward: the service's time
 * does not go back, and objects created "later" must not predate earlier ones). Everything the vault does with
 * time reads it here: attributes' created/updated, nbf/exp checks, rotation, lifetime actions, purge, events.
 */
export interface VaultClock {
  /** The vault's current time. */
  now(): Date;
  /** Moves time forward by milliseconds or an ISO 8601 duration (`'P30D'`, `'PT1H'`); returns the new time. */
  advance(by: number | string): Date;
  /** Moves time to `date` (not earlier than now); returns the new time. */
  set(date: Date | string | number): Date;
  /** Called after every change, so time-driven work (rotation, purge, events) runs at once. Returns an unsubscribe. */
  onChange(listener: (now: Date) => void): () => void;
}

/** Epoch seconds of the clock's current time: the unit of every Key Vault timestamp. */
export const secondsOf = (clock: VaultClock): number => Math.floor(clock.now().getTime() / 1000);

/** A clock that follows the wall clock, shifted by what `advance`/`set` added. */
export function createClock(source: () => number = Date.now): VaultClock {
  let offset = 0;
  const listeners = new Set<(now: Date) => void>();
  const now = (): Date => new Date(source() + offset);
  const moveBy = (ms: number): Date => {
    offset += ms;
    const at = now();
    for (const listener of listeners) listener(at);
    return at;
  };
  return {
    now,
    advance(by) {
      const ms = typeof by === 'string' ? durationSeconds(by) * 1000 : by;
      if (!Number.isFinite(ms) || ms < 0) throw badParameter('The clock only moves forward: advance by a non-negative number of milliseconds or an ISO 8601 duration.');
      return moveBy(ms);
    },
    set(date) {
      const target = date instanceof Date ? date.getTime() : typeof date === 'number' ? date : Date.parse(date);
      if (!Number.isFinite(target)) throw badParameter(`${String(date)} is not a valid date.`);
      const delta = target - now().getTime();
      if (delta < 0) throw badParameter('The clock only moves forward: set a date later than the vault time.');
      return moveBy(delta);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
