import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AzureLogger, createClientLogger, getLogLevel, setLogLevel } from '@azure/logger';
import { KeyVaultClient } from '../../lib/index.js';
import { requestLine } from '../../lib/core/logger.js';
import { loadAzureLogger } from '../../lib/telemetry/logger.js';
import { countingCredential } from '../helpers/mock.js';
import { reply, startScripted, type Step } from '../reliability/scripted-server.js';

const withHeader = (name: string, value: string, step: Step): Step => (req, res, origin) => { res.setHeader(name, value); step(req, res, origin); };

describe('a client logs through @azure/logger and the client options', () => {
  const saved = { level: getLogLevel(), log: AzureLogger.log, env: process.env['KEYVAULT_KIT_LOG'] };
  let lines: string[];
  let server: Awaited<ReturnType<typeof startScripted>>;
  beforeEach(async () => {
    await loadAzureLogger();
    lines = [];
    AzureLogger.log = (...args: unknown[]) => { lines.push(args.map(String).join(' ')); };
    delete process.env['KEYVAULT_KIT_LOG'];
    server = await startScripted([reply.challenge(), withHeader('x-extra', 'shown', reply.secret('a')), reply.challenge(), reply.secret('a')]);
  });
  afterEach(async () => {
    setLogLevel(saved.level);
    AzureLogger.log = saved.log;
    if (saved.env === undefined) delete process.env['KEYVAULT_KIT_LOG'];
    else process.env['KEYVAULT_KIT_LOG'] = saved.env;
    await server.stop();
  });
  const client = (options = {}) => new KeyVaultClient(server.url, countingCredential('SECRET-TOKEN').credential, { allowInsecureConnection: true, ...options });

  it('setLogLevel("verbose"): each request with its allow-listed headers (the token REDACTED), and each answer', async () => {
    setLogLevel('verbose');
    await client().secrets.getSecret('a');
    const text = lines.join('\n');
    expect(text).to.contain('azure:keyvault-kit:verbose Request: ').and.contain('"user-agent":"keyvault-kit/').and.contain('"authorization":"REDACTED"');
    expect(text).to.match(/azure:keyvault-kit:info keyvault-kit ← 200 GET http:\/\/127\.0\.0\.1:\d+\/secrets\/a\/\?api-version=2025-07-01/);
    expect(text).to.not.contain('SECRET-TOKEN');
  });

  it('no level, no logger option: nothing logged', async () => {
    setLogLevel(undefined);
    await client().secrets.getSecret('a');
    expect(lines).to.deep.equal([]);
  });

  it('loggingOptions.additionalAllowedHeaderNames shows those request and response headers (others stay REDACTED)', async () => {
    setLogLevel('verbose');
    await client({ headers: { 'x-app': 'mine', 'x-hidden': 'no' }, loggingOptions: { additionalAllowedHeaderNames: ['X-App', 'x-extra'] } }).secrets.getSecret('a');
    const text = lines.join('\n');
    expect(text).to.contain('"x-app":"mine"').and.contain('"x-hidden":"REDACTED"').and.contain('x-extra=shown');
  });

  it('loggingOptions.additionalAllowedQueryParameters shows those query values', () => {
    const url = 'https://v.vault.azure.net/secrets?api-version=7.6&shown=1&hidden=2';
    expect(requestLine('GET', url, 'id', 0, false, { query: ['shown'] })).to.contain('shown=1').and.contain('hidden=REDACTED');
  });

  it('loggingOptions.logger (a Debugger) receives the lines when enabled; our logger option wins over it', async () => {
    setLogLevel(undefined);
    const debug = createClientLogger('port-app').info;
    const got: string[] = [];
    debug.enabled = true;
    debug.log = (...args: unknown[]) => { got.push(args.map(String).join(' ')); };
    await client({ loggingOptions: { logger: debug } }).secrets.getSecret('a');
    expect(got.join('\n')).to.contain('keyvault-kit → GET').and.contain('keyvault-kit ← 200 GET');
    const mine: string[] = [];
    got.length = 0;
    await client({ logger: { info: (m: string) => mine.push(m), warn: (m: string) => mine.push(m) }, loggingOptions: { logger: debug } }).secrets.getSecret('a');
    expect(mine.length).to.be.greaterThan(0);
    expect(got).to.deep.equal([]);
  });

  it('AZURE_LOG_LEVEL=verbose in the environment logs requests to stderr, as with Microsoft\'s packages', function () {
    this.timeout(60_000);
    const script = `
      import { KeyVaultClient } from './lib/index.ts';
      import { reply, startScripted } from './spec/reliability/scripted-server.ts';
      const server = await startScripted([reply.challenge(), reply.secret('a')]);
      const client = new KeyVaultClient(server.url, { getToken: async () => ({ token: 'T0KEN', expiresOnTimestamp: Date.now() + 3600e3 }) }, { allowInsecureConnection: true });
      await client.secrets.getSecret('a');
      await server.stop();
    `;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root, env: { ...process.env, AZURE_LOG_LEVEL: 'verbose', KEYVAULT_KIT_LOG: '' }, encoding: 'utf8',
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.contain('azure:keyvault-kit:verbose Request: ').and.contain('"authorization":"REDACTED"').and.contain('keyvault-kit ← 200 GET');
    expect(run.stderr).to.not.contain('T0KEN');
  });
});
