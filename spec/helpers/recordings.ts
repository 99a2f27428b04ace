import { readFileSync } from 'node:fs';
import { fixture } from './fixtures.js';

/** A real Key Vault exchange recorded by Azure's own SDK tests (spec/fixtures/recordings, see PROVENANCE.md). */
export interface Exchange {
  RequestUri: string;
  RequestMethod: string;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: any;
}

const root = fixture('recordings/');

/** The exchanges of one recorded session, e.g. `recording('secrets', 'py_test_example_secret_crud_operations[7.6]')`. */
export function recording(area: string, name: string): Exchange[] {
  return (JSON.parse(readFileSync(`${root}${area}/${name}.json`, 'utf8')) as { Entries: Exchange[] }).Entries;
}
