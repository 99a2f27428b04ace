import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The README sections whose TypeScript snippets a newcomer copies first; each must compile as written. */
const SECTIONS = ['Install', 'Quickstart', 'The local vault'];

/**
 * The ```ts blocks of a `## ` section of the README, up to its first `### ` subsection: the section's own snippets
 * stand alone, while a subsection's may continue them (`vault.clock.advance(...)`) or show another SDK's lines.
 */
function snippets(readme: string, section: string): string[] {
  const start = readme.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README has no section "${section}"`);
  const next = readme.slice(start + 1).search(/\n##+ /);
  const body = readme.slice(start, next < 0 ? undefined : start + 1 + next);
  return [...body.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/**
 * Type-checks each snippet as its own module, with the project's compiler options (strict; `keyvault-kit` maps to
 * lib/ through tsconfig paths), as if it were a file at the repository root (ESM, top-level await allowed).
 */
function diagnose(files: Map<string, string>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) =>
    files.has(name) ? ts.createSourceFile(name, files.get(name)!, version, true) : getSourceFile.call(host, name, version, ...rest);
  const program = ts.createProgram([...files.keys()], config.options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => `${d.file!.fileName.slice(root.length)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('README snippets', function () {
  this.timeout(120_000);

  it('type-check as written (Install, Quickstart, The local vault)', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const files = new Map<string, string>();
    for (const section of SECTIONS) {
      snippets(readme, section).forEach((code, i) => files.set(`${root}readme-${section.replace(/\W+/g, '-').toLowerCase()}-${i + 1}.ts`, code));
    }
    expect(files.size).to.be.greaterThan(1);
    expect(diagnose(files)).to.deep.equal([]);
  });
});
