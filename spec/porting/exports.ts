/**
 * The names Microsoft's three packages export, and which of them keyvault-kit lacks or exports as another kind
 * (a value where Microsoft has a type too, as their enums are). Read with the compiler, so it follows re-exports.
 * Run: `node --import tsx spec/porting/exports.ts`.
 */
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

export const MICROSOFT_PACKAGES = ['@azure/keyvault-secrets', '@azure/keyvault-keys', '@azure/keyvault-certificates'] as const;

export interface ExportInfo { value: boolean; type: boolean }

/** Every export of each module, by name, with whether it is a value and whether it is a type. */
export function exportsOf(specifiers: readonly string[]): Map<string, ExportInfo> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const probe = `${root}spec/porting/__exports_probe.ts`;
  const text = specifiers.map((s, i) => `import * as m${i} from '${s}';\nexport { m${i} };`).join('\n');
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (f === probe ? text : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => f === probe || exists(f);
  const program = ts.createProgram([probe], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(probe)!;
  const result = new Map<string, ExportInfo>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const symbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (!symbol) throw new Error(`cannot resolve ${(statement.moduleSpecifier as ts.StringLiteral).text}`);
    for (const exported of checker.getExportsOfModule(symbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const info = result.get(exported.name) ?? { value: false, type: false };
      info.value ||= (target.flags & ts.SymbolFlags.Value) !== 0;
      info.type ||= (target.flags & ts.SymbolFlags.Type) !== 0;
      result.set(exported.name, info);
    }
  }
  return result;
}

/** Microsoft's names that keyvault-kit lacks, or has without the value or the type side. */
export function missingExports(): string[] {
  const theirs = exportsOf(MICROSOFT_PACKAGES);
  const ours = exportsOf(['../../lib/index.js']);
  const missing: string[] = [];
  for (const [name, info] of [...theirs].sort(([a], [b]) => a.localeCompare(b))) {
    const mine = ours.get(name);
    if (!mine) missing.push(name);
    else if (info.value && !mine.value) missing.push(`${name} (value)`);
    else if (info.type && !mine.type) missing.push(`${name} (type)`);
  }
  return missing;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(missingExports().join('\n'));
