import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../lib/emulator/', import.meta.url));
const PKI = fileURLToPath(new URL('../../lib/pki/', import.meta.url));

describe('emulator packaging', () => {
  // In the bundle, static imports of external packages run before any bundled code, so the Reflect polyfill
  // would come too late for @peculiar/x509 (its tsyringe throws at load): the built emulator would not load.
  it('loads @peculiar/x509 only through peculiar.ts (after the Reflect polyfill)', () => {
    const files = [DIR, PKI].flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => `${dir}${f}`));
    const offenders = files
      .filter((f) => f.endsWith('.ts') && !f.endsWith('/pki/peculiar.ts'))
      .filter((f) => /^import\s+(?!type\b)[^;]*from\s+'@peculiar\/x509'/m.test(readFileSync(f, 'utf8')));
    expect(offenders, 'use `import { x509 } from "../pki/peculiar.js"` (types: `import type ... from "@peculiar/x509"`)').to.deep.equal([]);
  });

  it('keeps node:sqlite out of the module graph until a data file is asked for', () => {
    const offenders = readdirSync(DIR)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /^import\s+(?!type\b)[^;]*from\s+'node:sqlite'/m.test(readFileSync(`${DIR}${f}`, 'utf8')));
    expect(offenders).to.deep.equal([]);
  });
});
