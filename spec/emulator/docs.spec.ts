// Every option of startVault, every flag of keyvault-emulator and every admin route is documented twice, in
// `keyvault-emulator --help` and in the README's "The local vault": a new one that is missing from either fails here.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import ts from 'typescript';
import { ADMIN_ROUTES } from '../../lib/emulator/admin.js';
import { CLI_OPTIONS } from '../../lib/emulator/cli-options.js';

const run = promisify(execFile);
const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The members of `VaultOptions`, read from the source (an interface has no runtime form). */
function vaultOptionNames(): string[] {
  const file = root('lib/emulator/index.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'VaultOptions') {
      for (const member of node.members) if (member.name && ts.isIdentifier(member.name)) names.push(member.name.text);
    }
  });
  return names;
}

/** The README's "The local vault" section, and the backticked names in the first column of its option table. */
function readme(): { section: string; tableNames: Set<string> } {
  const text = readFileSync(root('README.md'), 'utf8');
  const section = text.slice(text.indexOf('\n## The local vault\n'), text.indexOf('\n## ', text.indexOf('\n## The local vault\n') + 5));
  const lines = section.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| option / flag |'));
  expect(start, 'the option table').to.be.greaterThan(0);
  const tableNames = new Set<string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    for (const [, name] of line.split('|')[1]!.matchAll(/`([^`]+)`/g)) tableNames.add(name!.replace(/:.*$/, '').trim());
  }
  return { section, tableNames };
}

/** The flag of each startVault option (null: API only). A new option must be added here, with its flag or none. */
const FLAG_OF: Record<string, string | null> = {
  port: '--port',
  host: '--host',
  tls: '--http',
  stateDir: '--state-dir',
  hostnames: '--hostname',
  tlsCert: '--tls-cert',
  tlsKey: '--tls-key',
  tlsCa: null,
  dataFile: '--data',
  token: '--token',
  auth: '--strict-auth',
  seed: '--seed',
  events: '--events',
  adminToken: '--admin-token',
};

describe('local vault: every option, flag and admin route is documented', function () {
  this.timeout(60_000);
  let help: string;
  before(async () => ({ stdout: help } = await run(process.execPath, ['--import', 'tsx', root('lib/emulator/cli.ts'), '--help'])));

  it('every startVault option is in the README option table, and its flag is a flag of the CLI', () => {
    const options = vaultOptionNames();
    expect(options).to.include.members(['port', 'auth', 'seed', 'events', 'adminToken']);
    expect(Object.keys(FLAG_OF).sort(), 'FLAG_OF covers VaultOptions exactly').to.deep.equal([...options].sort());
    const { tableNames } = readme();
    for (const option of options) {
      expect(tableNames.has(option), `README option table lacks ${option}`).to.equal(true);
      const flag = FLAG_OF[option];
      if (flag) expect(Object.keys(CLI_OPTIONS), `${option} -> ${flag}`).to.include(flag.slice(2));
    }
  });

  it('every CLI flag is in --help and in the README option table (--help itself in the section)', () => {
    const { section, tableNames } = readme();
    for (const name of Object.keys(CLI_OPTIONS)) {
      const flag = `--${name}`;
      expect(help, `--help lacks ${flag}`).to.match(new RegExp(`^\\s+(-\\w, )?${flag}\\b`, 'm'));
      if (name === 'help') expect(section).to.contain('keyvault-emulator --help');
      else expect(tableNames.has(flag), `README option table lacks ${flag}`).to.equal(true);
    }
    // The `ca` subcommand too.
    expect(help).to.match(/^\s+keyvault-emulator ca /m);
    expect(section).to.contain('keyvault-emulator ca');
  });

  it('every admin route is in --help and in the README', () => {
    const { section } = readme();
    expect(ADMIN_ROUTES.length).to.be.at.least(3);
    for (const [method, path] of ADMIN_ROUTES) {
      expect(help, `--help lacks ${method} ${path}`).to.match(new RegExp(`^\\s+${method}\\s+${path}\\s`, 'm'));
      expect(section, `README lacks ${method} ${path}`).to.contain(`\`${method} ${path}\``);
    }
  });
});
