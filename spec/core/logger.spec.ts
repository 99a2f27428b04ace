import { expect } from 'chai';
import { inspect } from 'node:util';
import { KeyVaultError, type Logger } from '../../lib/index.js';
import { loggerFromEnv, redactUrl } from '../../lib/core/logger.js';
import { KeyVaultClient } from '../../lib/index.js';
import { reply, startScripted } from '../reliability/scripted-server.js';
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

  describe('what a newcomer sees with KEYVAULT_KIT_LOG=1', () => {
    const capture = () => {
      const lines: string[] = [];
      return { lines, logger: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) } satisfies Logger };
    };

    it('KEYVAULT_KIT_LOG turns the stderr logger on (0 and off keep it off)', () => {
      expect(loggerFromEnv({ KEYVAULT_KIT_LOG: '1' })).to.have.keys('info', 'warn');
      expect(loggerFromEnv({ KEYVAULT_KIT_LOG: '0' })).to.equal(undefined);
      expect(loggerFromEnv({ KEYVAULT_KIT_LOG: 'off' })).to.equal(undefined);
      expect(loggerFromEnv({})).to.equal(undefined);
    });

    it('logs the challenge, each attempt with its retry number, the retries and their reasons', async () => {
      const server = await startScripted([
        reply.challenge(),
        reply.status(503, { error: { code: 'ServiceUnavailable', message: 'Busy.' } }, { 'retry-after-ms': '1' }),
        reply.secret('a'),
      ]);
      try {
        const { lines, logger } = capture();
        const client = new KeyVaultClient(server.url, countingCredential(TOKEN).credential, { allowInsecureConnection: true, logger });
        await client.secrets.getSecret('a');
        const path = `${server.url}/secrets/a/?api-version=2025-07-01`;
        expect(lines.map((l) => l.replace(/client-request-id=[0-9a-f-]+/, 'client-request-id=ID').replace(/content-length=\d+/, 'content-length=N'))).to.deep.equal([
          `keyvault-kit → GET ${path} client-request-id=ID (challenge: no token, no body)`,
          `keyvault-kit ← 401 GET ${path} content-length=N`,
          `keyvault-kit → GET ${path} client-request-id=ID`,
          `keyvault-kit ← 503 GET ${path} content-length=N`,
          'keyvault-kit ↻ retry 1/3 in 1 ms after ServiceError: Busy. (GET /secrets/a/)',
          `keyvault-kit → GET ${path} client-request-id=ID retry=1`,
          `keyvault-kit ← 200 GET ${path} content-length=N`,
        ]);
        expect(lines.join('\n')).to.not.include(TOKEN);
      } finally {
        await server.stop();
      }
    });

    it('logs an unreachable vault: the attempt and the failure', async () => {
      const { lines, logger } = capture();
      const client = new KeyVaultClient('http://127.0.0.1:1', countingCredential(TOKEN).credential, { allowInsecureConnection: true, retry: { limit: 0 }, logger });
      await client.secrets.getSecret('a').catch(() => undefined);
      expect(lines).to.have.length(2);
      expect(lines[0]).to.match(/^keyvault-kit → GET http:\/\/127\.0\.0\.1:1\/secrets\/a\/\?api-version=2025-07-01 client-request-id=[0-9a-f-]+ \(challenge/);
      expect(lines[1]).to.equal('keyvault-kit ✗ GET http://127.0.0.1:1/secrets/a/?api-version=2025-07-01 NetworkError (NetworkError): The vault could not be reached (GET /secrets/a/): ECONNREFUSED.');
    });
  });
});
