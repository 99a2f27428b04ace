// Bundles what `tsc -p tsconfig.build.json` emitted into build/ (rollup never compiles TypeScript:
// TypeScript 7 has no JS API for a plugin, so tsc 5.9 does the compiling and rollup only bundles).
// One file per entry point keeps cold imports fast; dependencies stay external.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { dts } from 'rollup-plugin-dts';

const emulatorEntry = resolve('build/emulator/index.js');

const external = (id) => id.startsWith('node:') || builtinModules.includes(id) || /^[@a-z]/.test(id);

// Packages that ship only ESM. A `.d.cts` may not import them plainly (TS1479 for a CommonJS consumer on
// `module: node16`), so their (type-only) imports say `resolution-mode: import`. Runtime is unaffected: the CJS
// bundle never loads them for types, and Node >= 22 can require() ESM.
const esmOnly = ['ky'];
const cjsTypes = {
  name: 'cjs-types',
  renderChunk: (code) =>
    code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (line, names, from) =>
      esmOnly.includes(from) ? `import type {${names}} from '${from}' with { 'resolution-mode': 'import' };` : line),
};

const entries = [
  { input: 'build/index.js', name: 'index' },
  { input: 'build/emulator/index.js', name: 'emulator' },
].filter((entry) => existsSync(entry.input));

export default [
  ...entries.map(({ input, name }) => ({
    input: { [name]: input },
    external,
    // Rarely used heavy parts (PKCS#12 parsing) stay in lazily loaded chunks. No source maps: they would map to the
    // intermediate build/ JavaScript, not to TypeScript that ships, and were over half the tarball.
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      { dir: 'dist', format: 'cjs', exports: 'named', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    ],
  })),
  ...entries.map(({ input, name }) => ({
    input: input.replace(/\.js$/, '.d.ts'),
    external,
    // The same declarations twice: `.d.ts` beside the ESM bundle for `import`, `.d.cts` beside the CommonJS bundle for
    // `require` (TypeScript reads a file's module kind from its extension; one `.d.ts` would tell CJS users "ESM").
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es', plugins: [cjsTypes] },
    ],
    plugins: [dts()],
  })),
  // The CLI imports the emulator's own bundle instead of carrying a second copy of it.
  ...(existsSync('build/emulator/cli.js')
    ? [{
        input: 'build/emulator/cli.js',
        external: (id, importer) => external(id) || (importer !== undefined && resolve(dirname(importer), id) === emulatorEntry),
        output: { file: 'dist/emulator-cli.js', format: 'es', paths: { [emulatorEntry]: './emulator.js' } },
      }]
    : []),
];
