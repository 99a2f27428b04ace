import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { fileURLToPath } from 'node:url';
import { inspect, promisify } from 'node:util';
import { expect } from 'chai';
import { EMULATOR_TENANT_ID, startVault } from '../../lib/emulator/index.js';
import { EMULATOR_CLIENT_ID, EMULATOR_OBJECT_ID, IDENTITY_FILE, loadOrCreateIdentityState } from '../../lib/emulator/identity.js';
import { useVault } from '../helpers/vault.js';
import { call } from './http.js';

const run = promisify(execFile);
const APP = fileURLToPath(new URL('../fixtures/managed-identity-app.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../lib/emulator/cli.ts', import.meta.url));

/** SHA-1 thumbprint of a PEM certificate, hex without colons, as IDENTITY_SERVER_THUMBPRINT holds it. */
const thumbprintOf = (pem: string): string => new X509Certificate(pem).fingerprint.replaceAll(':', '');

/** Decodes a JWT's claims. */
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

/**
 * The child's whole environment: nothing inherited, so that no Azure login, AZURE_* variable or proxy of the
 * machine running the tests can lend the app a credential.
 */
const isolated = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', ...extra });

describe('emulator: managed identity', () => {
  describe('token endpoints', () => {
    const vault = useVault();

    it('answers App Service 2019-08-01 with a signed JWT for the resource asked', async () => {
      const { IDENTITY_ENDPOINT, IDENTITY_HEADER } = vault().env;
      const url = `${IDENTITY_ENDPOINT}?resource=${encodeURIComponent(vault().url)}&api-version=2019-08-01`;
      const r = await call(vault(), 'GET', url.slice(vault().url.length), { headers: { 'x-identity-header': IDENTITY_HEADER }, token: null, apiVersion: null });
      expect(r.status).to.equal(200);
      expect(r.json).to.include({ resource: vault().url, token_type: 'Bearer', client_id: EMULATOR_CLIENT_ID });
      expect(r.json.expires_on).to.match(/^\d+$/);
      const [header] = (r.json.access_token as string).split('.');
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString('utf8'))).to.include({ alg: 'RS256', typ: 'JWT' });
      const claims = claimsOf(r.json.access_token);
      expect(claims).to.include({ aud: vault().url, iss: `https://sts.windows.net/${EMULATOR_TENANT_ID}/`, tid: EMULATOR_TENANT_ID, oid: EMULATOR_OBJECT_ID });
      expect(claims.exp).to.equal(Number(r.json.expires_on));
      expect(claims.nbf).to.equal(claims.iat);
    });

    it('keeps the identity header out of inspect and JSON output of the vault', () => {
      const { IDENTITY_HEADER } = vault().env;
      expect(IDENTITY_HEADER).to.have.length.greaterThan(20);
      expect(inspect(vault(), { depth: 5 })).to.not.include(IDENTITY_HEADER);
      expect(JSON.stringify(vault())).to.not.include(IDENTITY_HEADER);
      expect({ ...vault().env }).to.have.keys('IDENTITY_ENDPOINT', 'IDENTITY_HEADER');
    });

    it('refuses a caller without the identity header', async () => {
      const r = await call(vault(), 'GET', `/msi/token?resource=https%3A%2F%2Fvault.azure.net&api-version=2019-08-01`, { headers: { 'x-identity-header': 'guess' }, token: null, apiVersion: null });
      expect(r.status).to.equal(401);
    });

    it('answers IMDS (GET) and Cloud Shell (POST form) shapes with Metadata: true only', async () => {
      const imds = await call(vault(), 'GET', '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net', { headers: { metadata: 'true' }, token: null, apiVersion: null });
      expect(imds.status).to.equal(200);
      expect(claimsOf(imds.json.access_token).aud).to.equal('https://vault.azure.net');
      expect(Number(imds.json.expires_in)).to.equal(Number(imds.json.expires_on) - Number(imds.json.not_before));
      const shell = await call(vault(), 'POST', '/metadata/identity/oauth2/token', {
        headers: { metadata: 'true', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'resource=https%3A%2F%2Fmanagement.azure.com%2F',
        token: null,
        apiVersion: null,
      });
      expect(shell.status).to.equal(200);
      expect(claimsOf(shell.json.access_token).aud).to.equal('https://management.azure.com/');
      const bare = await call(vault(), 'GET', '/metadata/identity/oauth2/token?resource=x', { token: null, apiVersion: null });
      expect(bare.status).to.equal(400);
    });
  });

  describe('an app with new DefaultAzureCredential() and only environment variables', () => {
    const vault = useVault({ auth: 'strict' });

    it('reads and writes secrets, keys and certificates through keyvault-kit and @azure/keyvault-secrets', async () => {
      const env = isolated({ ...vault().env, VAULT_URL: vault().url, NODE_EXTRA_CA_CERTS: vault().caFile });
      const { stdout } = await run(process.execPath, ['--import', 'tsx', APP], { env, timeout: 120_000 });
      const out = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(out).to.deep.include({
        kitSecret: 'from keyvault-kit',
        keyVerifies: true,
        subject: 'CN=managed-identity',
        azureSecret: 'from @azure/keyvault-secrets',
        kitSecretSeenByAzure: 'from keyvault-kit',
      });
      // The token came from the vault's endpoint: its claims, not a stub's.
      expect(out.claims).to.include({ aud: vault().url, tid: EMULATOR_TENANT_ID, oid: EMULATOR_OBJECT_ID });
    });
  });

  describe('the other managed-identity sources DefaultAzureCredential reads from the environment', () => {
    const vault = useVault({ auth: 'strict' });
    const app = `import { DefaultAzureCredential } from '@azure/identity';
      import { SecretClient } from '@azure/keyvault-secrets';
      const client = new SecretClient(process.env.VAULT_URL, new DefaultAzureCredential(), { disableChallengeResourceVerification: true });
      await client.setSecret('source', process.env.SOURCE);
      console.log((await client.getSecret('source')).value);`;
    const sources = (): Record<string, Record<string, string>> => ({
      'Azure Machine Learning (MSI_ENDPOINT + MSI_SECRET)': { MSI_ENDPOINT: vault().env.IDENTITY_ENDPOINT, MSI_SECRET: vault().env.IDENTITY_HEADER },
      'Cloud Shell (MSI_ENDPOINT)': { MSI_ENDPOINT: `${vault().url}/metadata/identity/oauth2/token` },
      'IMDS through AZURE_POD_IDENTITY_AUTHORITY_HOST': { AZURE_POD_IDENTITY_AUTHORITY_HOST: vault().url },
      // Service Fabric: the App Service variables plus the thumbprint of the server's certificate.
      'Service Fabric (+ IDENTITY_SERVER_THUMBPRINT)': { ...vault().env, IDENTITY_SERVER_THUMBPRINT: thumbprintOf(vault().ca) },
    });

    it('gets tokens from the vault with each of Azure ML, Cloud Shell, pod-identity IMDS and Service Fabric', async () => {
      for (const [source, extra] of Object.entries(sources())) {
        const env = isolated({ ...extra, SOURCE: source, VAULT_URL: vault().url, NODE_EXTRA_CA_CERTS: vault().caFile });
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', app], { env, cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 120_000 });
        expect(stdout.trim(), source).to.equal(source);
      }
    });
  });

  describe('strict auth', () => {
    const vault = useVault({ auth: 'strict' });
    const challengeOf = (h: string | string[] | undefined): string => String(h ?? '');

    it('accepts a token the vault issued', async () => {
      await call(vault(), 'PUT', '/secrets/strict', { body: { value: 'v' }, token: vault().issueToken() });
      const r = await call(vault(), 'GET', '/secrets/strict', { token: vault().issueToken({ resource: 'https://vault.azure.net' }) });
      expect(r.status).to.equal(200);
      expect(r.json.value).to.equal('v');
    });

    it('refuses a forged token with 401 and the challenge', async () => {
      const real = vault().issueToken().split('.');
      const forgedClaims = Buffer.from(JSON.stringify({ ...claimsOf(real.join('.')), oid: 'someone-else' })).toString('base64url');
      for (const token of [`${real[0]}.${forgedClaims}.${real[2]}`, 'not-a-jwt', `${real[0]}.${real[1]}.${Buffer.from('x').toString('base64url')}`]) {
        const r = await call(vault(), 'GET', '/secrets/strict', { token });
        expect(r.status).to.equal(401);
        expect(r.json.error.code).to.equal('Unauthorized');
        expect(challengeOf(r.headers['www-authenticate'])).to.equal(
          `Bearer authorization="https://login.microsoftonline.com/${EMULATOR_TENANT_ID}", resource="${vault().url}"`,
        );
      }
    });

    it('refuses an expired token and one for another audience', async () => {
      const expired = await call(vault(), 'GET', '/secrets/strict', { token: vault().issueToken({ lifetimeSeconds: -60 }) });
      expect(expired.status).to.equal(401);
      expect(expired.json.error.message).to.match(/expired/);
      const other = await call(vault(), 'GET', '/secrets/strict', { token: vault().issueToken({ resource: 'https://management.azure.com' }) });
      expect(other.status).to.equal(401);
      expect(other.json.error.message).to.match(/^AKV10022: Invalid audience/);
    });

    it('expires its tokens on the vault clock: a day later the same token gets 401, a new one works', async () => {
      const token = vault().issueToken();
      expect((await call(vault(), 'GET', '/secrets', { token })).status).to.equal(200);
      vault().clock.advance('P1DT1M');
      await vault().settled();
      const late = await call(vault(), 'GET', '/secrets', { token });
      expect(late.status).to.equal(401);
      expect(late.json.error.message).to.match(/expired/);
      expect((await call(vault(), 'GET', '/secrets', { token: vault().issueToken() })).status).to.equal(200);
    });
  });

  describe('restart on the same data', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kvkit-identity-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps the signing key and IDENTITY_HEADER: a token issued before the restart still works, env unchanged', async () => {
      const dataFile = join(dir, 'vault.db');
      const first = await startVault({ dataFile, auth: 'strict' });
      const port = Number(new URL(first.url).port);
      const env = { ...first.env };
      // A token as a client caches it: fetched from the App Service endpoint with the printed header.
      const fetched = await call(first, 'GET', `/msi/token?resource=${encodeURIComponent(first.url)}&api-version=2019-08-01`, { headers: { 'x-identity-header': env.IDENTITY_HEADER }, token: null, apiVersion: null });
      const cached = fetched.json.access_token as string;
      expect((await call(first, 'PUT', '/secrets/kept', { body: { value: 'before' }, token: cached })).status).to.equal(200);
      await first.stop();
      // Owner-only, beside the CA's directory.
      if (process.platform !== 'win32') expect(statSync(join(dir, IDENTITY_FILE)).mode & 0o077).to.equal(0);
      expect(readFileSync(join(dir, IDENTITY_FILE), 'utf8')).to.not.include(cached);

      const second = await startVault({ dataFile, auth: 'strict', port });
      try {
        expect({ ...second.env }).to.deep.equal(env);
        const read = await call(second, 'GET', '/secrets/kept', { token: cached });
        expect(read.status, read.text).to.equal(200);
        expect(read.json.value).to.equal('before');
        // The printed header still gets tokens, and a forged token is still refused.
        const again = await call(second, 'GET', `/msi/token?resource=${encodeURIComponent(second.url)}&api-version=2019-08-01`, { headers: { 'x-identity-header': env.IDENTITY_HEADER }, token: null, apiVersion: null });
        expect(again.status).to.equal(200);
        const [h, c] = cached.split('.');
        expect((await call(second, 'GET', '/secrets/kept', { token: `${h}.${c}.${Buffer.from('forged').toString('base64url')}` })).status).to.equal(401);
      } finally {
        await second.stop();
      }
      // Without a state directory, each start has its own identity.
      const a = await startVault({ auth: 'strict' });
      const b = await startVault({ auth: 'strict' });
      try {
        expect(a.env.IDENTITY_HEADER).to.not.equal(b.env.IDENTITY_HEADER);
        expect((await call(b, 'GET', '/secrets', { token: a.issueToken({ resource: 'https://vault.azure.net' }) })).status).to.equal(401);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('makes one identity when several vaults start at once, and refuses a damaged file instead of replacing it', () => {
      const states = [1, 2, 3].map(() => loadOrCreateIdentityState(dir));
      expect(new Set(states.map((s) => s.secret)).size).to.equal(1);
      writeFileSync(join(dir, IDENTITY_FILE), '{"key":"nope"}');
      expect(() => loadOrCreateIdentityState(dir)).to.throw(`${join(dir, IDENTITY_FILE)} does not hold the vault's identity (no key or secret)`);
      expect(readFileSync(join(dir, IDENTITY_FILE), 'utf8')).to.equal('{"key":"nope"}');
      // A truncated file: the error names the file, never quotes it (it holds the private key and the secret).
      const damaged = `${JSON.stringify(states[0])}`.slice(0, 120);
      writeFileSync(join(dir, IDENTITY_FILE), damaged);
      const error = (() => {
        try {
          loadOrCreateIdentityState(dir);
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(error?.message).to.contain('(not JSON)');
      expect(error?.message).to.not.contain(damaged.slice(20, 60));
    });
  });

  describe('keyvault-emulator --print-env --strict-auth', () => {
    let child: ChildProcess | undefined;
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'kvkit-cli-identity-'))));
    after(() => {
      child?.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });

    /** Starts the CLI and reads what --print-env prints. */
    const printEnv = async (args: string[]): Promise<string> => {
      child = spawn(process.execPath, ['--import', 'tsx', CLI, '--print-env', '--strict-auth', '--state-dir', dir, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('CURL_CA_BUNDLE=')) resolve();
        });
        child!.on('exit', (code) => reject(new Error(`CLI exited with ${code}: ${out}`)));
      });
      return out;
    };
    const stopChild = async (): Promise<void> => {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child!.kill('SIGTERM');
      await exited;
      child = undefined;
    };

    it('prints the environment in shell syntax; its endpoint issues tokens the strict vault accepts, before and after a restart', async () => {
      const out = await printEnv([]);
      // Only `export NAME='value'` lines, as `.` / `source` take them.
      const lines = out.trim().split('\n');
      for (const line of lines) expect(line).to.match(/^export [A-Z_]+='[^']*'$/);
      const env = Object.fromEntries(lines.map((l) => /^export ([A-Z_]+)='(.*)'$/.exec(l)!.slice(1, 3) as [string, string]));
      expect(Object.keys(env)).to.include.members(['VAULT_URL', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE']);
      const dispatcher = new Agent({ connect: { ca: readFileSync(env.NODE_EXTRA_CA_CERTS!, 'utf8') } });
      try {
        const tokenAnswer = await request(`${env.IDENTITY_ENDPOINT}?resource=${encodeURIComponent(env.VAULT_URL!)}&api-version=2019-08-01`, {
          dispatcher,
          headers: { 'x-identity-header': env.IDENTITY_HEADER! },
        });
        const { access_token: token } = (await tokenAnswer.body.json()) as { access_token: string };
        const list = async (bearer: string): Promise<{ status: number; body: unknown }> => {
          const r = await request(`${env.VAULT_URL}/secrets?api-version=7.6`, { dispatcher, headers: { authorization: `Bearer ${bearer}` } });
          return { status: r.statusCode, body: await r.body.json() };
        };
        expect(await list(token)).to.deep.equal({ status: 200, body: { value: [], nextLink: null } });
        expect((await list('t')).status).to.equal(401);

        // Restarted on the same state directory and port: the same environment, and the cached token still works.
        await stopChild();
        const again = await printEnv(['--port', new URL(env.VAULT_URL!).port]);
        expect(again).to.equal(out);
        expect(await list(token)).to.deep.equal({ status: 200, body: { value: [], nextLink: null } });
      } finally {
        await dispatcher.close();
      }
    });
  });
});
