import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `npm run docs` (typedoc, typedoc.json) treats warnings as errors: an exported symbol, enum member or interface
 * method without JSDoc, or a public type referencing one that is not exported, fails it. This runs the same check
 * without writing docs/api, so that `npm test` catches an undocumented export the day it is added.
 */
describe('the API reference', function () {
  this.timeout(180_000);

  it('builds with every exported symbol documented (typedoc, warnings as errors)', () => {
    const result = spawnSync(process.execPath, [`${root}node_modules/typedoc/bin/typedoc`, '--emit', 'none'], { cwd: root, encoding: 'utf8' });
    // eslint-disable-next-line no-control-regex -- typedoc colours its output
    const warnings = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((line) => /warning|error/.test(line));
    expect(warnings, 'add JSDoc (or, for a helper type, list it in typedoc.json intentionallyNotExported)').to.deep.equal([]);
    expect(result.status).to.equal(0);
  });
});
