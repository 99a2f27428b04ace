import { expect } from 'chai';
import { type Handler, Router } from '../../lib/emulator/router.js';
import { VaultError } from '../../lib/emulator/errors.js';

const h = (name: string): Handler => Object.assign(() => ({ status: 200, body: name }), { label: name });
const label = (m: ReturnType<Router['match']>): string | undefined => (m && typeof m === 'object' ? (m.handler as unknown as { label: string }).label : m);

describe('emulator router', () => {
  const router = new Router([
    { method: 'PUT', path: '/secrets/{name}', handler: h('set') },
    { method: 'POST', path: '/secrets/restore', handler: h('restore') },
    { method: 'GET', path: '/secrets/{name}/{version?}', handler: h('get') },
    { method: 'GET', path: '/secrets/{name}/versions', handler: h('versions') },
    { method: 'POST', path: '/keys/{name}/{version?}/release', handler: h('release') },
    { method: 'POST', path: '/keys/{name}/{version}/sign', handler: h('sign') },
  ]);

  it('prefers literal segments over params, whatever the table order', () => {
    expect(label(router.match('POST', '/secrets/restore'))).to.equal('restore');
    expect(label(router.match('PUT', '/secrets/restore'))).to.equal('set');
    expect(label(router.match('GET', '/secrets/a/versions'))).to.equal('versions');
    expect(label(router.match('GET', '/secrets/a/0123'))).to.equal('get');
  });

  it('matches an optional segment present or left out, and passes params', () => {
    const full = router.match('POST', '/keys/k/abc/release');
    expect(full && typeof full === 'object' && full.params).to.deep.equal({ name: 'k', version: 'abc' });
    const short = router.match('POST', '/keys/k/release');
    expect(short && typeof short === 'object' && short.params).to.deep.equal({ name: 'k' });
    expect(label(router.match('GET', '/secrets/a'))).to.equal('get');
  });

  it('takes an empty version as the latest, but no other empty param', () => {
    const m = router.match('POST', '/keys/k//sign');
    expect(m && typeof m === 'object' && m.params).to.deep.equal({ name: 'k', version: '' });
    expect(router.match('POST', '/keys//v/sign')).to.equal(undefined);
  });

  it('tells an unknown path from a known path with another method', () => {
    expect(router.match('GET', '/nothing')).to.equal(undefined);
    expect(router.match('DELETE', '/secrets/restore')).to.equal('method-not-allowed');
  });

  it('validates {name} params against the service rule', () => {
    expect(() => router.match('PUT', '/secrets/a_b')).to.throw(VaultError).with.property('status', 400);
    expect(() => router.match('PUT', `/secrets/${'a'.repeat(128)}`)).to.throw(VaultError);
    expect(label(router.match('PUT', `/secrets/${'a-1'.repeat(42)}`))).to.equal('set');
  });
});
