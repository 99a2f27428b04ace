import { readFileSync } from 'node:fs';
import { toJsonWebKey, type WireJsonWebKey } from '../../lib/keys/transform.js';
import { expectChallenge, mockedClient, vault, VAULT } from '../helpers/mock.js';
import { fixture } from '../helpers/fixtures.js';
import { recording } from '../helpers/recordings.js';

export const API = { 'api-version': '2025-07-01' };

/** Real sessions recorded by Azure's SDK tests against Key Vault. */
export const crud = recording('keys', 'py_test_example_key_crud_operations[7.6_vault]');
export const rotation = recording('keys', 'js_recording_create_rotation_policy_and_rotate[7.6]');
export const encryptDecrypt = recording('keys', 'py_test_encrypt_and_decrypt[7.6_vault]');
export const signVerify = recording('keys', 'py_test_sign_and_verify[7.6_vault]');
export const wrapUnwrap = recording('keys', 'py_test_wrap_and_unwrap[7.6_vault]');

/** The RSA key (private part included) the Python tests imported before encrypting and signing in the vault. */
export const recordedWireJwk = (encryptDecrypt[1]!.RequestBody as { key: WireJsonWebKey }).key;
export const recordedJwk = () => toJsonWebKey(recordedWireJwk);

const specRoot = fixture('spec/keyvault/');
/** A response body of the REST spec's examples, e.g. `example('7.6', 'GetKeys')`. */
export function example(version: string, name: string): any {
  const file = JSON.parse(readFileSync(`${specRoot}${version}/examples/${name}-example.json`, 'utf8')) as { responses: Record<string, { body?: unknown }> };
  return file.responses['200']?.body;
}

/** A client past its challenge, so each test states only the requests of the operation under test. */
export function ready() {
  const { client, calls } = mockedClient();
  const scope = vault();
  expectChallenge(scope, 'get', '/keys/warm-up/');
  scope.get('/keys/warm-up/').query(API).reply(200, { key: { kid: `${VAULT}/keys/warm-up/0123456789abcdef0123456789abcdef`, kty: 'EC', crv: 'P-256' } });
  return { client, calls, keys: client.keys, scope, warm: () => client.keys.getKey('warm-up') };
}

/** The bundle of a key of this (mocked) vault, with the material of `wire`. */
export function bundle(name: string, version: string, key: WireJsonWebKey, attributes: Record<string, unknown> = { enabled: true }) {
  return { key: { ...key, kid: `${VAULT}/keys/${name}/${version}` }, attributes };
}
