import { expect } from 'chai';
import { startVault } from '../../lib/emulator/index.js';
import { useVault } from '../helpers/vault.js';
import { call, example, expectError, fieldsOf } from './http.js';

const VERSIONED_ID = (url: string, name: string) => new RegExp(`^${url}/secrets/${name}/[0-9a-f]{32}$`);

describe('emulator secrets', () => {
  const vault = useVault();
  const put = (name: string, body: unknown) => call(vault(), 'PUT', `/secrets/${name}`, { body });

  it('sets a secret as the spec example does, with a new version each time', async () => {
    const ex = await example('7.6/examples/SetSecret-example.json');
    const first = await put('crpsecret', ex.parameters['parameters']);
    expect(first.status).to.equal(200);
    for (const field of fieldsOf(ex.body)) expect(fieldsOf(first.json)).to.include(field);
    expect(first.json.value).to.equal('mysecretvalue');
    expect(first.json.id).to.match(VERSIONED_ID(vault().url, 'crpsecret'));
    expect(first.json.attributes).to.include({ enabled: true, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 });
    expect(first.json.attributes.created).to.be.closeTo(Date.now() / 1000, 5);
    expect(first.json.attributes.updated).to.equal(first.json.attributes.created);
    const second = await put('crpsecret', { value: 'v2', contentType: 'text/plain', tags: { a: 'b' }, attributes: { exp: 2527401600, nbf: 1000 } });
    expect(second.json.id).to.not.equal(first.json.id);
    expect(second.json).to.deep.include({ value: 'v2', contentType: 'text/plain', tags: { a: 'b' } });
    expect(second.json.attributes).to.include({ exp: 2527401600, nbf: 1000 });
  });

  it('gets the latest version (with or without a trailing slash) and a given version', async () => {
    const a = await put('getme', { value: 'one' });
    const b = await put('getme', { value: 'two' });
    expect((await call(vault(), 'GET', '/secrets/getme/')).json).to.deep.equal(b.json);
    expect((await call(vault(), 'GET', '/secrets/getme')).json).to.deep.equal(b.json);
    const version = a.json.id.split('/').pop();
    const old = await call(vault(), 'GET', `/secrets/getme/${version}`);
    expect(old.status).to.equal(200);
    expect(old.json).to.deep.equal(a.json);
  });

  it('treats names as case-insensitive and keeps the first spelling', async () => {
    await put('MixedCase', { value: 'x' });
    const got = await call(vault(), 'GET', '/secrets/mixedcase');
    expect(got.json.value).to.equal('x');
    expect(got.json.id).to.match(VERSIONED_ID(vault().url, 'MixedCase'));
  });

  it('answers 404 SecretNotFound for unknown names and versions', async () => {
    expectError(await call(vault(), 'GET', '/secrets/nope'), 404, 'SecretNotFound');
    await put('known', { value: 'x' });
    const miss = await call(vault(), 'GET', `/secrets/known/${'0'.repeat(32)}`);
    expectError(miss, 404, 'SecretNotFound');
    expect(miss.json.error.message).to.contain('known/00000000');
  });

  it('updates a version as the spec example does, without returning the value', async () => {
    const ex = await example('7.6/examples/UpdateSecret-example.json');
    const created = await put('crpupdate', { value: 'keep-me' });
    const version = created.json.id.split('/').pop();
    const updated = await call(vault(), 'PATCH', `/secrets/crpupdate/${version}`, { body: ex.parameters['parameters'] });
    expect(updated.status).to.equal(200);
    expect([...fieldsOf(updated.json)]).to.include.members([...fieldsOf(ex.body)]);
    expect(updated.json).to.not.have.property('value');
    expect(updated.json).to.deep.include({ contentType: 'myContentType', tags: { mytag: 'myvalue' }, id: created.json.id });
    expect((await call(vault(), 'GET', '/secrets/crpupdate')).json.value).to.equal('keep-me');
    const latest = await call(vault(), 'PATCH', '/secrets/crpupdate/', { body: { attributes: { exp: 2000000000 } } });
    expect(latest.json.attributes.exp).to.equal(2000000000);
    expect(latest.json.tags).to.deep.equal({ mytag: 'myvalue' });
  });

  it('refuses to get a disabled secret with 403 Forbidden, as the service does', async () => {
    await put('off', { value: 'x', attributes: { enabled: false } });
    const a = await call(vault(), 'GET', '/secrets/off');
    expectError(a, 403, 'Forbidden');
    expect(a.json.error.message).to.equal('Operation get is not allowed on a disabled secret.');
    expect(a.json.error.innererror).to.deep.equal({ code: 'SecretDisabled' });
    const list = await call(vault(), 'GET', '/secrets/off/versions');
    expect(list.json.value[0].attributes.enabled).to.equal(false);
  });

  it('deletes, reads the deleted secret, lists it, recovers it', async () => {
    await put('gone', { value: 'back', tags: { t: '1' } });
    const del = await call(vault(), 'DELETE', '/secrets/gone');
    expect(del.status).to.equal(200);
    expect(del.json.recoveryId).to.equal(`${vault().url}/deletedsecrets/gone`);
    expect(del.json.scheduledPurgeDate - del.json.deletedDate).to.equal(90 * 86400);
    expect(del.json).to.not.have.property('value');
    expect(del.json.tags).to.deep.equal({ t: '1' });
    expectError(await call(vault(), 'GET', '/secrets/gone'), 404, 'SecretNotFound');
    expect((await call(vault(), 'GET', '/secrets/gone/versions')).json).to.deep.equal({ value: [], nextLink: null });
    const conflict = await put('gone', { value: 'new' });
    expectError(conflict, 409, 'Conflict');
    expect(conflict.json.error.message).to.contain('deleted but recoverable state');
    const deleted = await call(vault(), 'GET', '/deletedsecrets/gone');
    expect(deleted.json).to.deep.equal(del.json);
    const list = await call(vault(), 'GET', '/deletedsecrets');
    const item = list.json.value.find((d: { recoveryId: string }) => d.recoveryId.endsWith('/gone'));
    expect(item.id).to.equal(`${vault().url}/secrets/gone`);
    expect(item).to.not.have.property('value');
    const recovered = await call(vault(), 'POST', '/deletedsecrets/gone/recover');
    expect(recovered.status).to.equal(200);
    expect(recovered.json.id).to.equal(del.json.id);
    expect(recovered.json).to.not.have.property('value');
    expect((await call(vault(), 'GET', '/secrets/gone')).json.value).to.equal('back');
    expectError(await call(vault(), 'GET', '/deletedsecrets/gone'), 404, 'SecretNotFound');
  });

  it('purges a deleted secret with 204 and no body', async () => {
    await put('purge-me', { value: 'x' });
    await call(vault(), 'DELETE', '/secrets/purge-me');
    const purged = await call(vault(), 'DELETE', '/deletedsecrets/purge-me');
    expect(purged.status).to.equal(204);
    expect(purged.text).to.equal('');
    expect(purged.headers).to.not.have.property('content-type');
    expectError(await call(vault(), 'GET', '/deletedsecrets/purge-me'), 404, 'SecretNotFound');
    expect((await put('purge-me', { value: 'reborn' })).status).to.equal(200);
    expectError(await call(vault(), 'DELETE', '/deletedsecrets/purge-me'), 404, 'SecretNotFound');
    expectError(await call(vault(), 'POST', '/deletedsecrets/never/recover'), 404, 'SecretNotFound');
    expectError(await call(vault(), 'DELETE', '/secrets/never'), 404, 'SecretNotFound');
  });

  it('backs up all versions and restores them into another vault; 409 when the name exists', async () => {
    const v1 = await put('bk', { value: 'one', contentType: 'text' });
    const v2 = await put('bk', { value: 'two', attributes: { nbf: 1262332800, exp: 1893484800 } });
    const backup = await call(vault(), 'POST', '/secrets/bk/backup');
    expect(backup.status).to.equal(200);
    expect(backup.json.value).to.match(/^[A-Za-z0-9_-]+$/);
    expectError(await call(vault(), 'POST', '/secrets/restore', { body: { value: backup.json.value } }), 409, 'Conflict');
    const other = await startVault();
    try {
      const restored = await call(other, 'POST', '/secrets/restore', { body: { value: backup.json.value } });
      expect(restored.status).to.equal(200);
      const ex = await example('7.6/examples/RestoreSecret-example.json');
      expect([...fieldsOf(restored.json)]).to.include.members([...fieldsOf(ex.body)].filter((f) => f !== 'contentType'));
      expect(restored.json.id).to.equal(v2.json.id.replace(vault().url, other.url));
      expect(restored.json.attributes).to.include({ nbf: 1262332800, exp: 1893484800, created: v2.json.attributes.created });
      const old = await call(other, 'GET', `/secrets/bk/${v1.json.id.split('/').pop()}`);
      expect(old.json).to.deep.include({ value: 'one', contentType: 'text' });
    } finally {
      await other.stop();
    }
    expectError(await call(vault(), 'POST', '/secrets/restore', { body: { value: 'bm90IGEgYmFja3Vw' } }), 400, 'BadParameter');
    expectError(await call(vault(), 'POST', '/secrets/restore', { body: {} }), 400, 'BadParameter');
    expectError(await call(vault(), 'POST', '/secrets/nothing/backup'), 404, 'SecretNotFound');
  });

  it('lists secrets and versions in pages with an absolute nextLink carrying $skiptoken and maxresults', async () => {
    const v = await startVault();
    try {
      for (let i = 0; i < 7; i++) await call(v, 'PUT', `/secrets/list${i}`, { body: { value: `v${i}`, contentType: 'c' } });
      for (let i = 0; i < 3; i++) await call(v, 'PUT', '/secrets/list0', { body: { value: `again${i}`, contentType: 'c' } });
      const names: string[] = [];
      let next: string | null = '/secrets?maxresults=3';
      let pages = 0;
      while (next) {
        const pageAnswer = await call(v, 'GET', next.replace(v.url, ''), { apiVersion: next.includes('api-version') ? null : '7.6' });
        expect(pageAnswer.status).to.equal(200);
        expect(pageAnswer.json.value.length).to.be.at.most(3);
        for (const item of pageAnswer.json.value) {
          expect(item).to.not.have.property('value');
          expect(item.contentType).to.equal('c');
          names.push(item.id.replace(`${v.url}/secrets/`, ''));
        }
        next = pageAnswer.json.nextLink;
        if (next) expect(next).to.match(new RegExp(`^${v.url}/secrets\\?api-version=7\\.6&\\$skiptoken=[^&]+&maxresults=3$`));
        pages++;
      }
      expect(pages).to.equal(3);
      expect(names).to.deep.equal(['list0', 'list1', 'list2', 'list3', 'list4', 'list5', 'list6']);
      const versions = await call(v, 'GET', '/secrets/list0/versions');
      expect(versions.json.value).to.have.length(4);
      expect(versions.json.nextLink).to.equal(null);
      const ids = versions.json.value.map((x: { id: string }) => x.id);
      expect(ids).to.deep.equal([...ids].sort());
      for (const id of ids) expect(id).to.match(VERSIONED_ID(v.url, 'list0'));
      expect((await call(v, 'GET', '/secrets/unknown/versions')).json).to.deep.equal({ value: [], nextLink: null });
    } finally {
      await v.stop();
    }
  });

  it('serves the spec example list shape', async () => {
    const ex = await example('7.6/examples/GetSecrets-example.json');
    const v = await startVault();
    try {
      for (const name of ['listsecrettest0', 'listsecrettest1']) await call(v, 'PUT', `/secrets/${name}`, { body: { value: 'x', contentType: 'plainText' } });
      const a = await call(v, 'GET', '/secrets?maxresults=1');
      expect([...fieldsOf(a.json)]).to.include.members([...fieldsOf(ex.body)]);
      expect(a.json.value[0].id).to.equal(`${v.url}/secrets/listsecrettest0`);
    } finally {
      await v.stop();
    }
  });
});

describe('emulator backups', () => {
  const vault = useVault();

  it('are opaque and refuse an altered blob', async () => {
    await call(vault(), 'PUT', '/secrets/sealed', { body: { value: 'very-secret-value' } });
    const blob: string = (await call(vault(), 'POST', '/secrets/sealed/backup')).json.value;
    expect(Buffer.from(blob, 'base64url').toString('latin1')).to.not.contain('very-secret-value');
    const bytes = Buffer.from(blob, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    await call(vault(), 'DELETE', '/secrets/sealed');
    await call(vault(), 'DELETE', '/deletedsecrets/sealed');
    expectError(await call(vault(), 'POST', '/secrets/restore', { body: { value: bytes.toString('base64url') } }), 400, 'BadParameter');
    expect((await call(vault(), 'POST', '/secrets/restore', { body: { value: blob } })).status).to.equal(200);
  });
});

describe('emulator: keys and secrets behind a certificate', () => {
  const vault = useVault();

  it('refuse changes except through the certificate (403, innererror *ManagedByKeyVault)', async () => {
    const created = await call(vault(), 'POST', '/certificates/managed-cert/create', {
      body: { policy: { issuer: { name: 'Self' }, x509_props: { subject: 'CN=managed', validity_months: 12 }, key_props: { kty: 'RSA', key_size: 2048 } } },
    });
    expect(created.status, created.text).to.equal(202);
    for (let i = 0; i < 50 && (await call(vault(), 'GET', '/certificates/managed-cert/pending')).json.status !== 'completed'; i++) await new Promise((r) => setTimeout(r, 20));
    const secret = await call(vault(), 'GET', '/secrets/managed-cert');
    expect(secret.json.managed).to.equal(true);
    expect(secret.json.kid).to.match(new RegExp(`^${vault().url}/keys/managed-cert/[0-9a-f]{32}$`));
    const refused = [
      [await call(vault(), 'PUT', '/secrets/managed-cert', { body: { value: 'x' } }), 'SecretManagedByKeyVault', 'set'],
      [await call(vault(), 'PATCH', '/secrets/managed-cert', { body: { tags: { a: 'b' } } }), 'SecretManagedByKeyVault', 'update'],
      [await call(vault(), 'DELETE', '/secrets/managed-cert'), 'SecretManagedByKeyVault', 'delete'],
      [await call(vault(), 'POST', '/keys/managed-cert/create', { body: { kty: 'RSA' } }), 'KeyManagedByKeyVault', 'create'],
      [await call(vault(), 'PATCH', '/keys/managed-cert', { body: { tags: { a: 'b' } } }), 'KeyManagedByKeyVault', 'update'],
      [await call(vault(), 'POST', '/keys/managed-cert/rotate'), 'KeyManagedByKeyVault', 'rotate'],
      [await call(vault(), 'DELETE', '/keys/managed-cert'), 'KeyManagedByKeyVault', 'delete'],
    ] as const;
    for (const [answer, inner, operation] of refused) {
      expectError(answer, 403, 'Forbidden');
      expect(answer.json.error.message).to.equal(`Operation "${operation}" is not allowed as this object's lifetime is managed by Key Vault.`);
      expect(answer.json.error.innererror).to.deep.equal({ code: inner });
    }
    // Reading and using them stays allowed.
    const key = await call(vault(), 'GET', '/keys/managed-cert');
    expect(key.json.managed).to.equal(true);
    const signed = await call(vault(), 'POST', `/keys/managed-cert/${key.json.key.kid.split('/').pop()}/sign`, { body: { alg: 'RS256', value: Buffer.alloc(32).toString('base64url') } });
    expect(signed.status).to.equal(200);
  });
});

describe('emulator paging while the vault changes', () => {
  const vault = useVault();

  it('continues after the last name served, showing changes made between pages', async () => {
    for (const n of ['p-a', 'p-b', 'p-c', 'p-d', 'p-e']) await call(vault(), 'PUT', `/secrets/${n}`, { body: { value: n } });
    const first = await call(vault(), 'GET', '/secrets?maxresults=2');
    expect(first.json.value.map((x: { id: string }) => x.id.split('/').pop())).to.deep.equal(['p-a', 'p-b']);
    await call(vault(), 'DELETE', '/secrets/p-c');
    await call(vault(), 'PUT', '/secrets/p-bb', { body: { value: 'new' } });
    await call(vault(), 'PUT', '/secrets/p-0', { body: { value: 'before' } });
    const names: string[] = [];
    for (let next = first.json.nextLink; next; ) {
      const a = await call(vault(), 'GET', next.replace(vault().url, ''), { apiVersion: null });
      names.push(...a.json.value.map((x: { id: string }) => x.id.split('/').pop()));
      next = a.json.nextLink;
    }
    expect(names).to.deep.equal(['p-bb', 'p-d', 'p-e']);
    const deleted = await call(vault(), 'GET', '/deletedsecrets');
    expect(deleted.json.value.map((x: { id: string }) => x.id.split('/').pop())).to.deep.equal(['p-c']);
  });
});
