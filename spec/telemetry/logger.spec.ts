import { expect } from 'chai';
import { AzureLogger, getLogLevel, setLogLevel } from '@azure/logger';
import { logger } from '../../lib/index.js';
import { loadAzureLogger, requestDetail, resolveLogger } from '../../lib/telemetry/logger.js';

describe('logging by @azure/logger conventions', () => {
  const saved = { level: getLogLevel(), log: AzureLogger.log, env: process.env['KEYVAULT_KIT_LOG'] };
  let lines: string[];
  beforeEach(async () => {
    await loadAzureLogger();
    lines = [];
    AzureLogger.log = (...args: unknown[]) => { lines.push(args.map(String).join(' ')); };
    delete process.env['KEYVAULT_KIT_LOG'];
  });
  afterEach(() => {
    setLogLevel(saved.level);
    AzureLogger.log = saved.log;
    if (saved.env === undefined) delete process.env['KEYVAULT_KIT_LOG'];
    else process.env['KEYVAULT_KIT_LOG'] = saved.env;
  });

  it('no level, no option, no KEYVAULT_KIT_LOG: no logger, so the transport formats nothing', () => {
    setLogLevel(undefined);
    expect(resolveLogger()).to.equal(undefined);
  });

  it('setLogLevel("info") routes request lines to azure:keyvault-kit:info, without verbose details', () => {
    setLogLevel('info');
    const log = resolveLogger()!;
    expect(log.verbose).to.equal(undefined);
    log.info('keyvault-kit → GET https://v.vault.azure.net/secrets/a');
    expect(lines.join('\n')).to.contain('azure:keyvault-kit:info').and.contain('GET https://v.vault.azure.net/secrets/a');
    expect(resolveLogger()).to.equal(log); // one object: nothing allocated per request
  });

  it('setLogLevel("verbose") adds request details with allow-listed headers only', () => {
    setLogLevel('verbose');
    const log = resolveLogger()!;
    log.verbose!(requestDetail('PUT', 'https://v.vault.azure.net/secrets/a?api-version=7.6&x=secret', new Headers({ authorization: 'Bearer TOKEN', 'x-ms-client-request-id': 'cid', 'content-type': 'application/json' })));
    const text = lines.join('\n');
    expect(text).to.contain('azure:keyvault-kit:verbose').and.contain('"x-ms-client-request-id":"cid"').and.contain('"authorization":"REDACTED"');
    expect(text).to.not.contain('TOKEN');
    expect(text).to.not.contain('x=secret');
  });

  it('setLogLevel("warning") keeps retry warnings and drops info lines', () => {
    setLogLevel('warning');
    const log = resolveLogger()!;
    log.info('an info line');
    log.warn('a retry');
    expect(lines.join('\n')).to.contain('azure:keyvault-kit:warning').and.contain('a retry').and.not.contain('an info line');
  });

  it('the client option, then KEYVAULT_KIT_LOG, come before @azure/logger', () => {
    setLogLevel('info');
    const mine = { info: () => undefined, warn: () => undefined };
    expect(resolveLogger(mine)).to.equal(mine);
    process.env['KEYVAULT_KIT_LOG'] = '1';
    const env = resolveLogger();
    expect(env).to.not.equal(undefined);
    expect(env!.verbose).to.equal(undefined);
    expect(env).to.equal(resolveLogger());
  });

  it('the logger export is an AzureLogger under azure:keyvault-kit, following setLogLevel', () => {
    setLogLevel('info');
    expect(logger.info.namespace).to.equal('azure:keyvault-kit:info');
    expect(logger.info.enabled).to.equal(true);
    expect(logger.verbose.enabled).to.equal(false);
    logger.info('hello from the app');
    expect(lines.join('\n')).to.contain('hello from the app');
  });

  it('importing keyvault-kit does not load @azure/logger (it costs 15–45 ms)', async () => {
    const { execFileSync } = await import('node:child_process');
    // A resolve hook sees every module the import asks for, ES or CommonJS.
    const script = "import { registerHooks } from 'node:module'; const seen = []; registerHooks({ resolve: (s, c, next) => { seen.push(s); return next(s, c); } });"
      + " await import('./lib/index.ts'); console.log(JSON.stringify({ loaded: seen.some((s) => s.includes('@azure/logger')), modules: seen.length > 20 }));";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).to.deep.equal({ loaded: false, modules: true });
  });
});
