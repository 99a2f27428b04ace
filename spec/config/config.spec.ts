import { expect } from 'chai';
import { inspect } from 'node:util';
import { Subject } from 'rxjs';
import type { ConfigStatus, ConfigUpdate, ConfigSpec } from '../../lib/config/spec.js';
import type { KeyVaultEvent } from '../../lib/events/models.js';
import { ConfigError } from '../../lib/config/store.js';
import { FakeClock, FakeVault, settle, warmUp } from './fake-vault.js';

function setup() {
  const clock = new FakeClock();
  const vault = new FakeVault(clock);
  vault.set('db-password', 'hunter2');
  vault.set('api-key', 'k-1');
  vault.set('port', '8080');
  return { clock, vault, kv: vault.client() };
}

const spec = { db: 'db-password', api: { secret: 'api-key' }, port: { secret: 'port', parse: Number } } as const;

function collect<S extends ConfigSpec>(updates: ConfigUpdate<S>[]) {
  return { next: (u: ConfigUpdate<S>) => updates.push(u), error: (e: unknown) => { throw e; } };
}

describe('config$', () => {
  before(warmUp);

  it('emits nothing until every source is loaded, then one complete frozen config', async () => {
    const { clock, vault, kv } = setup();
    vault.hold.add('port');
    const updates: ConfigUpdate<typeof spec>[] = [];
    const sub = kv.config$(spec, { clock }).subscribe(collect(updates));
    await settle();
    expect(vault.gets('db-password')).to.have.length(1);
    expect(vault.gets('port')).to.have.length(1);
    expect(updates).to.have.length(0);
    vault.release('port');
    await settle();
    expect(updates).to.have.length(1);
    const { config, changed } = updates[0]!;
    expect([config.db, config.api, config.port]).to.deep.equal(['hunter2', 'k-1', 8080]);
    expect(changed).to.have.members(['db', 'api', 'port']);
    expect(Object.isFrozen(config)).to.equal(true);
    sub.unsubscribe();
  });

  it('fails naming a missing required source; an optional one is undefined', async () => {
    const { clock, kv } = setup();
    const errors: unknown[] = [];
    kv.config$({ db: 'db-password', gone: 'no-such-secret' }, { clock }).subscribe({ error: (e) => errors.push(e) });
    const updates: ConfigUpdate<{ db: string; extra: { secret: string; optional: true } }>[] = [];
    const sub = kv.config$({ db: 'db-password', extra: { secret: 'no-such-secret', optional: true } }, { clock }).subscribe(collect(updates));
    await settle();
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(ConfigError);
    expect((errors[0] as ConfigError).configKey).to.equal('gone');
    expect((errors[0] as Error).message).to.contain("'no-such-secret'");
    expect(updates).to.have.length(1);
    expect(updates[0]!.config.extra).to.equal(undefined);
    expect(updates[0]!.config.db).to.equal('hunter2');
    sub.unsubscribe();
  });

  it('100 subscribers share one request per source; a late subscriber gets the config at once', async () => {
    const { clock, vault, kv } = setup();
    const config$ = kv.config$(spec, { clock, refreshMs: 10_000, jitter: 0 });
    const seen: ConfigUpdate<typeof spec>[][] = Array.from({ length: 100 }, () => []);
    const subs = seen.map((updates) => config$.subscribe(collect(updates)));
    await settle();
    for (const name of ['db-password', 'api-key', 'port']) expect(vault.gets(name)).to.have.length(1);
    expect(new Set(seen.map((u) => u[0]!.config)).size).to.equal(1);
    const late: ConfigUpdate<typeof spec>[] = [];
    const lateSub = config$.subscribe(collect(late));
    expect(late).to.have.length(1); // synchronously, no request
    expect(vault.log).to.have.length(3);
    await clock.advance(10_000);
    for (const name of ['db-password', 'api-key', 'port']) expect(vault.gets(name)).to.have.length(2);
    [...subs, lateSub].forEach((s) => s.unsubscribe());
  });

  it('polls without emitting while nothing changed, then names exactly the changed key', async () => {
    const { clock, vault, kv } = setup();
    const updates: ConfigUpdate<typeof spec>[] = [];
    const sub = kv.config$(spec, { clock, refreshMs: 1000, jitter: 0 }).subscribe(collect(updates));
    await settle();
    await clock.advance(5000);
    expect(vault.gets('api-key').map((r) => r.at)).to.deep.equal([0, 1000, 2000, 3000, 4000, 5000]);
    expect(updates).to.have.length(1);
    vault.set('api-key', 'k-2');
    await clock.advance(1000);
    expect(updates).to.have.length(2);
    expect(updates[1]!.changed).to.deep.equal(['api']);
    expect(updates[1]!.config.api).to.equal('k-2');
    expect(updates[1]!.config.db).to.equal('hunter2');
    vault.update('db-password', { expires: 2_000_000_000 }); // an attribute that matters, same version
    await clock.advance(1000);
    expect(updates.map((u) => u.changed)).to.deep.equal([['db', 'api', 'port'], ['api'], ['db']]);
    sub.unsubscribe();
  });

  it('keeps the last good config through 429s, waiting as Retry-After says, and reports stale then ready', async () => {
    const { clock, vault, kv } = setup();
    const updates: ConfigUpdate<typeof spec>[] = [];
    const statuses: ConfigStatus[] = [];
    const config$ = kv.config$(spec, { clock, refreshMs: 1000, jitter: 0 });
    const statusSub = config$.status$.subscribe((s) => statuses.push(s));
    const sub = config$.subscribe(collect(updates));
    await settle();
    vault.failures.set('api-key', [{ status: 429, retryAfter: 7 }, { status: 429, retryAfter: 7 }, { status: 503, retryAfter: 3 }]);
    vault.set('api-key', 'k-2');
    await clock.advance(30_000);
    // 1000: 429 → wait 7 s → 8000: 429 → 15000: 503 → wait 3 s → 18000: the new value, then every second.
    expect(vault.gets('api-key').map((r) => r.at).slice(0, 6)).to.deep.equal([0, 1000, 8000, 15000, 18000, 19000]);
    expect(updates.map((u) => u.config.api)).to.deep.equal(['k-1', 'k-2']);
    // The reason follows each failure (429, then 503), the state stays stale until the value came.
    expect(statuses.map((s) => s.state)).to.deep.equal(['loading', 'ready', 'stale', 'stale', 'ready']);
    expect(statuses[2]!.reason).to.contain('api').and.contain('429');
    expect(statuses[3]!.reason).to.contain('api').and.contain('503');
    expect(statuses[2]!.failing).to.deep.equal(['api']);
    expect(updates[0]!.config.api).to.equal('k-1'); // the earlier config is untouched
    sub.unsubscribe();
    statusSub.unsubscribe();
  });

  it('a required secret disabled after loading: status error, last config kept; an optional one: undefined', async () => {
    const { clock, vault, kv } = setup();
    const updates: ConfigUpdate<{ db: string; api: { secret: string; optional: true } }>[] = [];
    const statuses: ConfigStatus[] = [];
    const config$ = kv.config$({ db: 'db-password', api: { secret: 'api-key', optional: true } }, { clock, refreshMs: 1000, jitter: 0 });
    const statusSub = config$.status$.subscribe((s) => statuses.push(s));
    const sub = config$.subscribe(collect(updates));
    await settle();
    vault.update('db-password', { enabled: false });
    vault.update('api-key', { enabled: false });
    await clock.advance(1000);
    expect(updates.map((u) => [u.changed, u.config.db, u.config.api])).to.deep.equal([[['db', 'api'], 'hunter2', 'k-1'], [['api'], 'hunter2', undefined]]);
    expect(statuses.at(-1)!.state).to.equal('error');
    expect(statuses.at(-1)!.reason).to.contain("db: the required secret 'db-password' is missing or disabled");
    vault.update('db-password', { enabled: true });
    await clock.advance(1000);
    expect(statuses.at(-1)!.state).to.equal('ready');
    expect(updates).to.have.length(2); // re-enabled, same version and attributes as the config holds: nothing to emit
    sub.unsubscribe();
    statusSub.unsubscribe();
  });

  it('the last unsubscribe aborts what is in flight and stops every timer', async () => {
    const { clock, vault, kv } = setup();
    const config$ = kv.config$(spec, { clock, refreshMs: 1000 });
    const a = config$.subscribe();
    const b = config$.subscribe();
    await settle();
    await clock.advance(1500);
    vault.hold.add('db-password');
    await clock.advance(1000);
    a.unsubscribe();
    expect(clock.pending).to.be.greaterThan(0);
    b.unsubscribe();
    expect(clock.pending).to.equal(0);
    await settle();
    const before = vault.log.length;
    vault.release('db-password');
    await clock.advance(60_000);
    expect(vault.log.length).to.equal(before);
  });

  it('an event about a watched secret refreshes that source once, with no polling', async () => {
    const { clock, vault, kv } = setup();
    const events = new Subject<KeyVaultEvent>();
    const updates: ConfigUpdate<typeof spec>[] = [];
    const sub = kv.config$(spec, { clock, events }).subscribe(collect(updates));
    await settle();
    const version = vault.set('db-password', 'rotated');
    events.next(event('Microsoft.KeyVault.SecretNewVersionCreated', 'db-password', version));
    events.next(event('Microsoft.KeyVault.SecretNewVersionCreated', 'unrelated', version));
    await settle();
    expect(vault.gets('db-password')).to.have.length(2);
    expect(vault.gets('api-key')).to.have.length(1);
    expect(updates.map((u) => u.changed)).to.deep.equal([['db', 'api', 'port'], ['db']]);
    expect(updates[1]!.config.db).to.equal('rotated');
    await clock.advance(3600_000);
    expect(vault.log).to.have.length(4);
    sub.unsubscribe();
  });

  it('keeps values out of inspect and JSON', async () => {
    const { clock, kv } = setup();
    const updates: ConfigUpdate<typeof spec>[] = [];
    const sub = kv.config$(spec, { clock }).subscribe(collect(updates));
    await settle();
    const { config } = updates[0]!;
    for (const printed of [inspect(config), JSON.stringify(config), inspect(updates[0], { depth: 5 }), JSON.stringify({ ...config })]) {
      expect(printed).not.to.contain('hunter2');
      expect(printed).not.to.contain('8080');
    }
    expect(inspect(config)).to.contain('db').and.contain('[redacted]');
    sub.unsubscribe();
  });
});

function event(type: KeyVaultEvent['type'], name: string, version: string): KeyVaultEvent {
  return {
    id: 'e1', type, source: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/myvault', subject: name, time: new Date(0), schema: 'EventGrid',
    data: { id: `https://myvault.vault.azure.net/secrets/${name}/${version}`, vaultName: 'myvault', objectType: 'Secret', objectName: name, version },
  };
}
