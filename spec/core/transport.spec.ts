import { expect } from 'chai';
import { VAULT, expectChallenge, mockedClient, vault } from '../helpers/mock.js';

describe('a body travels beside ky\'s request, to every attempt', () => {
  const API = { 'api-version': '2025-07-01' };
  const bundle = { value: 'v', id: `${VAULT}/secrets/a/0123456789abcdef0123456789abcdef` };
  const CAE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from('{"access_token":{}}').toString('base64')}"`;

  it('reaches an injected fetch as fetch(request, { body }) on the first send, a retry and a 401 resend', async () => {
    const { client } = mockedClient();
    const bodies: unknown[] = [];
    const seen = (body: unknown) => { bodies.push(body); return true; };
    const scope = vault();
    expectChallenge(scope, 'put', '/secrets/a');
    scope.put('/secrets/a', seen).query(API).reply(503, {}, { 'retry-after': '0' });
    scope.put('/secrets/a', seen).query(API).reply(401, {}, { 'WWW-Authenticate': CAE });
    scope.put('/secrets/a', seen).query(API).reply(200, bundle);
    expect((await client.secrets.setSecret('a', 'v')).value).to.equal('v');
    expect(bodies).to.deep.equal([{ value: 'v', attributes: {} }, { value: 'v', attributes: {} }, { value: 'v', attributes: {} }]);
    scope.done();
  });
});
