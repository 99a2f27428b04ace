import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, filter, skip, type Subscription } from 'rxjs';
import { EventGridReceiver, KeyVaultClient, type KeyVaultEvent } from '../../lib/index.js';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';
import { countingCredential } from '../helpers/mock.js';

const KEY = 'e2e-webhook-key';

/** What reached the webhook: each request's method, Event Grid delivery type and our answer's status. */
interface Delivery { method: string; type: string | undefined; status: number; allowedOrigin: string | undefined }

/** An app's webhook on loopback: an EventGridReceiver behind node:http, with a record of every delivery. */
async function webhook(): Promise<{ receiver: EventGridReceiver; url: string; deliveries: Delivery[]; server: Server }> {
  const receiver = new EventGridReceiver({ secret: KEY });
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    // The receiver answers with writeHead(status, headers): read the headers it gives there.
    let answered: Record<string, string> = {};
    const writeHead = res.writeHead.bind(res) as (status: number, headers: Record<string, string>) => typeof res;
    (res as unknown as { writeHead: typeof writeHead }).writeHead = (status, headers) => writeHead(status, (answered = headers));
    res.on('finish', () => deliveries.push({
      method: req.method!,
      type: req.headers['aeg-event-type'] as string | undefined,
      status: res.statusCode,
      allowedOrigin: answered['webhook-allowed-origin'],
    }));
    receiver.listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { receiver, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook?key=${KEY}`, deliveries, server };
}

const client = (vault: RunningVault) => new KeyVaultClient(vault.url, countingCredential('local-token').credential, { ca: vault.ca, retry: { backoffMs: 1 } });

/**
 * End to end: the local vault posts its Event Grid notifications to the app's webhook (an EventGridReceiver), and
 * `config$`, with no polling, follows a rotation made by another client. Both delivery schemas.
 */
for (const schema of ['eventgrid', 'cloudevents'] as const) {
  describe(`config$ follows the local vault's Event Grid notifications (${schema})`, function () {
    this.timeout(120_000);
    let hook: Awaited<ReturnType<typeof webhook>>;
    let vault: RunningVault;
    let app: KeyVaultClient;
    let admin: KeyVaultClient;
    const events: KeyVaultEvent[] = [];
    let listening: Subscription;

    before(async () => {
      hook = await webhook();
      listening = hook.receiver.events$.subscribe((e) => events.push(e));
      vault = await startVault({ events: { url: hook.url, schema, retryDelayMs: 20 } });
      app = client(vault);
      admin = client(vault); // rotations come from elsewhere: another client, as an operator or a pipeline would
      await admin.secrets.setSecret('e2e-db', 'first');
      await admin.secrets.setSecret('e2e-api', 'api-1');
      await vault.settled();
    });
    after(async () => {
      listening.unsubscribe();
      await vault.stop();
      await new Promise((resolve) => hook.server.close(resolve));
    });

    it('answered the subscription handshake before any event, with the shared secret', () => {
      const first = hook.deliveries[0]!;
      if (schema === 'eventgrid') expect([first.method, first.type, first.status]).to.deep.equal(['POST', 'SubscriptionValidation', 200]);
      else expect([first.method, first.status, first.allowedOrigin]).to.deep.equal(['OPTIONS', 200, 'eventgrid.azure.net']);
      const notifications = hook.deliveries.slice(1);
      expect(notifications.length).to.be.at.least(2);
      expect(notifications.every((d) => d.method === 'POST' && d.status === 200 && d.type === 'Notification')).to.equal(true);
      expect(events.filter((e) => e.type === 'Microsoft.KeyVault.SecretNewVersionCreated').map((e) => e.subject)).to.deep.equal(['e2e-db', 'e2e-api']);
      expect(events.every((e) => e.schema === (schema === 'eventgrid' ? 'EventGrid' : 'CloudEvents'))).to.equal(true);
    });

    it('a rotation by another client reaches config$ with no polling, naming exactly that key', async () => {
      const config$ = app.config$({ db: 'e2e-db', api: 'e2e-api' }, { events: hook.receiver.events$ }); // no refreshMs: events only
      const { config } = await firstValueFrom(config$);
      expect([config.db, config.api]).to.deep.equal(['first', 'api-1']);
      const next = firstValueFrom(config$.pipe(skip(1)));
      const sub = config$.subscribe(); // keeps the store alive between the two firstValueFrom
      try {
        const rotated = await admin.secrets.setSecret('e2e-db', 'second');
        const update = await next;
        expect(update.changed).to.deep.equal(['db']);
        expect([update.config.db, update.config.api]).to.deep.equal(['second', 'api-1']);
        const event = events.findLast((e) => e.subject === 'e2e-db')!;
        expect(event.data.version).to.equal(rotated.properties.version);
        expect(event.data.id).to.equal(`${vault.url}/secrets/e2e-db/${rotated.properties.version}`);
      } finally {
        sub.unsubscribe();
      }
    });

    it('NearExpiry then Expired reach events$ as the vault clock passes exp - 30 days and exp, typed as documented', async () => {
      const expiresOn = new Date(vault.clock.now().getTime() + 40 * 86400_000);
      const secret = await admin.secrets.setSecret('e2e-expiring', 'soon', { expiresOn });
      const exp = Math.floor(expiresOn.getTime() / 1000);
      const about = (type: string) => firstValueFrom(hook.receiver.events$.pipe(filter((e) => e.type === type && e.subject === 'e2e-expiring')));
      const near = about('Microsoft.KeyVault.SecretNearExpiry');
      vault.clock.advance('P11D');
      const nearEvent = await near;
      const expired = about('Microsoft.KeyVault.SecretExpired');
      vault.clock.advance('P30D');
      const expiredEvent = await expired;
      for (const event of [nearEvent, expiredEvent]) {
        expect(event.source).to.match(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/keyvault-emulator$/);
        expect(event.data).to.deep.equal({
          id: `${vault.url}/secrets/e2e-expiring/${secret.properties.version}`,
          vaultName: 'keyvault-emulator',
          objectType: 'Secret',
          objectName: 'e2e-expiring',
          version: secret.properties.version,
          nbf: undefined,
          exp,
        });
        expect(event.time).to.be.instanceOf(Date);
      }
      // Dated by the vault's clock: the Expired event is at least 41 days after the secret was set.
      expect(expiredEvent.time!.getTime() - secret.properties.createdOn!.getTime()).to.be.at.least(41 * 86400_000);
    });
  });
}
