// The package under test: a snapshot of dist/ taken right after the build, so that another `npm run build`
// (the package test rebuilds dist/) cannot swap or delete it halfway through a benchmark run.
import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SNAPSHOT = `${ROOT}node_modules/.cache/keyvault-kit-bench/`;

/** A file of the snapshot, e.g. `sdkFile('index.js')`; taken from the current dist/ if there is none yet. */
export function sdkFile(name: string): string {
  if (!existsSync(`${SNAPSHOT}dist/index.js`)) snapshotSdk(false);
  return `${SNAPSHOT}dist/${name}`;
}

/** Builds (unless `build` is false) and copies dist/ aside; retried, since another build may be clearing dist/. */
export function snapshotSdk(build: boolean): void {
  for (let attempt = 1; ; attempt++) {
    try {
      if (build) execSync('npm run -s build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      rmSync(SNAPSHOT, { recursive: true, force: true });
      mkdirSync(SNAPSHOT, { recursive: true });
      // Under node_modules/ no package.json of ours applies: say that .js files are ES modules.
      writeFileSync(`${SNAPSHOT}package.json`, '{ "type": "module" }\n');
      cpSync(`${ROOT}dist`, `${SNAPSHOT}dist`, { recursive: true });
      if (!existsSync(`${SNAPSHOT}dist/index.js`) || !existsSync(`${SNAPSHOT}dist/index.cjs`)) throw new Error('dist/ is incomplete');
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Our SDK as users get it (the snapshot of dist/); `BENCH_SDK=src` measures the TypeScript sources through tsx. */
export const loadSdk = async (): Promise<typeof import('../lib/index.js')> =>
  process.env['BENCH_SDK'] === 'src' ? import('../lib/index.js') : import(sdkFile('index.js'));
