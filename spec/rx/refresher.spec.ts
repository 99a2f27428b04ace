import { expect } from 'chai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { NotFoundError, ServiceError, ThrottledError } from '../../lib/index.js';
import { Refresher, retryDelay } from '../../lib/rx/refresher.js';
import { FakeClock, FakeVault, warmUp } from '../config/fake-vault.js';

/** The machinery config$ and watchSecret$ share, on a fake clock: when it loads, waits and retries. */
describe('Refresher', () => {
  it('polls after each success, honours Retry-After, backs off doubling without a hint, and stop() clears everything', async () => {
    const clock = new FakeClock();
    const answers: Array<() => Promise<string>> = [
      async () => 'a',
      async () => { throw new ThrottledError('slow down', { statusCode: 429, retryAfterMs: 7000 }); },
      async () => { throw new ServiceError('down', { statusCode: 503 }); },
      async () => { throw new ServiceError('down', { statusCode: 503 }); },
      async () => { throw new ServiceError('down', { statusCode: 503 }); },
      async () => 'b',
    ];
    const at: number[] = [];
    const loaded: string[] = [];
    const refresher = new Refresher<string>(() => { at.push(clock.now()); return (answers.shift() ?? (async () => "c"))(); }, { loaded: (v) => loaded.push(v), failed: () => true }, { clock, intervalMs: 1000, jitter: 0 });
    refresher.start();
    await clock.advance(25_000);
    // 0 load, 1000 poll → 429 (failure 1: its 7 s), 8000 → 503 (failure 2: 2 s), 10000 → 503 (4 s), 14000 → 503 (8 s),
    // 22000 → b, then every second.
    expect(at.slice(0, 7)).to.deep.equal([0, 1000, 8000, 10000, 14000, 22000, 23000]);
    expect(loaded.slice(0, 2)).to.deep.equal(['a', 'b']);
    refresher.stop();
    expect(clock.pending).to.equal(0);
  });

  it('a refresh() while a load is in flight runs once more after it, not twice; during a Retry-After it waits', async () => {
    const clock = new FakeClock();
    let calls = 0;
    let release!: () => void;
    const refresher = new Refresher<number>(() => { calls++; return calls === 1 ? new Promise<number>((r) => { release = () => r(1); }) : Promise.reject(new ThrottledError('t', { statusCode: 429, retryAfterMs: 5000 })); }, { loaded: () => {}, failed: () => true }, { clock });
    refresher.start();
    refresher.refresh();
    refresher.refresh();
    release();
    await clock.advance(0);
    expect(calls).to.equal(2); // the first, then one more; the second was throttled
    refresher.refresh();
    await clock.advance(4999);
    expect(calls).to.equal(2);
    await clock.advance(1);
    expect(calls).to.equal(3);
    refresher.stop();
  });

  it('retryDelay: the hint of a 429/503, else doubling up to the cap', () => {
    expect(retryDelay(new ThrottledError('t', { statusCode: 429, retryAfterMs: 3000 }), 5)).to.equal(3000);
    expect([1, 2, 3, 8].map((n) => retryDelay(new Error('x'), n, 5000))).to.deep.equal([1000, 2000, 4000, 5000]);
  });
});

describe('watchSecret$ on the shared machinery', () => {
  before(warmUp);

  it('rides out 429 and 503 (as Retry-After says), then emits the secret', async () => {
    const vault = new FakeVault({ now: () => 0 });
    vault.set('s', 'v1');
    vault.failures.set('s', [{ status: 429, retryAfter: 0 }, { status: 503, retryAfter: 0 }]);
    const secret = await firstValueFrom(vault.client().secrets.watchSecret$('s', { intervalMs: 5 }));
    expect(secret.value).to.equal('v1');
    expect(vault.gets('s').length).to.equal(3);
  });

  it('emits again when an attribute changes on the same version, not when nothing changed', async () => {
    const vault = new FakeVault({ now: () => 0 });
    const version = vault.set('s', 'v1');
    const kv = vault.client();
    const seen = firstValueFrom(kv.secrets.watchSecret$('s', { intervalMs: 5 }).pipe(take(2), toArray()));
    while (vault.gets('s').length < 4) await new Promise((r) => setTimeout(r, 5)); // polled a few times: no emission
    vault.update('s', { expires: 2_000_000_000 });
    const [first, second] = await seen;
    expect([first!.properties.version, second!.properties.version]).to.deep.equal([version, version]);
    expect([first!.properties.expiresOn, second!.properties.expiresOn?.getTime()]).to.deep.equal([undefined, 2_000_000_000_000]);
  });

  it('a missing secret ends the stream with the NotFoundError', async () => {
    const vault = new FakeVault({ now: () => 0 });
    const error = await firstValueFrom(vault.client().secrets.watchSecret$('absent', { intervalMs: 5 })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotFoundError);
    expect(vault.gets('absent').length).to.equal(1);
  });
});
