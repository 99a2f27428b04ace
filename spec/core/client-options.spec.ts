import { expect } from 'chai';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { CertificateClient, CryptographyClient, KeyClient, KeyVaultClient, SecretClient, ServiceError, type KeyVaultClientOptions } from '../../lib/index.js';
import { CLIENT_OPTION_NAMES } from '../../lib/core/options.js';
import { createContext } from '../../lib/core/context.js';
import { countingCredential } from '../helpers/mock.js';
import { reply, startScripted, type Step } from '../reliability/scripted-server.js';

/** A client of a scripted loopback server, with fast retries unless the test says otherwise. */
async function scripted(steps: Step[], options: KeyVaultClientOptions = {}) {
  const server = await startScripted(steps);
  const client = new KeyVaultClient(server.url, countingCredential('tok').credential, { allowInsecureConnection: true, ...options });
  return { server, client };
}

describe('Microsoft\'s client options, on the wire', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => { await stop?.(); stop = undefined; });
  const run = async (steps: Step[], options: KeyVaultClientOptions) => {
    const made = await scripted(steps, options);
    stop = made.server.stop;
    return made;
  };

  it('serviceVersion is the api-version sent, for every version Microsoft accepts', async () => {
    for (const version of ['7.0', '7.3', '2025-07-01'] as const) {
      const { server, client } = await run([reply.challenge(), reply.secret('a')], { serviceVersion: version });
      await client.secrets.getSecret('a');
      expect(server.seen.map((r) => new URL(r.url, 'http://x').searchParams.get('api-version'))).to.deep.equal([version, version]);
      await stop!();
    }
  });

  it('serviceVersion and apiVersion: the same is fine, different is a ValidationError', () => {
    const credential = countingCredential().credential;
    expect(new KeyVaultClient('https://v.vault.azure.net', credential, { apiVersion: '7.5', serviceVersion: '7.5' })).to.be.ok;
    expect(() => new KeyVaultClient('https://v.vault.azure.net', credential, { apiVersion: '7.5', serviceVersion: '7.4' }))
      .to.throw(/apiVersion and serviceVersion/).with.property('name', 'ValidationError');
  });

  it('retryOptions.maxRetries bounds the attempts (mapped onto retry.limit)', async () => {
    const { server, client } = await run([reply.challenge(), reply.status(503, { error: { code: 'Busy', message: 'busy' } })], {
      retryOptions: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
    const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ServiceError).with.property('statusCode', 503);
    // The challenge, then the first attempt and its 2 retries.
    expect(server.seen.filter((r) => r.authorization).length).to.equal(3);
  });

  it('retry and retryOptions together are refused (one setting, two names)', () => {
    expect(() => new KeyVaultClient('https://v.vault.azure.net', countingCredential().credential, { retry: { limit: 1 }, retryOptions: { maxRetries: 1 } }))
      .to.throw(/retry and retryOptions/).with.property('code', 'InvalidOption');
  });

  it('userAgentOptions.userAgentPrefix leads the User-Agent', async () => {
    const { server, client } = await run([reply.challenge(), reply.secret('a')], { userAgentOptions: { userAgentPrefix: 'port-app/2.0' } });
    await client.secrets.getSecret('a');
    expect(server.seen[1]!.headers['user-agent']).to.match(/^port-app\/2\.0 keyvault-kit\//);
  });

  it('keepAliveOptions.enable false closes each connection (connection: close); by default connections are kept', async () => {
    const closing = await run([reply.challenge(), reply.secret('a')], { keepAliveOptions: { enable: false } });
    await closing.client.secrets.getSecret('a');
    expect(closing.server.seen.map((r) => r.headers.connection)).to.deep.equal(['close', 'close']);
    await stop!();
    const keeping = await run([reply.challenge(), reply.secret('a')], { keepAliveOptions: { enable: true } });
    await keeping.client.secrets.getSecret('a');
    expect(keeping.server.seen.map((r) => r.headers.connection)).to.deep.equal(['keep-alive', 'keep-alive']);
  });

  it('redirectOptions is accepted, and a 3xx is still an answer, never followed', async () => {
    const moved: Step = (_req, res, origin) => { res.writeHead(302, { location: `${origin}/secrets/b/` }); res.end(); };
    const { server, client } = await run([reply.challenge(), moved, reply.secret('b')], { redirectOptions: { handleRedirects: true, maxRetries: 5 } });
    const error = await client.secrets.getSecret('a').catch((e: unknown) => e);
    expect(error).to.have.property('statusCode', 302);
    expect(server.seen.map((r) => r.url.split('?')[0])).to.deep.equal(['/secrets/a/', '/secrets/a/']);
  });

  it('telemetryOptions.clientRequestIdHeaderName names the header of the request id (and it is kept in the context)', async () => {
    const { server, client } = await run([reply.challenge(), reply.secret('a')], { telemetryOptions: { clientRequestIdHeaderName: 'x-my-request-id' } });
    await client.secrets.getSecret('a');
    for (const seen of server.seen) {
      expect(seen.headers['x-my-request-id']).to.match(/^[0-9a-f-]{36}$/);
      expect(seen.headers).not.to.have.property('x-ms-client-request-id');
    }
  });

  it('telemetryOptions is kept in the client context as `telemetry` (for tracing); absent, nothing is added', () => {
    const telemetryOptions = { clientRequestIdHeaderName: 'x-id' };
    expect(createContext('https://v.vault.azure.net', countingCredential().credential, { telemetryOptions }).telemetry).to.equal(telemetryOptions);
    expect(createContext('https://v.vault.azure.net', countingCredential().credential, {})).not.to.have.property('telemetry');
  });

  it('additionalPolicies: perCall runs once per call and its header reaches every attempt; perRetry runs per request and sees each answer', async () => {
    const calls: string[] = [];
    const perCall: PipelinePolicy = {
      name: 'perCall',
      async sendRequest(request, next) {
        calls.push(`call ${request.method} ${new URL(request.url).pathname} ours=${/^keyvault-kit\//.test(String(request.headers.get('user-agent')))}`);
        request.headers.set('x-app', 'port');
        const response = await next(request);
        calls.push(`call answered ${response.status} ${JSON.parse(response.bodyAsText!).value}`);
        return response;
      },
    };
    const perRetry: PipelinePolicy = {
      name: 'perRetry',
      async sendRequest(request, next) {
        request.headers.set('x-attempt', String(calls.filter((c) => c.startsWith('attempt')).length));
        const response = await next(request);
        calls.push(`attempt ${response.status} auth=${request.headers.has('authorization')}`);
        return response;
      },
    };
    const { server, client } = await run([reply.challenge(), reply.status(503, {}, { 'retry-after': '0' }), reply.secret('a', 'policy')], {
      retry: { backoffMs: 1 },
      additionalPolicies: [{ policy: perCall, position: 'perCall' }, { policy: perRetry, position: 'perRetry' }],
    });
    expect((await client.secrets.getSecret('a')).value).to.equal('policy');
    expect(calls).to.deep.equal([
      'call GET /secrets/a/ ours=true',
      'attempt 401 auth=false', 'attempt 503 auth=true', 'attempt 200 auth=true',
      'call answered 200 policy',
    ]);
    expect(server.seen.map((r) => [r.headers['x-app'], r.headers['x-attempt']])).to.deep.equal([['port', '0'], ['port', '1'], ['port', '2']]);
  });

  it('a perRetry policy may answer without sending (its response is the answer)', async () => {
    const canned: PipelinePolicy = {
      name: 'canned',
      sendRequest: async (request, next) => (request.headers.has('authorization')
        ? { request, status: 200, headers: request.headers, bodyAsText: JSON.stringify({ value: 'canned', id: `${new URL(request.url).origin}/secrets/a/0123456789abcdef0123456789abcdef` }) }
        : next(request)),
    };
    const { server, client } = await run([reply.challenge()], { additionalPolicies: [{ policy: canned, position: 'perRetry' }] });
    expect((await client.secrets.getSecret('a')).value).to.equal('canned');
    expect(server.seen).to.have.length(1);
  });
});

describe('client option names', () => {
  const credential = countingCredential().credential;

  it('an unknown option is a ValidationError that names it and lists the supported ones', () => {
    const make = () => new KeyVaultClient('https://v.vault.azure.net', credential, { serviceVerison: '7.5' } as never);
    expect(make).to.throw(/Unknown client option "serviceVerison"; the supported ones are: apiVersion, serviceVersion, .*additionalPolicies/)
      .with.property('name', 'ValidationError');
  });

  it('every standalone client checks its options the same way (and sends its serviceVersion)', async () => {
    const url = 'https://v.vault.azure.net';
    const makers = [
      (o: object) => new SecretClient(url, credential, o), (o: object) => new KeyClient(url, credential, o),
      (o: object) => new CertificateClient(url, credential, o), (o: object) => new CryptographyClient(`${url}/keys/k/0123456789abcdef0123456789abcdef`, credential, o),
    ];
    for (const make of makers) expect(() => make({ retryOptoins: {} }), make.toString()).to.throw(/Unknown client option "retryOptoins"/);
    const server = await startScripted([reply.challenge(), reply.secret('a')]);
    try {
      await new SecretClient(server.url, credential, { allowInsecureConnection: true, serviceVersion: '7.2' }).getSecret('a');
      expect(server.seen[1]!.url).to.contain('api-version=7.2');
    } finally {
      await server.stop();
    }
  });

  it('every option name of Microsoft\'s SecretClient, KeyClient and CertificateClient is accepted', () => {
    const policy: PipelinePolicy = { name: 'p', sendRequest: (request, next) => next(request) };
    const microsoft: Record<string, unknown> = {
      serviceVersion: '7.6', retryOptions: { maxRetries: 1 }, userAgentOptions: { userAgentPrefix: 'x' }, proxyOptions: { host: 'http://127.0.0.1', port: 3128 },
      agent: { options: {}, keepAlive: true }, tlsOptions: {}, redirectOptions: { handleRedirects: false }, telemetryOptions: {}, httpClient: { sendRequest: () => Promise.reject(new Error('unused')) },
      allowInsecureConnection: false, additionalPolicies: [{ policy, position: 'perRetry' }], keepAliveOptions: { enable: true }, disableChallengeResourceVerification: false,
      loggingOptions: { additionalAllowedHeaderNames: ['x'] },
    };
    for (const [name, value] of Object.entries(microsoft)) {
      expect(CLIENT_OPTION_NAMES).to.include(name);
      expect(new KeyVaultClient('https://v.vault.azure.net', credential, { [name]: value }), name).to.be.ok;
    }
    expect(new KeyVaultClient('https://v.vault.azure.net', credential, microsoft as KeyVaultClientOptions)).to.be.ok;
  });

  it('malformed Microsoft options are refused at construction', () => {
    for (const options of [{ additionalPolicies: [{ policy: {}, position: 'perCall' }] }, { additionalPolicies: [{ policy: { sendRequest() {} }, position: 'always' }] }, { httpClient: {} }, { proxyOptions: { host: 'proxy', port: 1 } },
      { fetch, httpClient: { sendRequest() {} } }, { fetch, proxyOptions: { host: 'http://proxy', port: 1 } }, { fetch, tlsOptions: {} }, { fetch, keepAliveOptions: { enable: false } }]) {
      expect(() => new KeyVaultClient('https://v.vault.azure.net', credential, options as never), JSON.stringify(options)).to.throw().with.property('code', 'InvalidOption');
    }
  });
});
