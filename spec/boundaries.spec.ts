import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cycles, fileGraph, folderGraph, sourceFiles } from './helpers/import-graph.js';

const LIB = join(import.meta.dirname, '..', 'lib');
const files = fileGraph(LIB);
/** A top-level folder of lib/ (`keys/cryptography/client.ts` is in `keys`); the root files are `.`. */
const topFolder = (file: string) => (file.includes('/') ? file.split('/')[0]! : '.');

describe('lib/ boundaries', () => {
  it('the file graph reads every relative import (a known edge is there)', () => {
    expect([...files.get('keys/cryptography/client.ts')!]).to.include.members(['keys/operations.ts', 'rx/from-call.ts', 'resources/shared.ts']);
    expect(files.size).to.be.greaterThan(60);
  });

  it('no top-level folder imports one that imports it back', () => {
    expect(cycles(folderGraph(files, topFolder))).to.deep.equal([]);
  });

  it('no file imports one that imports it back, however indirectly', () => {
    expect(cycles(files)).to.deep.equal([]);
  });

  it('the shared mechanisms below the clients (core, wire, identifiers, polling, paging) import only core/ and wire/; nothing in the SDK imports the emulator', () => {
    const folders = folderGraph(files, topFolder);
    for (const low of ['core', 'polling', 'paging', 'wire', 'identifiers']) {
      expect([...folders.get(low)!].filter((to) => !['core', 'wire'].includes(to)), low).to.deep.equal([]);
    }
    for (const [folder, edges] of folders) if (folder !== 'emulator') expect([...edges], folder).to.not.include('emulator');
  });

  it('among nested folders, the only cycles are a folder with its own subfolders (keys ↔ keys/cryptography: one module in parts)', () => {
    const nested = cycles(folderGraph(files, (file) => dirname(file)));
    for (const component of nested) {
      const [parent] = [...component].sort((a, b) => a.length - b.length);
      expect(component.every((folder) => folder === parent || folder.startsWith(`${parent}/`)), component.join(' ↔ ')).to.equal(true);
    }
  });

  it('no SDK file is over ~400 lines (the emulator is split on its own)', () => {
    const long = sourceFiles(LIB)
      .filter((file) => !file.startsWith('emulator/'))
      .map((file) => [file, readFileSync(join(LIB, file), 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 410);
    expect(long).to.deep.equal([]);
  });
});
