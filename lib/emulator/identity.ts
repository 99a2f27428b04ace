// The vault's emulated managed identity: token endpoints in the shapes Microsoft's credentials call when their
// environment says so (App Service, Service Fabric, Azure Machine Learning, Cloud Shell, IMDS through pod identity), and the
// strict check of bearer tokens. Tokens are RS256 JWTs signed by a key the vault holds, shaped like Entra ID's v1
// managed-identity tokens (`iss` https://sts.windows.net/<tid>/), so tools that decode them work. With a state
// directory, the key and the header secret are kept there, so a restarted vault accepts the tokens it issued
// before and the environment printed before still holds.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign, timingSafeEqual, verify } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** Client id the emulated identity reports when the caller names none (fixed, so logs and tests can match it). */
export const EMULATOR_CLIENT_ID = '0b6a3f4e-8c1d-4e2f-9a7b-5d3c2e1f0a9b';
/** Object id (`oid`, `sub`) of the emulated identity. */
export const EMULATOR_OBJECT_ID = '8f2e6d4c-1a3b-4c5d-8e7f-9a0b1c2d3e4f';

/** Paths of the token endpoints, all on the vault's own origin. */
export const IDENTITY_PATHS = {
  /** App Service (2019-08-01, `X-IDENTITY-HEADER`); Service Fabric and Azure Machine Learning (header `secret`). */
  appService: '/msi/token',
  /** IMDS (GET, `Metadata: true`) for `AZURE_POD_IDENTITY_AUTHORITY_HOST`; Cloud Shell (POST form) for `MSI_ENDPOINT`. */
  imds: '/metadata/identity/oauth2/token',
} as const;

/** Lifetime of issued tokens: a day, as managed-identity tokens have. */
const LIFETIME_SECONDS = 24 * 3600;

/** What {@link Identity.issue} accepts. */
export interface IssueOptions {
  /** The `aud` claim. */
  readonly resource: string;
  /** Seconds from `issuedAt` to `exp` (default a day); negative makes an already expired token. */
  readonly lifetimeSeconds?: number;
  /** `iat` and `nbf`, in seconds since the epoch (default now). */
  readonly issuedAt?: number;
  /** `appid` and the answer's `client_id` (default {@link EMULATOR_CLIENT_ID}). */
  readonly clientId?: string;
}

/** An issued token. */
export interface IssuedToken {
  readonly token: string;
  /** Seconds since the epoch. */
  readonly expiresOn: number;
}

/** The vault's emulated identity: one signing key, one header secret. */
export interface Identity {
  /** The secret App Service (`IDENTITY_HEADER`) and Azure ML (`MSI_SECRET`) callers present. */
  readonly secret: string;
  /** Signs a token. */
  issue(options: IssueOptions): IssuedToken;
  /** `undefined` when `token` is a JWT this vault signed, valid now, for one of `audiences`; else the service's message. */
  check(token: string, audiences: readonly string[]): string | undefined;
  /** Answers a request to one of {@link IDENTITY_PATHS}. */
  serve(req: IncomingMessage, res: ServerResponse, path: string, query: ReadonlyMap<string, string>): void;
}

/** What an identity is made of: its signing key (PKCS#8 PEM) and the header secret. */
export interface IdentityState {
  readonly key: string;
  readonly secret: string;
}

/** The file of a state directory holding the identity's {@link IdentityState} (owner-only, beside the CA's directory). */
export const IDENTITY_FILE = 'keyvault-emulator-identity.json';

/** A new signing key and header secret. */
export function newIdentityState(): IdentityState {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, secret: randomBytes(24).toString('base64url') };
}

/**
 * The identity kept in `stateDir`: read when it exists, made (once, even with concurrent starts) when it does not.
 * A file that is not an identity fails with its path, rather than being replaced (which would void issued tokens).
 */
export function loadOrCreateIdentityState(stateDir: string): IdentityState {
  const file = join(stateDir, IDENTITY_FILE);
  // The reasons are fixed texts: a parser's message could quote the file, which holds a private key.
  const parse = (text: string): IdentityState => {
    const refuse = (reason: string): never => {
      throw new Error(`${file} does not hold the vault's identity (${reason}); remove it to make a new one`);
    };
    let state: Partial<IdentityState> = {};
    try {
      state = JSON.parse(text) as Partial<IdentityState>;
    } catch {
      refuse('not JSON');
    }
    if (typeof state?.key !== 'string' || typeof state.secret !== 'string' || state.secret.length < 16) return refuse('no key or secret');
    try {
      createPrivateKey(state.key);
    } catch {
      refuse('the key is not a private key');
    }
    return { key: state.key, secret: state.secret };
  };
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(stateDir, { recursive: true });
  // Written aside, then linked into place: link fails if the file exists, so concurrent starts agree on one identity.
  const staging = join(stateDir, `.${IDENTITY_FILE}-${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(staging, JSON.stringify(newIdentityState()), { mode: 0o600 });
    try {
      linkSync(staging, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } finally {
    rmSync(staging, { force: true });
  }
  return parse(readFileSync(file, 'utf8'));
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
/** Audiences compare without a trailing slash: clients ask for `https://vault.azure.net` and `https://vault.azure.net/` alike. */
const bare = (resource: string): string => resource.replace(/\/+$/, '').toLowerCase();

/**
 * Makes the identity of a vault whose challenge names `tenantId`, from `state` (a kept identity) or new: then the
 * RSA key is made on first use. Tokens are dated by the vault's clock, so advancing it expires them as time would.
 */
export function createIdentity(tenantId: string, clock: { now(): Date } = { now: () => new Date() }, state?: IdentityState): Identity {
  const nowSeconds = (): number => Math.floor(clock.now().getTime() / 1000);
  const secret = state?.secret ?? randomBytes(24).toString('base64url');
  const issuer = `https://sts.windows.net/${tenantId}/`;
  let keys: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | undefined;
  const key = (): NonNullable<typeof keys> => {
    if (keys) return keys;
    const privateKey = state ? createPrivateKey(state.key) : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const publicKey = createPublicKey(privateKey);
    const der = publicKey.export({ type: 'spki', format: 'der' });
    return (keys = { privateKey, publicKey, kid: createHash('sha256').update(der).digest('base64url').slice(0, 27) });
  };

  const issue = ({ resource, lifetimeSeconds = LIFETIME_SECONDS, issuedAt = nowSeconds(), clientId = EMULATOR_CLIENT_ID }: IssueOptions): IssuedToken => {
    const { privateKey, kid } = key();
    const exp = issuedAt + lifetimeSeconds;
    const header = { typ: 'JWT', alg: 'RS256', kid, x5t: kid };
    const claims = {
      aud: resource, iss: issuer, iat: issuedAt, nbf: issuedAt, exp,
      appid: clientId, appidacr: '2', idp: issuer, idtyp: 'app', oid: EMULATOR_OBJECT_ID, sub: EMULATOR_OBJECT_ID, tid: tenantId, ver: '1.0',
    };
    const signed = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return { token: `${signed}.${b64url(sign('sha256', Buffer.from(signed), privateKey))}`, expiresOn: exp };
  };

  const check = (token: string, audiences: readonly string[]): string | undefined => {
    const parts = token.split('.');
    let header: { alg?: unknown; kid?: unknown };
    let claims: { aud?: unknown; iss?: unknown; exp?: unknown; nbf?: unknown };
    try {
      if (parts.length !== 3) throw new Error('not a JWT');
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return 'AKV10000: Request is missing a Bearer or PoP token.';
    }
    const { publicKey, kid } = key();
    if (header.alg !== 'RS256' || header.kid !== kid || !verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2]!, 'base64url'))) {
      return 'AKV10046: Unable to resolve the key used for signature validation.';
    }
    if (claims.iss !== issuer) return `AKV10032: Invalid issuer. Expected one of ${issuer}, found ${String(claims.iss)}.`;
    if (typeof claims.aud !== 'string' || !audiences.some((a) => bare(a) === bare(claims.aud as string))) {
      return `AKV10022: Invalid audience. Expected ${audiences.join(' or ')}, found: ${String(claims.aud)}.`;
    }
    const now = nowSeconds();
    if (typeof claims.exp !== 'number' || claims.exp <= now) return 'Unauthorized: the access token has expired.';
    if (typeof claims.nbf !== 'number' || claims.nbf > now) return 'Unauthorized: the access token is not valid yet.';
    return undefined;
  };

  const matches = (presented: string | string[] | undefined): boolean =>
    typeof presented === 'string' && presented.length === secret.length && timingSafeEqual(Buffer.from(presented), Buffer.from(secret));

  const serve = (req: IncomingMessage, res: ServerResponse, path: string, query: ReadonlyMap<string, string>): void => {
    const reply = (status: number, body: object): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(text);
    };
    const answer = (resource: string | undefined, shape: 'appService' | 'imds'): void => {
      if (!resource) return reply(400, { error: 'invalid_request', error_description: 'Required query variable \'resource\' is missing.' });
      const clientId = query.get('client_id') ?? query.get('clientid') ?? EMULATOR_CLIENT_ID;
      const now = nowSeconds();
      const { token, expiresOn } = issue({ resource, issuedAt: now, clientId });
      // App Service and Azure ML answer `expires_on` as a string of seconds; IMDS adds `expires_in` and `not_before`.
      const common = { access_token: token, expires_on: String(expiresOn), resource, token_type: 'Bearer' };
      reply(200, shape === 'imds'
        ? { ...common, refresh_token: '', expires_in: String(expiresOn - now), ext_expires_in: String(expiresOn - now), not_before: String(now), client_id: clientId }
        : { ...common, client_id: clientId });
    };

    if (path === IDENTITY_PATHS.appService) {
      if (req.method !== 'GET') return reply(405, { error: 'invalid_request', error_description: 'Use GET.' });
      // App Service sends X-IDENTITY-HEADER; Service Fabric and Azure ML (MSI_ENDPOINT + MSI_SECRET) send `secret`.
      if (!matches(req.headers['x-identity-header']) && !matches(req.headers.secret)) {
        return reply(401, { statusCode: 401, message: 'The X-IDENTITY-HEADER header is missing or not the one the vault gave in IDENTITY_HEADER.' });
      }
      return answer(query.get('resource'), 'appService');
    }
    // IMDS and Cloud Shell trust any local caller that sends `Metadata: true`, as the real ones do.
    if (req.headers.metadata !== 'true') return reply(400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
    if (req.method === 'GET') return answer(query.get('resource'), 'imds');
    if (req.method !== 'POST') return reply(405, { error: 'invalid_request', error_description: 'Use GET or POST.' });
    // Cloud Shell posts `resource=...` as a form.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (size > 64 * 1024) return reply(413, { error: 'invalid_request', error_description: 'The form is too large.' });
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      answer(form.get('resource') ?? query.get('resource'), 'imds');
    });
  };

  return { secret, issue, check, serve };
}
