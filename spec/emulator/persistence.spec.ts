import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningVault, startVault } from '../../lib/emulator/index.js';
import { openStore } from '../../lib/emulator/store.js';
import { call } from './http.js';

const CLI = fileURLToPath(new URL('../../lib/emulator/cli.ts', import.meta.url));

describe('emulator persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kv-persist-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps secrets, keys, deletions and rotation policies across a restart on the same data file', async () => {
    const dataFile = join(dir, 'vault.db');
    const first = await startVault({ dataFile });
    const secret = await call(first, 'PUT', '/secrets/durable', { body: { value: 'v1', tags: { a: 'b' } } });
    await call(first, 'PUT', '/secrets/durable', { body: { value: 'v2' } });
    await call(first, 'PUT', '/secrets/deleted-one', { body: { value: 'x' } });
    await call(first, 'DELETE', '/secrets/deleted-one');
    const key = await call(first, 'POST', '/keys/durable-key/create', { body: { kty: 'EC', crv: 'P-256' } });
    await call(first, 'PUT', '/keys/durable-key/rotationpolicy', { body: { lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Rotate' } }], attributes: { expiryTime: 'P90D' } } });
    const digest = Buffer.alloc(32, 7).toString('base64url');
    const signature = await call(first, 'POST', `/keys/durable-key/${key.json.key.kid.split('/').pop()}/sign`, { body: { alg: 'ES256', value: digest } });
    await first.stop();

    const second = await startVault({ dataFile });
    try {
      const old = await call(second, 'GET', `/secrets/durable/${secret.json.id.split('/').pop()}`);
      expect(old.json).to.deep.include({ value: 'v1', tags: { a: 'b' } });
      expect((await call(second, 'GET', '/secrets/durable')).json.value).to.equal('v2');
      expect((await call(second, 'GET', '/secrets/durable/versions')).json.value).to.have.length(2);
      expect((await call(second, 'GET', '/deletedsecrets/deleted-one')).status).to.equal(200);
      const k = await call(second, 'GET', '/keys/durable-key');
      expect(k.json.key).to.deep.equal({ ...key.json.key, kid: key.json.key.kid.replace(first.url, second.url) });
      const verified = await call(second, 'POST', `/keys/durable-key/${key.json.key.kid.split('/').pop()}/verify`, { body: { alg: 'ES256', digest, value: signature.json.value } });
      expect(verified.json).to.deep.equal({ value: true });
      const policy = await call(second, 'GET', '/keys/durable-key/rotationpolicy');
      expect(policy.json.attributes.expiryTime).to.equal('P90D');
      // The purge is durable too.
      expect((await call(second, 'DELETE', '/deletedsecrets/deleted-one')).status).to.equal(204);
    } finally {
      await second.stop();
    }
    const third = await startVault({ dataFile });
    try {
      expect((await call(third, 'GET', '/deletedsecrets/deleted-one')).status).to.equal(404);
      expect((await call(third, 'GET', '/secrets/durable')).json.value).to.equal('v2');
    } finally {
      await third.stop();
    }
  });

  it('rolls back memory and disk together when a transaction fails', () => {
    const file = join(dir, 'tx.db');
    const store = openStore(file);
    const c = store.collection<{ n: number }>('things');
    c.put('a', { n: 1 });
    expect(() =>
      store.transaction(() => {
        c.put('a', { n: 2 });
        c.put('b', { n: 3 });
        throw new Error('boom');
      }),
    ).to.throw('boom');
    expect(c.get('a')).to.deep.equal({ n: 1 });
    expect(c.has('b')).to.equal(false);
    store.close();
    const reopened = openStore(file);
    expect([...reopened.collection<{ n: number }>('things').entries()]).to.deep.equal([['a', { n: 1 }]]);
    reopened.close();
  });

  describe('kill -9', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    // Runs the CLI (Node 24 + tsx, as the package runs it) and resolves with its vault URL and CA.
    async function startCli(dataFile: string): Promise<Pick<RunningVault, 'url' | 'ca' | 'caFile' | 'stop'>> {
      const proc = spawn(process.execPath, ['--import', 'tsx', CLI, '--data', dataFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (\S+)/.exec(out);
          if (m && /CA certificate: (\S+)/.test(out)) resolve(m[1]!);
        });
        proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        proc.on('exit', (code) => reject(new Error(`CLI exited with ${code}: ${out}`)));
      });
      const caFile = /CA certificate: (\S+)/.exec(out)![1]!;
      const { readFileSync } = await import('node:fs');
      return { url, caFile, ca: readFileSync(caFile, 'utf8'), stop: async () => undefined };
    }

    it('keeps every acknowledged write after the process is killed', async () => {
      const dataFile = join(dir, 'killed.db');
      const a = await startCli(dataFile);
      const acknowledged: string[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await call(a, 'PUT', `/secrets/k${i}`, { body: { value: `value-${i}` } });
        expect(r.status).to.equal(200);
        acknowledged.push(r.json.id.split('/').pop());
      }
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child!.kill('SIGKILL');
      await exited;

      const b = await startCli(dataFile);
      for (let i = 0; i < 20; i++) {
        const r = await call(b, 'GET', `/secrets/k${i}/${acknowledged[i]}`);
        expect(r.status, r.text).to.equal(200);
        expect(r.json.value).to.equal(`value-${i}`);
      }
      child!.kill('SIGTERM');
      await new Promise((resolve) => child!.once('exit', resolve));
    });

    it('stops cleanly on SIGTERM and SIGINT', async () => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        await startCli(join(dir, `${signal}.db`));
        const code = await new Promise((resolve) => {
          child!.once('exit', (c) => resolve(c));
          child!.kill(signal);
        });
        expect(code).to.equal(0);
      }
    });
  });
});
