import { expect } from 'chai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { KeyVaultClient, SecretClient } from '../../lib/index.js';
import { VAULT, countingCredential, expectChallenge, mockedClient, vault, countingController } from '../helpers/mock.js';

const API = { 'api-version': '2025-07-01' };
const bundle = (name: string, version = '0123456789abcdef0123456789abcdef') => ({ value: `value-of-${name}`, id: `${VAULT}/secrets/${name}/${version}` });

/** A transport that holds every request until told, and shows what it was asked. */
function heldTransport() {
  const seen: Request[] = [];
  const fetchImpl = (input: RequestInfo | URL): Promise<Response> => {
    const request = input as Request;
    seen.push(request);
    if (!request.headers.has('authorization')) {
      return Promise.resolve(new Response('{}', { status: 401, headers: { 'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"' } }));
    }
    return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));
  };
  const client = new KeyVaultClient(VAULT, countingCredential().credential, { fetch: fetchImpl });
  return { client, seen, authorized: () => seen.filter((r) => r.headers.has('authorization')) };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('Observable twins', () => {
  it('is cold: nothing is sent before subscribe', async () => {
    const { client, seen } = heldTransport();
    const secret$ = client.secrets.getSecret$('a');
    await tick();
    expect(seen).to.have.length(0);
    const subscription = secret$.subscribe();
    await tick();
    expect(seen.length).to.be.greaterThan(0);
    subscription.unsubscribe();
  });

  it('unsubscribe aborts the request in flight', async () => {
    const { client, authorized } = heldTransport();
    const subscription = client.secrets.getSecret$('a').subscribe();
    await tick();
    expect(authorized()).to.have.length(1);
    expect(authorized()[0]!.signal.aborted).to.equal(false);
    subscription.unsubscribe();
    expect(authorized()[0]!.signal.aborted).to.equal(true);
  });

  it("chains a caller's abortSignal, leaves the caller's options untouched, and removes its listener", async () => {
    const { client, authorized } = heldTransport();
    const { controller, listeners } = countingController();
    const options = { abortSignal: controller.signal };
    const errors: unknown[] = [];
    client.secrets.getSecret$('a', options).subscribe({ error: (e: unknown) => errors.push(e) });
    await tick();
    expect(options.abortSignal).to.equal(controller.signal);
    controller.abort();
    await tick();
    expect(authorized()[0]!.signal.aborted).to.equal(true);
    expect(errors).to.have.length(1);
    expect((errors[0] as Error).name).to.equal('AbortError');
    expect(listeners()).to.equal(0);
  });

  it('a listing emits item by item and fetches no further page once unsubscribed', async () => {
    const { client } = mockedClient();
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets');
    scope.get('/secrets').query({ ...API, maxresults: 2 }).reply(200, { value: [bundle('a'), bundle('b')], nextLink: `${VAULT}/secrets?api-version=2025-07-01&$skiptoken=p2&maxresults=2` });
    const page2 = scope.get('/secrets').query({ 'api-version': '2025-07-01', $skiptoken: 'p2', maxresults: '2' }).reply(200, { value: [bundle('c')], nextLink: null });
    const names = await firstValueFrom(client.secrets.listPropertiesOfSecrets$({ maxPageSize: 2 }).pipe(take(2), toArray()));
    expect(names.map((p) => p.name)).to.deep.equal(['a', 'b']);
    await tick();
    expect(page2.isDone()).to.equal(false);
  });

  it('a poller twin emits each state and completes with the result', async () => {
    const { client } = mockedClient();
    const scope = vault();
    expectChallenge(scope, 'delete', '/secrets/a');
    scope.delete('/secrets/a').query(API).reply(200, { ...bundle('a'), recoveryId: `${VAULT}/deletedsecrets/a` });
    scope.get('/deletedsecrets/a').query(API).reply(404, { error: { code: 'SecretNotFound', message: 'Deleted Secret not found' } });
    scope.get('/deletedsecrets/a').query(API).reply(200, { ...bundle('a'), recoveryId: `${VAULT}/deletedsecrets/a`, deletedDate: 1700000000 });
    const states = await firstValueFrom(client.secrets.beginDeleteSecret$('a', { intervalInMs: 0 }).pipe(toArray()));
    expect(states.map((s) => s.isCompleted)).to.deep.equal([false, true]);
    expect(states.at(-1)!.result!.deletedOn!.getTime()).to.equal(1700000000000);
    scope.done();
  });

  it('watchSecret$ emits the secret, then only when a new version appears', async () => {
    const { client } = mockedClient();
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets/cfg/');
    scope.get('/secrets/cfg/').query(API).twice().reply(200, bundle('cfg', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'));
    scope.get('/secrets/cfg/').query(API).reply(200, { ...bundle('cfg', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'), value: 'new' });
    const seen = await firstValueFrom(client.secrets.watchSecret$('cfg', { intervalMs: 5 }).pipe(take(2), toArray()));
    expect(seen.map((s) => [s.properties.version, s.value])).to.deep.equal([
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'value-of-cfg'],
      ['bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'new'],
    ]);
    scope.done();
  });

  it('standalone clients get twins too', () => {
    expect(new SecretClient(VAULT, countingCredential().credential).getSecret$).to.be.a('function');
  });
});
