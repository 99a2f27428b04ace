// Bundles what `tsc -p tsconfig.build.json` emitted into build/ (rollup never compiles TypeScript:
// TypeScript 7 has no JS API for a plugin, so tsc 5.9 does the compiling and rollup only bundles).
// One file per entry point keeps cold imports fast; dependencies stay external.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { dts } from 'rollup-plugin-dts';

const emulatorEntry = resolve('build/emulator/index.js');

const external = (id) => id.startsWith('node:') || builtinModules.includes(id) || /^[@a-z]/.test(id);

const entries = [
  { input: 'build/index.js', name: 'index' },
  { input: 'build/emulator/index.js', name: 'emulator' },
].filter((entry) => existsSync(entry.input));

export default [
  ...entries.map(({ input, name }) => ({
    input: { [name]: input },
    external,
    // Rarely used heavy parts (PKCS#12 parsing) stay in lazily loaded chunks.
    output: [
      { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      { dir: 'dist', format: 'cjs', sourcemap: true, exports: 'named', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    ],
  })),
  ...entries.map(({ input, name }) => ({
    input: input.replace(/\.js$/, '.d.ts'),
    external,
    output: { file: `dist/${name}.d.ts`, format: 'es' },
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
