import { expect } from 'chai';
import { inspect } from 'node:util';
import { isRestError as azureIsRestError } from '@azure/core-rest-pipeline';
import { KeyVaultError, NotFoundError, RestError, SecretClient, ThrottledError, ValidationError, isRestError } from '../../lib/index.js';
import { createHttpError } from '../../lib/core/errors.js';
import { VAULT, expectChallenge, mockedClient, vault } from '../helpers/mock.js';

describe('errors catch like Microsoft\'s RestError', () => {
  it('a service error is a RestError for both isRestError functions, and keeps its class and fields', () => {
    const error = createHttpError(404, { error: { code: 'SecretNotFound', message: 'A secret with (name/id) a was not found in this key vault.' } },
      { method: 'GET', path: '/secrets/a/', url: `${VAULT}/secrets/a/?api-version=7.6`, clientRequestId: 'cid-1', requestHeaders: new Headers({ authorization: 'Bearer TOKEN', 'x-ms-client-request-id': 'cid-1' }), responseHeaders: new Headers({ 'x-ms-request-id': 'rid-1', 'set-cookie': 'x=y' }) });
    expect(error).to.be.instanceOf(NotFoundError).and.instanceOf(RestError).and.instanceOf(KeyVaultError);
    expect(isRestError(error)).to.equal(true);
    expect(azureIsRestError(error)).to.equal(true);
    expect(error).to.include({ name: 'RestError', statusCode: 404, code: 'SecretNotFound', clientRequestId: 'cid-1' });
    expect(error.details).to.deep.equal({ error: { code: 'SecretNotFound', message: 'A secret with (name/id) a was not found in this key vault.' } });
    expect(error.request).to.include({ method: 'GET', url: `${VAULT}/secrets/a/?api-version=7.6`, requestId: 'cid-1' });
    expect(error.request!.headers.has('authorization')).to.equal(false);
    expect(error.request!.headers.get('X-MS-Client-Request-Id')).to.equal('cid-1');
    expect(error.response!.status).to.equal(404);
    expect(error.response!.headers.get('x-ms-request-id')).to.equal('rid-1');
    expect(error.response!.headers.has('set-cookie')).to.equal(false);
    expect(JSON.parse(error.response!.bodyAsText!)).to.deep.equal({ error: { code: 'SecretNotFound', message: 'A secret with (name/id) a was not found in this key vault.' } });
    // Non-enumerable as Microsoft's: JSON and inspect output do not drag the exchange along.
    expect(Object.keys(error)).to.not.include.members(['request', 'response']);
    expect(inspect(error)).to.not.contain('TOKEN');
  });

  it('innererror becomes details.error.innerError, as Microsoft\'s deserializer names it', () => {
    const error = createHttpError(400, { error: { code: 'BadParameter', message: 'm', innererror: { code: 'Inner', message: 'i' } } }, { method: 'PUT', path: '/keys/k/create' });
    expect(error.details).to.deep.equal({ error: { code: 'BadParameter', message: 'm', innerError: { code: 'Inner', message: 'i' } } });
  });

  it('an unmapped status is a plain RestError; a 429 keeps retryAfterMs', () => {
    const teapot = createHttpError(418, undefined, { method: 'GET', path: '/x' });
    expect(teapot.constructor).to.equal(RestError);
    expect(teapot).to.include({ statusCode: 418, code: 'Http418' });
    expect((createHttpError(429, undefined, { method: 'GET', path: '/x', retryAfterMs: 2000 }) as ThrottledError).retryAfterMs).to.equal(2000);
  });

  it('new RestError(message, options) builds as Microsoft\'s constructor does; client-side errors are not RestErrors', () => {
    const made = new RestError('boom', { statusCode: 500 });
    expect(made).to.include({ message: 'boom', statusCode: 500, code: 'Http500', name: 'RestError' });
    expect(RestError.REQUEST_SEND_ERROR).to.equal('REQUEST_SEND_ERROR');
    expect(isRestError(new ValidationError('bad'))).to.equal(false);
    expect(azureIsRestError(new ValidationError('bad'))).to.equal(false);
  });

  describe('from a client', () => {
    it('a 404 on the wire carries the request (redacted) and the response', async () => {
      const client: SecretClient = mockedClient().client.secrets;
      const scope = expectChallenge(vault(), 'get', '/secrets/missing/');
      scope.get('/secrets/missing/').query(true).reply(404, { error: { code: 'SecretNotFound', message: 'gone' } }, { 'x-ms-request-id': 'rid-9' });
      const error = await client.getSecret('missing').catch((e: unknown) => e);
      if (!isRestError(error)) throw new Error('not a RestError');
      expect(azureIsRestError(error)).to.equal(true);
      expect(error.statusCode).to.equal(404);
      expect(error.request!.url).to.match(/^https:\/\/.*\/secrets\/missing\/\?api-version=/);
      expect(error.request!.headers.has('authorization')).to.equal(false);
      expect(error.response!.headers.get('x-ms-request-id')).to.equal('rid-9');
      expect(error.response!.bodyAsText).to.contain('SecretNotFound');
    });
  });
});
