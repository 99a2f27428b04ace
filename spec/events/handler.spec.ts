import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleEventGrid, type EventGridRequest } from '../../lib/events/handler.js';
import { EventGridReceiver } from '../../lib/events/receiver.js';
import type { KeyVaultEvent } from '../../lib/events/models.js';
import type { ConfigUpdate } from '../../lib/config/spec.js';
import { FakeClock, FakeVault, settle, warmUp } from '../config/fake-vault.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/eventgrid/${name}`, import.meta.url), 'utf8');
const SECRET = 'webhook-key-1';

function deliver(body: unknown, init: Partial<EventGridRequest> = {}) {
  const events: KeyVaultEvent[] = [];
  const response = handleEventGrid({ method: 'POST', url: `/webhook?key=${SECRET}`, headers: { 'content-type': 'application/json' }, body, ...init }, { secret: SECRET, onEvent: (e) => events.push(e) });
  return { response, events };
}

describe('handleEventGrid', () => {
  it('answers the Event Grid subscription validation with its code', () => {
    const { response, events } = deliver(fixture('subscription-validation.eventgrid.json'));
    expect(response.status).to.equal(200);
    expect(JSON.parse(response.body)).to.deep.equal({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
    expect(events).to.have.length(0);
  });

  it('answers the CloudEvents OPTIONS handshake with WebHook-Allowed-Origin', () => {
    const { response } = deliver(undefined, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect(response.status).to.equal(200);
    expect(response.headers['webhook-allowed-origin']).to.equal('eventgrid.azure.net');
    expect(deliver(undefined, { method: 'OPTIONS', headers: {} }).response.status).to.equal(400);
  });

  it('refuses deliveries without the shared secret (401) or with a wrong one (403), the handshake included', () => {
    const body = fixture('subscription-validation.eventgrid.json');
    expect(deliver(body, { url: '/webhook' }).response.status).to.equal(401);
    expect(deliver(body, { url: '/webhook?key=nope' }).response.status).to.equal(403);
    const viaHeader = deliver(body, { url: '/webhook', headers: { 'X-Webhook-Key': SECRET } });
    expect(viaHeader.response.status).to.equal(200);
    const refused = deliver(fixture('secret-new-version.eventgrid.json'), { url: '/webhook?key=nope' });
    expect(refused.events).to.have.length(0);
    expect(refused.response.body).not.to.contain(SECRET);
  });

  it('reads a Key Vault event (Event Grid schema) into the typed model', () => {
    const { response, events } = deliver(fixture('secret-new-version.eventgrid.json'));
    expect(response.status).to.equal(200);
    expect(events).to.deep.equal([{
      id: '00eccf70-95a7-4e7c-8299-2eb17ee9ad64',
      type: 'Microsoft.KeyVault.SecretNewVersionCreated',
      source: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app-rg/providers/Microsoft.KeyVault/vaults/myvault',
      subject: 'db-password',
      time: new Date('2019-07-25T01:08:33.103Z'),
      schema: 'EventGrid',
      data: {
        id: 'https://myvault.vault.azure.net/secrets/db-password/ee059b2bb5bc48398a53b168c6cdcb10',
        vaultName: 'myvault', objectType: 'Secret', objectName: 'db-password', version: 'ee059b2bb5bc48398a53b168c6cdcb10',
        nbf: 1559081980, exp: 1559082102,
      },
    }]);
  });

  it('reads the CloudEvents schema, as a parsed body too', () => {
    const { events } = deliver(JSON.parse(fixture('secret-new-version.cloudevents.json')));
    expect(events.map((e) => [e.schema, e.type, e.data.objectName, e.data.exp])).to.deep.equal([['CloudEvents', 'Microsoft.KeyVault.SecretNewVersionCreated', 'db-password', 1559082102]]);
  });

  it('skips other event types in a batch and acknowledges it', () => {
    const { response, events } = deliver(Buffer.from(fixture('batch-key-certificate.eventgrid.json')));
    expect(response.status).to.equal(200);
    expect(events.map((e) => [e.type, e.data.objectType, e.data.objectName, e.data.nbf, e.data.exp])).to.deep.equal([
      ['Microsoft.KeyVault.KeyNearExpiry', 'Key', 'signer', undefined, 1711965600],
      ['Microsoft.KeyVault.CertificateExpired', 'Certificate', 'web', 1677664800, 1709287200],
    ]);
  });

  it('answers malformed deliveries with 400/405, never throws, and survives a throwing listener', () => {
    for (const body of ['{not json', '', '[]', '[1,2]', 'null']) expect(deliver(body).response.status, body).to.equal(400);
    expect(deliver('[{"eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","data":{}}]').response.status).to.equal(400);
    expect(deliver('[{"eventType":"Microsoft.KeyVault.SecretNewVersionCreated","data":"x"}]').events).to.have.length(0);
    expect(deliver('x', { method: 'GET' }).response.status).to.equal(405);
    const throwing = handleEventGrid({ method: 'POST', url: `/?key=${SECRET}`, headers: {}, body: fixture('secret-new-version.eventgrid.json') }, { secret: SECRET, onEvent: () => { throw new Error('app bug'); } });
    expect(throwing.status).to.equal(200);
  });
});

describe('EventGridReceiver over node:http', () => {
  before(warmUp);
  let server: Server;
  let url: string;
  const receiver = new EventGridReceiver({ secret: SECRET });
  before(async () => {
    server = createServer(receiver.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook?key=${SECRET}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the handshake and feeds events$, which refreshes exactly the watched source of config$', async () => {
    const validation = await fetch(url, { method: 'POST', body: fixture('subscription-validation.eventgrid.json') });
    expect(await validation.json()).to.deep.equal({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });

    const clock = new FakeClock();
    const vault = new FakeVault(clock);
    vault.set('db-password', 'first');
    vault.set('api-key', 'k');
    const seen: KeyVaultEvent[] = [];
    const eventsSub = receiver.events$.subscribe((e) => seen.push(e));
    const updates: ConfigUpdate<{ db: string; api: string }>[] = [];
    const sub = vault.client().config$({ db: 'db-password', api: 'api-key' }, { clock, events: receiver.events$ }).subscribe((u) => updates.push(u));
    await settle();
    vault.set('db-password', 'second');
    const delivery = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fixture('secret-new-version.eventgrid.json') });
    expect(delivery.status).to.equal(200);
    await settle();
    expect(seen.map((e) => e.data.objectName)).to.deep.equal(['db-password']);
    expect(vault.gets('db-password')).to.have.length(2);
    expect(vault.gets('api-key')).to.have.length(1);
    expect(updates.map((u) => [u.changed, u.config.db])).to.deep.equal([[['db', 'api'], 'first'], [['db'], 'second']]);
    const refused = await fetch(url.replace(SECRET, 'wrong'), { method: 'POST', body: fixture('secret-new-version.eventgrid.json') });
    expect(refused.status).to.equal(403);
    expect((await fetch(url, { method: 'POST', body: '{oops' })).status).to.equal(400);
    sub.unsubscribe();
    eventsSub.unsubscribe();
  });
});
