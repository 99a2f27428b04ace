import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
/** npm's own variables of the running `npm test` would steer the consumers' install (prefix, lifecycle): drop them. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const sh = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: 'pipe' });

/** What a consumer writes: both entry points, a typed result, a typed error, strict mode on. */
const app = (body: string) => `import { KeyVaultClient, NotFoundError, type KeyVaultSecret } from 'keyvault-kit';
import { startVault } from 'keyvault-kit/emulator';
${body}`;
const ESM_APP = app(`const vault = await startVault();
const kv = new KeyVaultClient(vault.url, { getToken: async () => ({ token: 'dev', expiresOnTimestamp: Date.now() + 3600e3 }) }, { ca: vault.ca });
const secret: KeyVaultSecret = await kv.secrets.setSecret('greeting', 'hello');
const missing = await kv.secrets.getSecret('absent').catch((e: unknown) => e instanceof NotFoundError);
console.log(JSON.stringify({ value: secret.value, missing }));
await vault.stop();
`);
const CJS_APP = app(`export async function main(): Promise<string | undefined> {
  const vault = await startVault();
  const kv = new KeyVaultClient(vault.url, { getToken: async () => ({ token: 'dev', expiresOnTimestamp: Date.now() + 3600e3 }) }, { ca: vault.ca });
  const secret: KeyVaultSecret = await kv.secrets.setSecret('greeting', 'hello');
  await vault.stop();
  return secret.value ?? String(NotFoundError.name);
}
`);
const tsconfig = (module: string) => JSON.stringify({
  compilerOptions: { module, moduleResolution: module, target: 'es2022', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
  files: ['app.ts'],
});

/**
 * The package as a consumer gets it: packed once (prepack builds dist/), installed from the tarball into a folder
 * outside the repository, then type-checked by two consumer projects with the project's own TypeScript:
 * ESM (`type: module`, `module: nodenext`) and CommonJS (`type: commonjs`, `module: node16`), strict, lib check on.
 * Slow (a build and an npm install): it runs in `npm test` and `npm run test:slow`, not in `test:unit`.
 */
describe('the packed tarball in consumer projects', function () {
  this.timeout(600_000);
  let dir = '';
  let tarball = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kvk-consumers-'));
    sh('npm', ['pack', '--silent', '--pack-destination', dir], root);
    tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumers', private: true }));
    // One install for both projects: node and tsc find node_modules/ in the parent folder.
    sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball, 'rxjs', '@types/node@24'], dir);
    for (const [name, type, module, source] of [['esm', 'module', 'nodenext', ESM_APP], ['cjs', 'commonjs', 'node16', CJS_APP]] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ type }));
      writeFileSync(join(dir, name, 'tsconfig.json'), tsconfig(module));
      writeFileSync(join(dir, name, 'app.ts'), source);
    }
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships dist/ with .d.ts and .d.cts for both entry points, LICENSE and README, and no source maps', () => {
    const files = sh('tar', ['-tzf', tarball], dir).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
    expect(files).to.include.members(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts',
      'dist/emulator.js', 'dist/emulator.cjs', 'dist/emulator.d.ts', 'dist/emulator.d.cts', 'dist/emulator-cli.js']);
    expect(files.filter((f) => f.endsWith('.map') || !/^(dist\/|LICENSE$|README\.md$|package\.json$)/.test(f))).to.deep.equal([]);
  });

  it('type-checks an ESM consumer (module nodenext, strict) and runs it', () => {
    expect(sh(process.execPath, [tsc, '-p', '.'], join(dir, 'esm'))).to.equal('');
    // Node 24 strips the types itself: the app runs as written.
    expect(JSON.parse(sh(process.execPath, ['app.ts'], join(dir, 'esm')).trim())).to.deep.equal({ value: 'hello', missing: true });
  });

  it('type-checks a CommonJS consumer (module node16, strict), which gets the .d.cts declarations', () => {
    expect(sh(process.execPath, [tsc, '-p', '.'], join(dir, 'cjs'))).to.equal('');
    const ours = sh(process.execPath, [tsc, '-p', '.', '--listFilesOnly'], join(dir, 'cjs')).split('\n').filter((f) => f.includes('/keyvault-kit/'));
    expect(ours.map((f) => f.replace(/.*\/keyvault-kit\//, '')).sort()).to.deep.equal(['dist/emulator.d.cts', 'dist/index.d.cts']);
  });

  it('has no type problem for node10, node16 (CJS and ESM) or bundlers (arethetypeswrong)', () => {
    const report = JSON.parse(sh(process.execPath, [attw, tarball, '--format', 'json'], dir)) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).to.deep.equal([]);
  });
});
