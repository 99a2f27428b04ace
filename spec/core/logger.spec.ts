import { expect } from 'chai';
import { inspect } from 'node:util';
import { KeyVaultError, type Logger } from '../../lib/index.js';
import { redactUrl } from '../../lib/core/logger.js';
import { VAULT, countingCredential, expectChallenge, mockedClient, vault } from '../helpers/mock.js';

const API = { 'api-version': '2025-07-01' };
const TOKEN = 'eyJ0eXAiOiJKV1QiSENTINELTOKEN';
const VALUE = 'SENTINEL-SECRET-VALUE';

describe('logging and redaction', () => {
  it('is off by default and logs request/response lines with allowlisted headers only', async () => {
    const lines: string[] = [];
    const logger: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) };
    const { client } = mockedClient({ logger }, countingCredential(TOKEN));
    const scope = vault();
    expectChallenge(scope, 'put', '/secrets/s');
    scope.put('/secrets/s').query(API).reply(200, { value: VALUE, id: `${VAULT}/secrets/s/0123456789abcdef0123456789abcdef` }, { 'x-ms-request-id': 'rid-1', 'set-cookie': 'session=abc' });
    await client.secrets.setSecret('s', VALUE);
    const all = lines.join('\n');
    expect(all).to.include(`keyvault-kit → PUT ${VAULT}/secrets/s?api-version=2025-07-01 client-request-id=`);
    expect(all).to.include('keyvault-kit ← 200 PUT');
    expect(all).to.include('x-ms-request-id=rid-1');
    expect(all).to.not.include(TOKEN);
    expect(all).to.not.include(VALUE);
    expect(all).to.not.include('session=abc');
    scope.done();
  });

  it('redacts query values that are not known to be harmless', () => {
    expect(redactUrl(`${VAULT}/secrets?api-version=7.6&maxresults=5&$skiptoken=abc&sig=topsecret`)).to.equal(`${VAULT}/secrets?api-version=7.6&maxresults=5&%24skiptoken=REDACTED&sig=REDACTED`);
  });

  it('keeps tokens and values out of errors, their JSON and inspect output', async () => {
    const { client } = mockedClient({ retry: { limit: 0 } }, countingCredential(TOKEN));
    const scope = vault();
    expectChallenge(scope, 'put', '/secrets/s');
    scope.put('/secrets/s').query(API).reply(400, { error: { code: 'BadParameter', message: 'The request was malformed.' } });
    const error = await client.secrets.setSecret('s', VALUE).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KeyVaultError);
    for (const text of [String(error), (error as Error).stack ?? '', JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expect(text).to.not.include(TOKEN);
      expect(text).to.not.include(VALUE);
    }
    for (const text of [inspect(client, { depth: 10 }), inspect(client.secrets, { depth: 10 }), JSON.stringify(client.secrets), String(client)]) {
      expect(text).to.not.include(TOKEN);
    }
    scope.done();
  });
});
