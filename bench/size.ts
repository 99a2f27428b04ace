// What an application pays in bytes: a rollup build of a consumer of the built package (dist/), minified with
// terser and gzipped, with the dependencies external (as a Node app or a library would ship) and bundled.
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { rollup, type Plugin } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjsPlugin from '@rollup/plugin-commonjs';
import terserPlugin from '@rollup/plugin-terser';
import { sdkFile } from './sdk.js';

// Their types describe the CommonJS default export; under ESM the default IS the plugin factory.
const commonjs = commonjsPlugin as unknown as () => Plugin;
const terser = terserPlugin as unknown as () => Plugin;


/** The consumers measured: what they import from 'keyvault-kit' and do with it. */
export const consumers = {
  'secrets only (KeyVaultClient + kv.secrets)': `import { KeyVaultClient } from 'keyvault-kit';
const kv = new KeyVaultClient(process.env.VAULT_URL);
console.log((await kv.secrets.getSecret('db-password')).value);`,
  'SecretClient alone': `import { SecretClient } from 'keyvault-kit';
const client = new SecretClient(process.env.VAULT_URL);
console.log((await client.getSecret('db-password')).value);`,
  'whole library (export *)': `export * from 'keyvault-kit';`,
};

/** Code that must not be in a secrets-only bundle, found by names that survive minification (class names, routes). */
const FOREIGN = { keys: ['/keys/{name}', 'CryptographyClient'], certificates: ['/certificates/{name}', '/certificates/issuers'] };

const virtual = (code: string): Plugin => ({
  name: 'consumer',
  resolveId: (id) => (id === 'consumer' ? id : id === 'keyvault-kit' ? { id: sdkFile('index.js'), moduleSideEffects: false } : null),
  load: (id) => (id === 'consumer' ? code : null),
});

const isBuiltin = (id: string) => id.startsWith('node:') || builtinModules.includes(id);
const isDependency = (id: string) => /^[@a-z]/.test(id) && id !== 'keyvault-kit' && id !== 'consumer';

/** `undici` for `.../node_modules/undici/index.js`; our own chunks by file name. */
const packageOf = (id: string): string => {
  const match = /node_modules\/((?:@[^/]+\/)?[^./][^/]*)\/(?!.*node_modules)/.exec(id);
  return match ? match[1]! : id.replace(/^.*\//, '').replace(/\.js$/, '');
};

/** The module that weighs most in a chunk: it names the chunk (a lazy chunk is mostly one package). */
const largestModule = (modules: Record<string, { renderedLength: number }>): string | undefined =>
  Object.entries(modules).sort((a, b) => b[1].renderedLength - a[1].renderedLength)[0]?.[0];

export interface SizeResult {
  consumer: string;
  deps: 'external' | 'bundled';
  /** min+gzip of the entry chunk (loaded on import). */
  entryBytes: number;
  /** min+gzip of every chunk, lazily loaded ones included (e.g. undici, loaded with the first request). */
  totalBytes: number;
  minBytes: number;
  /** Keys or certificates code found in the bundle. */
  foreign: string[];
  /** min+gzip of each lazily loaded chunk, by the module that starts it. */
  lazy: Record<string, number>;
}

async function build(code: string, deps: 'external' | 'bundled', minify: boolean) {
  const bundle = await rollup({
    input: 'consumer',
    external: (id) => isBuiltin(id) || (deps === 'external' && isDependency(id)),
    plugins: [virtual(code), ...(deps === 'bundled' ? [nodeResolve({ exportConditions: ['node'], preferBuiltins: true }), commonjs()] : [])],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es', plugins: minify ? [terser()] : [], inlineDynamicImports: false });
  await bundle.close();
  return output.filter((chunk) => chunk.type === 'chunk');
}

export async function measureSizes(): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const [consumer, code] of Object.entries(consumers)) {
    for (const deps of ['external', 'bundled'] as const) {
      const chunks = await build(code, deps, true);
      const gz = (text: string) => gzipSync(text, { level: 9 }).length;
      const plain = (await build(code, deps, false)).map((chunk) => chunk.code).join('\n');
      const foreign = Object.entries(FOREIGN).filter(([, marks]) => marks.some((mark) => plain.includes(mark))).map(([area]) => area);
      results.push({
        consumer, deps,
        entryBytes: gz(chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.code).join('')),
        totalBytes: chunks.reduce((sum, chunk) => sum + gz(chunk.code), 0),
        minBytes: chunks.reduce((sum, chunk) => sum + chunk.code.length, 0),
        foreign,
        lazy: Object.fromEntries(chunks.filter((chunk) => !chunk.isEntry).map((chunk) => [packageOf(largestModule(chunk.modules) ?? chunk.name), gz(chunk.code)])),
      });
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await measureSizes());
