import { errorFromResponse, whereOf } from '../failure.js';
import { RETRY_STATUSES } from '../retry.js';
import type { Exchange, WireRequest } from '../transport.js';
import type { ChallengeAuth } from './challenge-auth.js';

/**
 * Key Vault's challenge auth around one exchange: a bearer token on every request, learnt the first time from
 * a challenge, and a 401 on a request that carried a token answered with a new token (or one with the claims
 * asked for) and the same request once more. All of it inside ONE attempt of the caller's attempt loop:
 *
 * - The challenge is the attempt's first request (token-less and body-less, as the service expects). When it
 *   fails as any request can (a 503, a reset, a timeout), the attempt fails with that, and `retry.limit` decides
 *   whether another attempt comes: there are no hidden retries. A challenge answered spends no retry.
 * - The resends (two at most: a claims challenge may follow a refresh) spend no retry either, so that a
 *   user's `retry.limit: 0` cannot break authentication; a resend that fails fails its attempt like any request.
 */
export function authenticating(exchange: Exchange, auth: ChallengeAuth): Exchange {
  /** The challenge request; the answer's `WWW-Authenticate` (null when there is none to learn from). */
  const discover = async (wire: WireRequest): Promise<string | null> => {
    const probe: WireRequest = { ...wire, authorization: undefined, body: undefined };
    const answer = await exchange(probe);
    if (answer.status === 401) return answer.headers.get('www-authenticate');
    // Throttled or unavailable: fail as the request would have, not as a vault that sent no challenge.
    if (RETRY_STATUSES.includes(answer.status)) throw await errorFromResponse(answer, whereOf(probe), probe.url);
    return null;
  };

  return async (wire) => {
    let token = auth.cachedToken();
    if (token === undefined) {
      if (!auth.knowsScope) await auth.learnScope(() => discover(wire));
      token = await auth.token(wire.signal);
    }
    wire.authorization = `Bearer ${token}`;
    let response = await exchange(wire);
    for (let resends = 0; response.status === 401 && resends < 2; resends++) {
      await auth.onUnauthorized(response.headers.get('www-authenticate'), wire.signal, token);
      token = await auth.token(wire.signal);
      wire.authorization = `Bearer ${token}`;
      response = await exchange(wire);
    }
    return response;
  };
}
