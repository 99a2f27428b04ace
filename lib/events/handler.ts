import { timingSafeEqual } from 'node:crypto';
import { isKeyVaultEventType, type KeyVaultEvent, type KeyVaultEventData } from './models.js';

/** An HTTP request as any framework has it: headers by (any-case) name, the body as text, bytes or parsed JSON. */
export interface EventGridRequest {
  method: string;
  /** The request target (`/webhook?key=...`) or a full URL: the query carries the shared secret when `queryParameter` is used. */
  url?: string;
  headers: Record<string, string | string[] | undefined> | Headers;
  body?: string | Uint8Array | unknown;
}

/** What to answer Event Grid: a status, headers and a body, for any HTTP framework to send. */
export interface EventGridResponse {
  /** 200 for a delivery taken (or a handshake), 4xx for a refused one. */
  status: number;
  /** Headers to send (CloudEvents' `WebHook-Allowed-Origin` on a handshake). */
  headers: Record<string, string>;
  /** The body to send (the validation response on an Event Grid handshake). */
  body: string;
}

/** How `handleEventGrid` authenticates deliveries and what it does with their events. */
export interface EventGridHandlerOptions {
  /**
   * The shared secret Event Grid must present (Microsoft's recommendation for webhooks: put it in the endpoint
   * URL's query, or in a delivery header). Deliveries without it get `401`, with a wrong one `403`.
   */
  secret: string;
  /** Query parameter holding the secret. Default `key` (`https://app/webhook?key=...`). */
  queryParameter?: string;
  /** Header that may hold the secret instead (Event Grid's `--delivery-attribute-mapping`). Default `x-webhook-key`. */
  header?: string;
  /** Called with each Key Vault event of a delivery, in order. Its errors are swallowed: a delivery never throws. */
  onEvent?: (event: KeyVaultEvent) => void;
  /** For CloudEvents' handshake: origins allowed to deliver (default `*`: any origin that knows the secret). */
  allowedOrigins?: readonly string[];
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): EventGridResponse =>
  ({ status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const empty = (status: number, headers: Record<string, string> = {}): EventGridResponse => ({ status, headers, body: '' });
const problem = (status: number, message: string) => json(status, { error: { message } });

function header(headers: EventGridRequest['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Answers one Event Grid delivery to an app's webhook, framework-agnostic: the subscription-validation handshake
 * (Event Grid schema's `SubscriptionValidationEvent` → `{ validationResponse }`; CloudEvents 1.0 `OPTIONS` with
 * `WebHook-Request-Origin` → `WebHook-Allowed-Origin`), then Key Vault events, handed to `options.onEvent`.
 * Unauthenticated → 401/403; not JSON → 400; other event types are acknowledged (200) and skipped, so Event
 * Grid does not retry them. Never throws.
 */
export function handleEventGrid(request: EventGridRequest, options: EventGridHandlerOptions): EventGridResponse {
  try {
    return handle(request, options);
  } catch {
    return problem(500, 'The delivery could not be handled.');
  }
}

function handle(request: EventGridRequest, options: EventGridHandlerOptions): EventGridResponse {
  const method = request.method.toUpperCase();
  if (method !== 'POST' && method !== 'OPTIONS') return empty(405, { allow: 'POST, OPTIONS' });
  const given = new URL(request.url ?? '/', 'http://webhook').searchParams.get(options.queryParameter ?? 'key') ?? header(request.headers, (options.header ?? 'x-webhook-key').toLowerCase());
  if (given === undefined || given === null || given === '') return problem(401, 'The delivery carries no webhook key.');
  if (!sameSecret(given, options.secret)) return problem(403, 'The webhook key is wrong.');

  if (method === 'OPTIONS') {
    // CloudEvents 1.0 webhook abuse protection: grant the asking origin.
    const origin = header(request.headers, 'webhook-request-origin');
    if (!origin) return problem(400, 'OPTIONS without WebHook-Request-Origin.');
    const allowed = options.allowedOrigins;
    if (allowed && !allowed.includes(origin)) return problem(403, 'That origin may not deliver here.');
    return empty(200, { 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '*', allow: 'POST, OPTIONS' });
  }

  const parsed = parseBody(request.body);
  if (parsed === undefined) return problem(400, 'The delivery is not JSON.');
  const batch = Array.isArray(parsed) ? parsed : [parsed];
  if (batch.length === 0 || !batch.every((e) => typeof e === 'object' && e !== null)) return problem(400, 'The delivery holds no events.');
  for (const raw of batch as Record<string, unknown>[]) {
    if (raw.eventType === 'Microsoft.EventGrid.SubscriptionValidationEvent') {
      const code = (raw.data as { validationCode?: unknown } | undefined)?.validationCode;
      if (typeof code !== 'string') return problem(400, 'A validation event without validationCode.');
      return json(200, { validationResponse: code });
    }
  }
  for (const raw of batch as Record<string, unknown>[]) {
    const event = toKeyVaultEvent(raw);
    if (!event) continue;
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure is the app's, not Event Grid's: the delivery is still acknowledged.
    }
  }
  return empty(200);
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      return JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
    } catch {
      return undefined;
    }
  }
  return body;
}

/** An event of either schema, if it is a well-formed Key Vault event; anything else is `undefined`. */
export function toKeyVaultEvent(raw: Record<string, unknown>): KeyVaultEvent | undefined {
  const cloud = raw.specversion !== undefined;
  const type = cloud ? raw.type : raw.eventType;
  if (!isKeyVaultEventType(type)) return undefined;
  const data = raw.data as Record<string, unknown> | undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  // The service sends PascalCase (Id, VaultName, ..., NBF, EXP); SDK-made events use camelCase.
  const pick = (pascal: string, camel: string): unknown => data[pascal] ?? data[camel];
  const objectName = pick('ObjectName', 'objectName');
  if (typeof objectName !== 'string' || objectName === '') return undefined;
  const str = (value: unknown) => (typeof value === 'string' ? value : '');
  // The documented sample carries NBF/EXP as strings of seconds ("1559081980"), the SDK models as numbers.
  const num = (value: unknown) => (typeof value === 'number' || (typeof value === 'string' && value !== '') ? (Number.isFinite(Number(value)) ? Number(value) : undefined) : undefined);
  const eventData: KeyVaultEventData = {
    id: str(pick('Id', 'id')),
    vaultName: str(pick('VaultName', 'vaultName')),
    objectType: str(pick('ObjectType', 'objectType')),
    objectName,
    version: str(pick('Version', 'version')),
    nbf: num(pick('NBF', 'nbf')),
    exp: num(pick('EXP', 'exp')),
  };
  const time = str(cloud ? raw.time : raw.eventTime);
  return Object.freeze({
    id: str(raw.id),
    type,
    source: str(cloud ? raw.source : raw.topic),
    subject: str(raw.subject),
    time: time && !Number.isNaN(Date.parse(time)) ? new Date(time) : undefined,
    data: Object.freeze(eventData),
    schema: cloud ? 'CloudEvents' : 'EventGrid',
  });
}
