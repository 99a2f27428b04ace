import { expect } from 'chai';
import { VaultError } from '../../lib/emulator/errors.js';
import { type ObjectKind, VersionedObjects } from '../../lib/emulator/objects.js';
import { openStore } from '../../lib/emulator/store.js';

const KIND: ObjectKind = { kind: 'things', label: 'Thing', notFoundCode: 'ThingNotFound' };
const status = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof VaultError ? e.status : -1;
  }
  return undefined;
};

describe('emulator versioned objects', () => {
  it('keeps versions per name, case-insensitively, the latest last added', () => {
    const o = new VersionedObjects<{ n: number }>(openStore(), KIND);
    o.add('Alpha', 'v1', { n: 1 });
    o.add('ALPHA', 'v2', { n: 2 });
    expect(o.get('alpha')).to.deep.equal({ name: 'Alpha', version: 'v2', value: { n: 2 } });
    expect(o.get('alpha', 'V1').value).to.deep.equal({ n: 1 });
    expect(o.versions('alpha').map((v) => v.version)).to.deep.equal(['v1', 'v2']);
    expect(status(() => o.get('beta'))).to.equal(404);
    expect(status(() => o.get('alpha', 'v3'))).to.equal(404);
  });

  it('soft-deletes, refuses the name while deleted, recovers, purges every version', () => {
    const store = openStore();
    const o = new VersionedObjects<{ n: number }>(store, KIND);
    o.add('a', 'v1', { n: 1 });
    o.add('a', 'v2', { n: 2 });
    const d = o.delete('a');
    expect(d.scheduledPurgeDate - d.deletedDate).to.equal(90 * 86400);
    expect(o.state('a')).to.equal('deleted');
    expect(status(() => o.add('a', 'v3', { n: 3 }))).to.equal(409);
    expect(status(() => o.get('a'))).to.equal(404);
    expect(o.versions('a')).to.deep.equal([]);
    expect(o.listDeleted().map((x) => x.name)).to.deep.equal(['a']);
    o.recover('a');
    expect(o.get('a').value).to.deep.equal({ n: 2 });
    expect(status(() => o.purge('a'))).to.equal(404);
    o.delete('a');
    o.purge('a');
    expect(o.state('a')).to.equal('absent');
    expect([...store.collection('things.versions').keys()]).to.deep.equal([]);
  });

  it('restores a snapshot only under a free name', () => {
    const o = new VersionedObjects<{ n: number }>(openStore(), KIND);
    o.add('a', 'v1', { n: 1 });
    const snap = o.snapshot('a');
    expect(status(() => o.restore(snap))).to.equal(409);
    const other = new VersionedObjects<{ n: number }>(openStore(), KIND);
    expect(other.restore(snap)).to.deep.equal({ name: 'a', version: 'v1', value: { n: 1 } });
  });

  it('lists in name order and reflects every change (the sorted list is cached between changes)', () => {
    const o = new VersionedObjects<{ n: number }>(openStore(), KIND);
    for (const name of ['c', 'A', 'b']) o.add(name, 'v', { n: 0 });
    expect(o.list().map((v) => v.name)).to.deep.equal(['A', 'b', 'c']);
    o.replace(o.get('b'), { n: 9 });
    expect(o.list()[1]!.value).to.deep.equal({ n: 9 });
    o.delete('c');
    expect(o.list().map((v) => v.name)).to.deep.equal(['A', 'b']);
    expect(o.listDeleted().map((v) => v.name)).to.deep.equal(['c']);
  });

  it('rebuilds its index from a reopened store', () => {
    const store = openStore();
    new VersionedObjects<{ n: number }>(store, KIND).add('a', 'v1', { n: 1 });
    const again = new VersionedObjects<{ n: number }>(store, KIND);
    expect(again.versions('a').map((v) => v.version)).to.deep.equal(['v1']);
  });
});
