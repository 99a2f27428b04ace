/** Something that runs under an attempt deadline: `expire()` is called once if the deadline passes first. */
export interface Expiring {
  deadline: number;
  expire(): void;
}

/**
 * The attempt deadlines of one client on ONE timer, instead of a timer (and an `AbortController`) per request.
 *
 * Every attempt of a client gets the same time limit, so deadlines come in the order attempts start: the
 * pending ones sit in a `Set` (insertion-ordered, O(1) removal), the first is always the next to expire, and
 * the single timer is armed for it. A finished attempt only leaves the set; the timer is not touched, and
 * when it fires it re-arms for whichever attempt is then the oldest. Under steady traffic that is one timer
 * callback per `ms`, not one timer per request. The timer is unref'd: an attempt in flight holds its socket,
 * which keeps the process alive, and an idle client never does.
 */
export class AttemptClock {
  readonly ms: number;
  #pending = new Set<Expiring>();
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.ms = ms;
  }

  /** Starts the deadline of one attempt (`ms` from now). */
  start(entry: Expiring): void {
    entry.deadline = performance.now() + this.ms;
    this.#pending.add(entry);
    if (!this.#timer) this.#arm(this.ms);
  }

  /** The attempt finished before its deadline. */
  stop(entry: Expiring): void {
    this.#pending.delete(entry);
  }

  /** Attempts still under a deadline (for tests). */
  get size(): number {
    return this.#pending.size;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#tick, Math.max(1, Math.ceil(ms)));
    this.#timer.unref();
  }

  #tick = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    for (const entry of this.#pending) {
      if (entry.deadline > now) return this.#arm(entry.deadline - now);
      this.#pending.delete(entry);
      entry.expire();
    }
  };
}
