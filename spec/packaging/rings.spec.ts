import { expect } from 'chai';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The test rings split spec/ exactly: `npm run test:unit` (.mocharc.unit.cjs) and `npm run test:slow`
 * (.mocharc.slow.cjs) together run every spec `npm test` runs, none twice, so that a new spec file can never fall out
 * of both. And the fast ring stays in-process: no spec in it, nor a spec/ module it imports, uses node:child_process.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const unit = require(`${root}.mocharc.unit.cjs`) as { spec: string[]; ignore: string[] };
const slow = require(`${root}.mocharc.slow.cjs`) as { spec: string[] };
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };

const files = (patterns: string[]) => new Set(patterns.flatMap((pattern) => globSync(pattern, { cwd: root })));
const sorted = (set: Set<string>) => [...set].sort();

/** The spec/ modules a file imports, and theirs, by relative import specifiers. */
function localGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, spec] of readFileSync(join(root, file), 'utf8').matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
    if (!spec) continue;
    const target = relative(root, resolve(root, dirname(file), spec.replace(/\.js$/, '.ts')));
    if (target.startsWith('spec/') && existsSync(join(root, target))) localGraph(target, seen);
  }
  return seen;
}

describe('test rings', () => {
  const whole = /mocha "([^"]+)"/.exec(pkg.scripts['test'] ?? '')?.[1];
  const all = files([whole ?? 'no test script']);
  const ignored = files(unit.ignore);
  const fast = new Set([...files(unit.spec)].filter((f) => !ignored.has(f)));
  const slower = files(slow.spec);

  it('npm test runs every spec under spec/ (typecheck first)', () => {
    expect(pkg.scripts['test']).to.match(/^npm run typecheck && mocha "spec\/\*\*\/\*\.spec\.ts"$/);
    expect(all.size).to.be.greaterThan(50);
    expect(sorted(all)).to.include('spec/packaging/rings.spec.ts');
  });

  it('unit + slow = the whole suite, and no spec runs in both', () => {
    expect(sorted(new Set([...fast, ...slower])), 'spec files in neither ring').to.deep.equal(sorted(all));
    expect([...fast].filter((f) => slower.has(f)), 'spec files in both rings').to.deep.equal([]);
  });

  it('every slow-ring entry still names a spec file (no stale entry)', () => {
    expect(slow.spec.filter((pattern) => files([pattern]).size === 0)).to.deep.equal([]);
  });

  it('the fast ring starts no process: no node:child_process in its specs or the spec/ modules they import', () => {
    const offenders = [...fast].filter((f) => [...localGraph(f)].some((m) => /['"]node:child_process['"]/.test(readFileSync(join(root, m), 'utf8'))));
    expect(offenders, 'move these to .mocharc.slow.cjs').to.deep.equal([]);
  });

  it('npm run spec -- FILE runs that file only (the base .mocharc.json names no spec)', () => {
    expect(pkg.scripts['spec']).to.equal('mocha');
    expect(require(`${root}.mocharc.json`)).to.not.have.property('spec');
    expect(pkg.scripts['test:unit']).to.equal('mocha --config .mocharc.unit.cjs');
    expect(pkg.scripts['test:slow']).to.equal('mocha --config .mocharc.slow.cjs');
  });
});
