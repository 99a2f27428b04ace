import { randomUUID } from 'node:crypto';
import type { VaultClock } from './clock.js';

/** Where and how the vault posts its Event Grid events. */
export interface EventsOptions {
  /** The webhook (an Event Grid subscription's endpoint). */
  readonly url: string;
  /** `eventgrid` (default): arrays in the Event Grid schema; `cloudevents`: one CloudEvents 1.0 event per request. */
  readonly schema?: 'eventgrid' | 'cloudevents';
  /** Delivery attempts per event (default 5), waiting `retryDelayMs` (default 500) doubled after each failure. */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
}

/** The objects events are about, with the names the service uses in event types and `ObjectType`. */
export type EventObjectType = 'Secret' | 'Key' | 'Certificate';
export type EventKind = 'NewVersionCreated' | 'NearExpiry' | 'Expired';

/** `data` of every Key Vault event, as the service sends it (PascalCase, `NBF`/`EXP` in epoch seconds). */
export interface KeyVaultEventData {
  readonly Id: string;
  readonly VaultName: string;
  readonly ObjectType: EventObjectType;
  readonly ObjectName: string;
  readonly Version: string;
  readonly NBF: number | null;
  readonly EXP: number | null;
}

/** The vault's name in events and topics. */
export const EVENT_VAULT_NAME = 'keyvault-emulator';
const TOPIC = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/keyvault-emulator/providers/Microsoft.KeyVault/vaults/${EVENT_VAULT_NAME}`;

/**
 * Posts Key Vault's Event Grid events to a webhook, as an Event Grid subscription does: the validation handshake
 * first (Event Grid: a `SubscriptionValidationEvent` answered with `{ validationResponse }`; CloudEvents: an
 * `OPTIONS` with `WebHook-Request-Origin`), then each event with bounded retries and exponential backoff.
 * Delivery runs in the background in order; it never blocks or fails the vault's requests.
 */
export class EventPublisher {
  readonly #options: Required<EventsOptions>;
  readonly #queue: Array<() => unknown[]> = [];
  #validated = false;
  #running: Promise<void> | undefined;
  #vaultUrl = '';

  constructor(
    options: EventsOptions,
    readonly clock: VaultClock,
  ) {
    new URL(options.url);
    this.#options = { schema: 'eventgrid', maxAttempts: 5, retryDelayMs: 500, ...options };
  }

  /** Starts delivering (events published before, e.g. by the seed, wait), with the vault's URL as the base of each `Id`. */
  start(vaultUrl: string): void {
    this.#vaultUrl = vaultUrl;
    this.#kick();
  }

  #kick(): void {
    if (this.#vaultUrl !== '' && this.#queue.length) this.#running ??= this.#drain().finally(() => (this.#running = undefined));
  }

  /** Queues `Microsoft.KeyVault.<ObjectType><kind>` for an object version. */
  publish(objectType: EventObjectType, kind: EventKind, name: string, version: string, attributes: { readonly nbf?: number; readonly exp?: number }): void {
    const collection = objectType === 'Secret' ? 'secrets' : objectType === 'Key' ? 'keys' : 'certificates';
    const type = `Microsoft.KeyVault.${objectType}${kind}`;
    const id = randomUUID();
    const time = this.clock.now().toISOString();
    // Built at delivery: the vault's URL is known only once it listens.
    this.#queue.push(() => [this.#event(id, type, time, name, {
      Id: `${this.#vaultUrl}/${collection}/${name}/${version}`,
      VaultName: EVENT_VAULT_NAME,
      ObjectType: objectType,
      ObjectName: name,
      Version: version,
      NBF: attributes.nbf ?? null,
      EXP: attributes.exp ?? null,
    })]);
    this.#kick();
  }

  #event(id: string, type: string, time: string, subject: string, data: KeyVaultEventData): unknown {
    return this.#options.schema === 'cloudevents'
      ? { specversion: '1.0', id, source: TOPIC, subject, type, time, datacontenttype: 'application/json', data }
      : { id, topic: TOPIC, subject, eventType: type, eventTime: time, data, dataVersion: '1', metadataVersion: '1' };
  }

  /** Resolves when every queued event is delivered or given up on. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      if (!this.#validated) this.#validated = await this.#attempts(() => this.#handshake());
      const batch = this.#queue.shift()!();
      if (this.#validated) await this.#attempts(() => this.#deliver(batch));
    }
  }

  /** Runs `attempt` until it succeeds or the attempts run out, doubling the wait after each failure. */
  async #attempts(attempt: () => Promise<boolean>): Promise<boolean> {
    for (let i = 0; i < this.#options.maxAttempts; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, this.#options.retryDelayMs * 2 ** (i - 1)).unref());
      try {
        if (await attempt()) return true;
      } catch {
        // A refused connection or a reset counts as a failed attempt, as Event Grid counts it.
      }
    }
    return false;
  }

  async #handshake(): Promise<boolean> {
    if (this.#options.schema === 'cloudevents') {
      const response = await fetch(this.#options.url, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
      await response.arrayBuffer();
      const allowed = response.headers.get('webhook-allowed-origin');
      return response.ok && (allowed === '*' || allowed?.toLowerCase() === 'eventgrid.azure.net');
    }
    const validationCode = randomUUID();
    const event = {
      id: randomUUID(),
      topic: TOPIC,
      subject: '',
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: this.clock.now().toISOString(),
      data: { validationCode, validationUrl: '' },
      dataVersion: '2',
      metadataVersion: '1',
    };
    const response = await this.#post([event], 'SubscriptionValidation');
    if (!response.ok) return false;
    const body = (await response.json().catch(() => undefined)) as { validationResponse?: unknown } | undefined;
    return body?.validationResponse === validationCode;
  }

  async #deliver(batch: unknown[]): Promise<boolean> {
    const response = await this.#post(this.#options.schema === 'cloudevents' ? batch[0] : batch, 'Notification');
    await response.arrayBuffer();
    return response.ok;
  }

  #post(body: unknown, type: string): Promise<Response> {
    const cloud = this.#options.schema === 'cloudevents';
    return fetch(this.#options.url, {
      method: 'POST',
      headers: { 'content-type': cloud ? 'application/cloudevents+json; charset=utf-8' : 'application/json; charset=utf-8', 'aeg-event-type': type },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  }
}
