/** The parameters of a Key Vault `WWW-Authenticate: Bearer ...` challenge. */
export interface Challenge {
  authorization?: string;
  authorization_uri?: string;
  resource?: string;
  scope?: string;
  claims?: string;
  error?: string;
  [parameter: string]: string | undefined;
}

const parameter = /([A-Za-z_]+)="([^"]*)"/g;

/** Parses `Bearer a="1", b="2"` (several schemes may be present: only Bearer and PoP parameters are read). */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge | undefined {
  if (!header || !/^\s*(Bearer|PoP)\b/i.test(header)) return undefined;
  const challenge: Challenge = {};
  for (const [, key, value] of header.matchAll(parameter)) challenge[key!] = value!;
  return challenge;
}

/** The tenant is the first path segment of the authority URL (`https://login.microsoftonline.com/{tenant}`). */
export function tenantOf(challenge: Challenge): string | undefined {
  const authority = challenge.authorization ?? challenge.authorization_uri;
  if (!authority) return undefined;
  try {
    return new URL(authority).pathname.split('/').find(Boolean);
  } catch {
    return undefined;
  }
}

/** `scope` when given, else `resource + "/.default"`, as Microsoft's policy does. */
export function scopeOf(challenge: Challenge): string | undefined {
  if (challenge.scope) return challenge.scope;
  if (!challenge.resource) return undefined;
  return `${challenge.resource.replace(/\/+$/, '')}/.default`;
}

/** `claims` arrive base64-encoded in the challenge; `getToken` wants the JSON text. */
export function decodeClaims(claims: string | undefined): string | undefined {
  if (!claims) return undefined;
  try {
    return Buffer.from(claims, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}
