import { fileURLToPath } from 'node:url';

/** The folder of the test fixtures copied into the repository (see spec/fixtures/PROVENANCE.md), with a trailing slash. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Absolute path of a fixture, e.g. `fixture('spec/keyvault/7.6/examples/GetKeys-example.json')`. */
export const fixture = (path: string): string => `${FIXTURES}${path}`;
