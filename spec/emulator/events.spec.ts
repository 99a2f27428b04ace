import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyVaultClient } from '../../lib/index.js';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';
import { countingCredential } from '../helpers/mock.js';

const DAY = 86400_000;

interface Received {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: any;
}

/** A webhook on loopback that records every request and answers as `respond` says (an Event Grid subscriber by default). */
class Receiver {
  readonly received: Received[] = [];
  #server!: Server;
  #waiters: Array<() => void> = [];
  /** Status to answer the next notifications with (then 200). */
  failures = 0;

  async start(): Promise<string> {
    this.#server = createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Notifications received so far, flattened to events. */
  events(): any[] {
    return this.received.filter((r) => r.method === 'POST' && r.headers['aeg-event-type'] === 'Notification').flatMap((r) => (Array.isArray(r.body) ? r.body : [r.body]));
  }

  /** Resolves once `predicate` holds (no timing assertion: mocha's timeout bounds it). */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      this.received.push({ method: req.method!, headers: req.headers, body });
      if (req.method === 'OPTIONS') {
        res.writeHead(200, { 'WebHook-Allowed-Origin': String(req.headers['webhook-request-origin']) }).end();
      } else if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ validationResponse: body[0].data.validationCode }));
      } else if (this.failures > 0) {
        this.failures--;
        res.writeHead(503).end();
      } else {
        res.writeHead(200).end();
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }
}

const client = (vault: RunningVault): KeyVaultClient => new KeyVaultClient(vault.url, countingCredential('t').credential, { ca: vault.ca, retry: { backoffMs: 1 } });

describe('local vault: Event Grid notifications', function () {
  this.timeout(120_000);
  const receiver = new Receiver();
  let vault: RunningVault;
  let kv: KeyVaultClient;

  before(async () => {
    const url = await receiver.start();
    vault = await startVault({ events: { url, retryDelayMs: 10 } });
    kv = client(vault);
  });
  after(async () => {
    await vault.stop();
    await receiver.stop();
  });

  it('validates the subscription first, then posts SecretNewVersionCreated in the Event Grid schema', async () => {
    const secret = await kv.secrets.setSecret('app-config', 'v1');
    await receiver.until(() => receiver.events().some((e) => e.subject === 'app-config'));

    const validation = receiver.received[0]!;
    expect(validation.headers['aeg-event-type']).to.equal('SubscriptionValidation');
    expect(validation.body[0].eventType).to.equal('Microsoft.EventGrid.SubscriptionValidationEvent');
    const event = receiver.events().find((e) => e.subject === 'app-config');
    expect(event.eventType).to.equal('Microsoft.KeyVault.SecretNewVersionCreated');
    expect(event.topic).to.match(/^\/subscriptions\/.+\/providers\/Microsoft\.KeyVault\/vaults\/keyvault-emulator$/);
    expect(event).to.include({ dataVersion: '1', metadataVersion: '1' });
    expect(event.data).to.deep.equal({
      Id: `${vault.url}/secrets/app-config/${secret.properties.version}`,
      VaultName: 'keyvault-emulator',
      ObjectType: 'Secret',
      ObjectName: 'app-config',
      Version: secret.properties.version,
      NBF: null,
      EXP: null,
    });
    expect(event.eventTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(event.id).to.match(/^[0-9a-f-]{36}$/);
  });

  it('sends KeyNewVersionCreated, and NearExpiry then Expired once each as the clock passes exp - 30 days and exp', async () => {
    const exp = new Date(vault.clock.now().getTime() + 40 * DAY);
    const key = await kv.keys.createEcKey('expiring', { curve: 'P-256', expiresOn: exp });
    await receiver.until(() => receiver.events().some((e) => e.eventType === 'Microsoft.KeyVault.KeyNewVersionCreated' && e.subject === 'expiring'));
    const about = (type: string) => receiver.events().filter((e) => e.subject === 'expiring' && e.eventType === type);

    vault.clock.advance('P11D');
    await vault.settled();
    await receiver.until(() => about('Microsoft.KeyVault.KeyNearExpiry').length === 1);
    expect(about('Microsoft.KeyVault.KeyExpired')).to.have.length(0);
    expect(about('Microsoft.KeyVault.KeyNearExpiry')[0].data).to.include({ ObjectType: 'Key', Version: key.properties.version, EXP: Math.floor(exp.getTime() / 1000) });

    vault.clock.advance('P30D');
    await vault.settled();
    await receiver.until(() => about('Microsoft.KeyVault.KeyExpired').length === 1);
    vault.clock.advance('P1D');
    await vault.settled();
    expect(about('Microsoft.KeyVault.KeyNearExpiry')).to.have.length(1);
    expect(about('Microsoft.KeyVault.KeyExpired')).to.have.length(1);
  });

  it("sends a key's NearExpiry when its rotation policy's Notify action says", async () => {
    // 40 days: the default rule would notify after 10, the policy after 30.
    const exp = new Date(vault.clock.now().getTime() + 40 * DAY);
    await kv.keys.createEcKey('notified', { curve: 'P-256', expiresOn: exp });
    await kv.keys.updateKeyRotationPolicy('notified', { lifetimeActions: [{ action: 'Notify', timeBeforeExpiry: 'P10D' }] });
    const near = () => receiver.events().filter((e) => e.subject === 'notified' && e.eventType === 'Microsoft.KeyVault.KeyNearExpiry');
    await vault.settled();
    vault.clock.advance('P25D');
    await vault.settled();
    expect(near()).to.have.length(0);
    vault.clock.advance('P6D');
    await vault.settled();
    await receiver.until(() => near().length === 1);
  });

  it("sends a secret's and a certificate's NewVersionCreated, NearExpiry and Expired with their type, subject and data", async () => {
    const own = new Receiver();
    const v = await startVault({ events: { url: await own.start(), retryDelayMs: 10 } });
    try {
      const kv2 = client(v);
      const secretExp = new Date(v.clock.now().getTime() + 40 * DAY);
      const secret = await kv2.secrets.setSecret('rotating-password', 's1', { expiresOn: secretExp });
      const poller = await kv2.certificates.beginCreateCertificate('site', {
        issuerName: 'Self',
        subject: 'CN=site',
        validityInMonths: 2,
        // No AutoRenew: the version stays current until it expires.
        lifetimeActions: [{ action: 'EmailContacts', daysBeforeExpiry: 5 }],
      });
      const certificate = await poller.pollUntilDone();
      const of = (subject: string, kind: string) => own.events().filter((e) => e.subject === subject && e.eventType === `Microsoft.KeyVault.${kind}`);
      await own.until(() => of('site', 'CertificateNewVersionCreated').length === 1 && of('rotating-password', 'SecretNewVersionCreated').length === 1);
      expect(of('site', 'CertificateNewVersionCreated')[0].data).to.deep.include({
        Id: `${v.url}/certificates/site/${certificate.properties.version}`,
        ObjectType: 'Certificate',
        ObjectName: 'site',
        Version: certificate.properties.version,
        EXP: Math.floor(certificate.properties.expiresOn!.getTime() / 1000),
      });

      v.clock.advance('P11D');
      await v.settled();
      await own.until(() => of('rotating-password', 'SecretNearExpiry').length === 1);
      expect(of('rotating-password', 'SecretNearExpiry')[0].data).to.include({
        ObjectType: 'Secret',
        Version: secret.properties.version,
        EXP: Math.floor(secretExp.getTime() / 1000),
      });
      expect(of('rotating-password', 'SecretExpired')).to.have.length(0);

      // Past the secret's exp and within 30 days of the certificate's.
      v.clock.set(new Date(Math.max(secretExp.getTime(), certificate.properties.expiresOn!.getTime() - 30 * DAY) + DAY));
      await v.settled();
      await own.until(() => of('rotating-password', 'SecretExpired').length === 1 && of('site', 'CertificateNearExpiry').length === 1);
      expect(of('site', 'CertificateNearExpiry')[0].data).to.include({ ObjectType: 'Certificate', ObjectName: 'site', Version: certificate.properties.version });
      expect(of('site', 'CertificateExpired')).to.have.length(0);
      v.clock.set(new Date(certificate.properties.expiresOn!.getTime() + DAY));
      await v.settled();
      await own.until(() => of('site', 'CertificateExpired').length === 1);
      expect(of('rotating-password', 'SecretNearExpiry')).to.have.length(1);
    } finally {
      await v.stop();
      await own.stop();
    }
  });

  it('retries a failed delivery with backoff', async () => {
    receiver.failures = 2;
    await kv.secrets.setSecret('retried', 'v');
    const attempts = () => receiver.received.filter((r) => r.method === 'POST' && Array.isArray(r.body) && r.body[0]?.subject === 'retried');
    await receiver.until(() => attempts().length >= 3);
    await vault.settled();
    // Two 503s, then the same event delivered, and no attempt after the success.
    expect(attempts()).to.have.length(3);
    expect(receiver.failures).to.equal(0);
    expect(new Set(attempts().map((a) => a.body[0].id)).size).to.equal(1);
  });

  it('posts CloudEvents 1.0 after the OPTIONS handshake when asked', async () => {
    const cloud = new Receiver();
    const url = await cloud.start();
    const v = await startVault({ events: { url, schema: 'cloudevents' } });
    try {
      const created = await client(v).secrets.setSecret('cloudy', 'v');
      await cloud.until(() => cloud.events().length > 0);
      expect(cloud.received[0]!.method).to.equal('OPTIONS');
      expect(cloud.received[0]!.headers['webhook-request-origin']).to.equal('eventgrid.azure.net');
      const [event] = cloud.events();
      expect(cloud.received[1]!.headers['content-type']).to.contain('application/cloudevents+json');
      expect(event).to.include({ specversion: '1.0', type: 'Microsoft.KeyVault.SecretNewVersionCreated', subject: 'cloudy' });
      expect(event.source).to.match(/Microsoft\.KeyVault\/vaults\/keyvault-emulator$/);
      expect(event.data).to.include({ ObjectName: 'cloudy', Version: created.properties.version, Id: `${v.url}/secrets/cloudy/${created.properties.version}` });
    } finally {
      await v.stop();
      await cloud.stop();
    }
  });
});
