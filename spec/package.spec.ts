import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const run = (args: string[]) => execFileSync(node, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

/** The package as users get it: built by `npm run build`, loaded by name through its exports map. */
describe('the built package', function () {
  this.timeout(180_000);

  before(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe', env: process.env });
  });

  it('runs on the pinned Node 24 toolchain, not the machine node', () => {
    expect(process.versions.node.split('.')[0]).to.equal('24');
    expect(process.execPath).to.include('node_modules');
  });

  it('emits ESM, CommonJS and bundled type declarations', () => {
    for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']) expect(existsSync(`${root}${file}`), file).to.equal(true);
    const types = readFileSync(`${root}dist/index.d.ts`, 'utf8');
    expect(types).to.match(/declare class KeyVaultClient/);
    expect(types).to.match(/KeyVaultClient as VaultClient/);
  });

  it('imports by name as ESM and requires as CommonJS', () => {
    expect(run(['--input-type=module', '-e', "import { KeyVaultClient, VaultClient } from 'keyvault-kit'; console.log(typeof KeyVaultClient, VaultClient === KeyVaultClient)"]).trim()).to.equal('function true');
    expect(run(['-e', "const { KeyVaultClient, VaultClient, SecretClient } = require('keyvault-kit'); console.log(typeof KeyVaultClient, VaultClient === KeyVaultClient, typeof SecretClient)"]).trim()).to.equal('function true function');
  });

  // What a cold import costs: none of these load before a token (or a log line through @azure/logger) is needed.
  const heavy = '/@azure\\/identity|@azure\\/logger|emulator|@peculiar|pkijs/';
  it('loads neither @azure/identity, @azure/logger nor the emulator when imported or required, nor until a token is needed', () => {
    const hooks = `const seen = [];
      registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });`;
    const use = `const kv = new KeyVaultClient('https://x.vault.azure.net'); kv.secrets; kv.keys; kv.certificates;
      console.log(JSON.stringify(seen.filter((u) => ${heavy}.test(u))));`;
    const esm = `import { registerHooks } from 'node:module'; ${hooks} const { KeyVaultClient } = await import('keyvault-kit'); ${use}`;
    const cjs = `const { registerHooks } = require('node:module'); ${hooks} const { KeyVaultClient } = require('keyvault-kit'); ${use}`;
    expect(JSON.parse(run(['--input-type=module', '-e', esm]).trim())).to.deep.equal([]);
    expect(JSON.parse(run(['-e', cjs]).trim())).to.deep.equal([]);
  });

  it('loads the emulator bundle by name (ESM and CommonJS), and its CLI prints its usage', () => {
    expect(run(['--input-type=module', '-e', "import { startVault, SeedError } from 'keyvault-kit/emulator'; console.log(typeof startVault, typeof SeedError)"]).trim()).to.equal('function function');
    expect(run(['-e', "const { startVault } = require('keyvault-kit/emulator'); console.log(typeof startVault)"]).trim()).to.equal('function');
    const usage = run(['dist/emulator-cli.js', '--help']);
    expect(usage).to.match(/^Usage: keyvault-emulator /);
    expect(usage).to.include('--print-env');
  });

  it('starts the local vault from the built bin (what npx keyvault-emulator runs) and stops on SIGTERM', async () => {
    const bin = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> }).bin['keyvault-emulator']!;
    expect(readFileSync(`${root}${bin}`, 'utf8').split('\n').filter((line) => line.startsWith('#!'))).to.deep.equal(['#!/usr/bin/env node']);
    const child = spawn(node, [bin, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const caFile = /CA certificate: (\S+)/.exec(out)![1]!;
    expect(out).to.include(`new KeyVaultClient('${url}'`);
    const { KeyVaultClient } = await import('../lib/index.js');
    const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600e3 }) };
    const kv = new KeyVaultClient(url, credential, { ca: readFileSync(caFile, 'utf8') });
    expect((await kv.secrets.setSecret('from-bin', 'works')).value).to.equal('works');
    const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
    expect(code).to.equal(0);
  });
});
