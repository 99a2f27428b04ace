import { expect } from 'chai';
import { AuthenticationError, ServiceError } from '../../../lib/index.js';
import { ChallengeAuth } from '../../../lib/core/auth/challenge-auth.js';
import { authenticating } from '../../../lib/core/auth/challenge-transport.js';
import { BufferedResponse } from '../../../lib/core/buffered-response.js';
import type { WireRequest } from '../../../lib/core/transport.js';
import { CHALLENGE, countingCredential } from '../../helpers/mock.js';

/** The auth layer on its own, over a scripted exchange: what it sends, in which order, with which token. */
function scripted(...answers: [number, Record<string, string>?][]) {
  const sent: { authorization: string | undefined; body: string | undefined }[] = [];
  const exchange = async (wire: WireRequest) => {
    sent.push({ authorization: wire.authorization, body: wire.body });
    const [status, headers = {}] = answers[Math.min(sent.length - 1, answers.length - 1)]!;
    return new BufferedResponse(Buffer.from('{}'), status, '', headers, wire.url);
  };
  return { exchange, sent };
}
const wire = (): WireRequest => ({ url: 'https://myvault.vault.azure.net/secrets/a', method: 'PUT', clientRequestId: 'id', body: '{"value":"v"}', signal: undefined });
const tokens = () => {
  let n = 0;
  return { getToken: async () => ({ token: `t${++n}`, expiresOnTimestamp: Date.now() + 3_600_000 }) };
};

describe('challenge auth around one exchange', () => {
  it('asks first without token or body, then sends the request with both; later requests go straight', async () => {
    const { exchange, sent } = scripted([401, { 'www-authenticate': CHALLENGE }], [200]);
    const auth = new ChallengeAuth(countingCredential('tok').credential, 'myvault.vault.azure.net', true);
    const send = authenticating(exchange, auth);
    expect((await send(wire())).status).to.equal(200);
    expect((await send(wire())).status).to.equal(200);
    expect(sent).to.deep.equal([
      { authorization: undefined, body: undefined },
      { authorization: 'Bearer tok', body: '{"value":"v"}' },
      { authorization: 'Bearer tok', body: '{"value":"v"}' },
    ]);
  });

  it('answers a refused token with a new one and resends, twice at most, then hands the 401 back', async () => {
    const { exchange, sent } = scripted([401, { 'www-authenticate': CHALLENGE }], [401, { 'www-authenticate': CHALLENGE }]);
    const send = authenticating(exchange, new ChallengeAuth(tokens(), 'myvault.vault.azure.net', true));
    expect((await send(wire())).status).to.equal(401);
    expect(sent.map((s) => s.authorization)).to.deep.equal([undefined, 'Bearer t1', 'Bearer t2', 'Bearer t3']);
  });

  it('a challenge the vault could not answer (503) fails the attempt with that status and its wait hint', async () => {
    const { exchange, sent } = scripted([503, { 'retry-after-ms': '30' }]);
    const auth = new ChallengeAuth(tokens(), 'myvault.vault.azure.net', true);
    const error = await authenticating(exchange, auth)(wire()).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ServiceError).and.include({ statusCode: 503, retryAfterMs: 30, path: '/secrets/a' });
    expect(sent).to.have.length(1);
    expect(auth.knowsScope).to.equal(false);
  });

  it('an answer that is no challenge at all (200, 404) is an AuthenticationError', async () => {
    for (const status of [200, 404]) {
      const { exchange } = scripted([status]);
      const error = await authenticating(exchange, new ChallengeAuth(tokens(), 'myvault.vault.azure.net', true))(wire()).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AuthenticationError).and.include({ code: 'ChallengeMissing' });
    }
  });
});
