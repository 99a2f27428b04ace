import { expect } from 'chai';
import { CertificateClient, CryptographyClient, KeyClient, KeyVaultClient, SecretClient, ValidationError, AuthenticationError, RestError, type TokenCredential } from '../../lib/index.js';
import { reply, startScripted, type Step } from '../reliability/scripted-server.js';

/**
 * Where the bearer token may go: only over TLS (or to a loopback host when asked), only to a vault whose
 * challenge names it, only to the vault's own origin, never across a redirect. Every "elsewhere" is a real
 * loopback server on another port that must see nothing (or, behind a following fetch, no Authorization).
 */
const TOKEN = 'T0KEN-never-elsewhere';

function watchedCredential() {
  const calls: unknown[] = [];
  const credential: TokenCredential = {
    async getToken(scopes) {
      calls.push(scopes);
      return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return { credential, calls };
}

const rejection = (fn: () => unknown): unknown => {
  try {
    const result = fn();
    return result instanceof Promise ? result.then(() => undefined, (e: unknown) => e) : undefined;
  } catch (error) {
    return error;
  }
};

type Servers = Awaited<ReturnType<typeof startScripted>>[];
const stopAll = (servers: Servers) => Promise.all(servers.map((s) => s.stop()));

describe('the token is never sent', () => {
  describe('over http to a host that is not loopback', () => {
    const refused = [
      'http://myvault.vault.azure.net',
      'http://10.0.0.1',
      'http://192.168.1.10:8443',
      'http://localhost.attacker.example',
      'http://127.0.0.1.nip.io',
      'http://[::ffff:a00:1]',
    ];
    for (const url of refused) {
      it(`refuses ${url}, even with allowInsecureConnection, in every client's constructor`, () => {
        const { credential, calls } = watchedCredential();
        const options = { allowInsecureConnection: true };
        const makers = [
          () => new KeyVaultClient(url, credential, options),
          () => new SecretClient(url, credential, options),
          () => new KeyClient(url, credential, options),
          () => new CertificateClient(url, credential, options),
          () => new CryptographyClient(`${url}/keys/k`, credential, options),
        ];
        for (const make of makers) {
          const error = rejection(make);
          expect(error, url).to.be.instanceOf(ValidationError);
          expect((error as ValidationError).code).to.equal('InsecureVaultUrl');
        }
        expect(calls).to.deep.equal([]);
      });
    }

    it('refuses http to loopback too unless allowInsecureConnection is given', () => {
      const error = rejection(() => new KeyVaultClient('http://127.0.0.1:8443', watchedCredential().credential));
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).code).to.equal('InsecureVaultUrl');
    });
  });

  it('to a vault whose challenge names another resource (no getToken at all)', async () => {
    const server = await startScripted([reply.challenge('https://vault.azure.net')]);
    try {
      const { credential, calls } = watchedCredential();
      const kv = new KeyVaultClient(server.url, credential, { allowInsecureConnection: true });
      const error = await kv.secrets.getSecret('a').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AuthenticationError).and.to.have.property('name', 'RestError');
      expect(error).to.have.property('code', 'ChallengeResourceMismatch');
      expect(calls).to.deep.equal([]);
      expect(server.seen.map((r) => r.authorization)).to.deep.equal([undefined]);
    } finally {
      await server.stop();
    }
  });

  it('to a vault that answers a token request with a 401 naming another resource (no second getToken)', async () => {
    const server = await startScripted([reply.challenge(), reply.secret('a'), reply.challenge('https://attacker.example'), reply.secret('b')]);
    try {
      const { credential, calls } = watchedCredential();
      const kv = new KeyVaultClient(server.url, credential, { allowInsecureConnection: true });
      await kv.secrets.getSecret('a');
      const error = await kv.secrets.getSecret('b').catch((e: unknown) => e);
      expect(error).to.have.property('code', 'ChallengeResourceMismatch');
      expect(calls).to.have.length(1);
      expect(server.seen).to.have.length(3);
    } finally {
      await server.stop();
    }
  });

  describe('to a host other than the vault', () => {
    let vault: Awaited<ReturnType<typeof startScripted>>;
    let elsewhere: Awaited<ReturnType<typeof startScripted>>;
    let kv: KeyVaultClient;
    const foreignSteps: Step[] = [reply.secret('x')];
    beforeEach(async () => {
      elsewhere = await startScripted(foreignSteps);
      const page: Step = (_req, res, origin) => {
        const body = JSON.stringify({ value: [{ id: `${origin}/secrets/a`, attributes: { enabled: true } }], nextLink: `${elsewhere.url}/secrets?api-version=7.6&$skiptoken=x` });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };
      vault = await startScripted([reply.challenge(), page]);
      kv = new KeyVaultClient(vault.url, watchedCredential().credential, { allowInsecureConnection: true });
    });
    afterEach(() => stopAll([vault, elsewhere]));

    it('a nextLink to another origin (here: another port of the same host) is refused with ForeignHost', async () => {
      const names: string[] = [];
      const error = await (async () => {
        for await (const p of kv.secrets.listPropertiesOfSecrets()) names.push(p.name);
      })().catch((e: unknown) => e);
      expect(names).to.deep.equal(['a']);
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).code).to.equal('ForeignHost');
      expect((error as ValidationError).message).to.contain(elsewhere.url);
      expect(elsewhere.seen).to.deep.equal([]);
    });

    it('ids and kids of another origin are refused before anything is sent', async () => {
      const foreign = elsewhere.url;
      const attempts: [string, () => unknown][] = [
        ['getSecret(id)', () => kv.secrets.getSecret(`${foreign}/secrets/s/0123456789abcdef0123456789abcdef`)],
        ['getKey(id)', () => kv.keys.getKey(`${foreign}/keys/k`)],
        ['getCryptographyClient(kid)', () => kv.keys.getCryptographyClient(`${foreign}/keys/k/0123456789abcdef0123456789abcdef`)],
        ['getCryptographyClient(key)', () => kv.keys.getCryptographyClient({ name: 'k', id: `${foreign}/keys/k/v1`, properties: { name: 'k', id: `${foreign}/keys/k/v1`, vaultUrl: foreign, version: 'v1' } })],
        ['https twin of the vault', () => kv.keys.getCryptographyClient(`${vault.url.replace('http:', 'https:')}/keys/k`)],
      ];
      for (const [what, attempt] of attempts) {
        const error = await rejection(attempt);
        expect(error, what).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).code, what).to.equal('ForeignHost');
      }
      expect(elsewhere.seen).to.deep.equal([]);
      expect(vault.seen).to.deep.equal([]);
    });

    it("a key whose kid names another host is used only on the vault's own origin", async () => {
      const kid = `${elsewhere.url}/keys/k/0123456789abcdef0123456789abcdef`;
      await vault.stop();
      const keyStep: Step = (_req, res) => {
        const body = JSON.stringify({ key: { kid, kty: 'RSA', key_ops: ['encrypt'], n: 'sXch', e: 'AQAB' }, attributes: { enabled: true } });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };
      vault = await startScripted([reply.challenge(), keyStep]);
      kv = new KeyVaultClient(vault.url, watchedCredential().credential, { allowInsecureConnection: true });
      const key = await kv.keys.getKey('k').catch((e: unknown) => e);
      if (key instanceof Error) {
        // Refusing a foreign kid outright is as good.
        expect(key).to.have.property('code', 'ForeignHost');
      } else {
        const error = await rejection(() => kv.keys.getCryptographyClient(key as never));
        if (!(error instanceof ValidationError)) {
          const crypto = kv.keys.getCryptographyClient('k');
          await crypto.encrypt({ algorithm: 'RSA-OAEP', plaintext: new Uint8Array([1, 2, 3]) }).catch(() => undefined);
        }
      }
      expect(elsewhere.seen).to.deep.equal([]);
    });
  });

  describe('after a redirect to another host', () => {
    const redirectTo = (target: () => string): Step => (req, res) => {
      res.writeHead(307, { location: `${target()}${req.url}`, 'content-length': 0 });
      res.end();
    };

    it('the default transport does not follow 3xx: the call fails with a typed error and the other host sees nothing', async () => {
      const elsewhere = await startScripted([reply.secret('a')]);
      const vault = await startScripted([reply.challenge(), redirectTo(() => elsewhere.url)]);
      try {
        const kv = new KeyVaultClient(vault.url, watchedCredential().credential, { allowInsecureConnection: true });
        const error = await kv.secrets.getSecret('a').catch((e: unknown) => e);
        expect(error).to.be.instanceOf(RestError).and.to.have.property('name', 'RestError');
        expect(error).to.have.property('statusCode', 307);
        expect(elsewhere.seen).to.deep.equal([]);
        expect(vault.seen.map((r) => r.authorization)).to.deep.equal([undefined, `Bearer ${TOKEN}`]);
      } finally {
        await stopAll([vault, elsewhere]);
      }
    });

    it('a redirected challenge is not followed either', async () => {
      const elsewhere = await startScripted([reply.challenge()]);
      const vault = await startScripted([redirectTo(() => elsewhere.url)]);
      try {
        const { credential, calls } = watchedCredential();
        const kv = new KeyVaultClient(vault.url, credential, { allowInsecureConnection: true });
        const error = await kv.secrets.getSecret('a').catch((e: unknown) => e);
        expect(error).to.be.instanceOf(AuthenticationError).and.to.have.property('name', 'RestError');
        expect(calls).to.deep.equal([]);
        expect(elsewhere.seen).to.deep.equal([]);
      } finally {
        await stopAll([vault, elsewhere]);
      }
    });

    it('with the global fetch injected, the redirect is not followed either (requests ask for redirect: manual)', async () => {
      const elsewhere = await startScripted([reply.secret('a')]);
      const vault = await startScripted([reply.challenge(), redirectTo(() => elsewhere.url)]);
      try {
        const kv = new KeyVaultClient(vault.url, watchedCredential().credential, { allowInsecureConnection: true, fetch: globalThis.fetch, retry: { limit: 0 } });
        const error = await kv.secrets.getSecret('a').catch((e: unknown) => e);
        expect(error).to.have.property('statusCode', 307);
        expect(vault.seen.map((r) => r.authorization)).to.deep.equal([undefined, `Bearer ${TOKEN}`]);
        // (Even when followed, WHATWG fetch drops Authorization across origins; here nothing crosses at all.)
        expect(elsewhere.seen).to.deep.equal([]);
      } finally {
        await stopAll([vault, elsewhere]);
      }
    });
  });
});
