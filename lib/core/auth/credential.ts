import { AuthenticationError } from '../errors.js';

/** The `@azure/core-auth` credential shape: any `@azure/identity` credential fits. */
export interface TokenCredential {
  /** A token for `scopes` (Key Vault asks for `<resource>/.default`). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>;
}
/** Options Microsoft's clients pass to `getToken`; ours pass the same. */
export interface GetTokenOptions {
  abortSignal?: AbortSignal;
  tenantId?: string;
  claims?: string;
  enableCae?: boolean;
}
/** A bearer token and when it expires. */
export interface AccessToken {
  token: string;
  expiresOnTimestamp: number;
  refreshAfterTimestamp?: number;
  tokenType?: string;
}

const WHAT_TO_DO =
  'Pass a credential to the client (any @azure/identity TokenCredential, e.g. `new AzureCliCredential()` after `az login`); ' +
  'for the local vault any credential that returns a token will do (see the README section "The local vault").';

/** The first sentence of an error's first line: identity's messages run to several lines of advice. */
function firstSentence(error: unknown): string {
  const line = String((error as Error | undefined)?.message ?? error).split('\n')[0]!.trim();
  const end = line.indexOf('. ');
  const sentence = (end > 0 ? line.slice(0, end) : line).replace(/\.$/, '');
  return sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
}

/**
 * A credential's failure as ONE line: its reason (for a chain such as `DefaultAzureCredential`, the reason of
 * each credential it tried) and what to do about it. The original error stays as `cause`.
 */
export function credentialError(error: unknown, which = 'The credential'): AuthenticationError {
  const errors = (error as { errors?: unknown } | undefined)?.errors;
  const reason = Array.isArray(errors) && errors.length > 0
    ? `none of the credentials it tried could (${errors.map(firstSentence).join('; ')})`
    : firstSentence(error);
  return new AuthenticationError(`${which} could not get a token: ${reason}. ${WHAT_TO_DO}`, { code: 'CredentialUnavailable', cause: error });
}

/** Used when no credential is given: `@azure/identity` is loaded only then, and only when a token is first needed. */
export function lazyDefaultCredential(): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      try {
        credential ??= import('@azure/identity').then((identity) => new identity.DefaultAzureCredential());
        return await (await credential).getToken(scopes, options);
      } catch (error) {
        throw credentialError(error, 'No credential was passed, and DefaultAzureCredential');
      }
    },
  };
}
