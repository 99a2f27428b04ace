import { expect } from 'chai';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { firstValueFrom, toArray } from 'rxjs';
import { KeyVaultClient, NotFoundError } from '../../lib/index.js';
import { tokenCredential } from '../reliability/fault-proxy.js';
import { json, reply, startScripted, type Step } from '../reliability/scripted-server.js';

/**
 * The span tree of real calls, as an app with the OpenTelemetry SDK records it (in memory): Microsoft's span per
 * operation, an HTTP span per attempt, the W3C traceparent each attempt carried to the (scripted) vault.
 */
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const app = trace.getTracer('app');

async function scripted(steps: Step[]) {
  const server = await startScripted([reply.challenge(), ...steps]);
  const client = new KeyVaultClient(server.url, tokenCredential(3_600_000, 't').credential, { allowInsecureConnection: true, retry: { backoffMs: 1, maxDelayMs: 5 } });
  return { server, client };
}

/** Runs `work` under an app span `name` (active), ends it, and returns it with every span recorded. */
async function underAppSpan(work: () => Promise<unknown>): Promise<{ root: ReadableSpan; spans: ReadableSpan[] }> {
  await app.startActiveSpan('app', async (span) => {
    try {
      await work();
    } finally {
      span.end();
    }
  });
  const spans = exporter.getFinishedSpans();
  return { root: spans.find((s) => s.name === 'app')!, spans: spans.filter((s) => s.name !== 'app') };
}

const id = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const traceparentOf = (span: ReadableSpan) => `00-${span.spanContext().traceId}-${id(span)}-01`;

describe('OpenTelemetry tracing', () => {
  before(() => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  after(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('a get: SecretClient.getSecret (internal, az.namespace, OK) under the active span, one HTTP GET under it, its traceparent on the wire', async () => {
    const { server, client } = await scripted([(req, res, origin) => json(res, 200, { value: 'v', id: `${origin}/secrets/a/0123456789abcdef0123456789abcdef`, attributes: {} }, { 'x-ms-request-id': 'svc-1' })]);
    try {
      const { root, spans } = await underAppSpan(() => client.secrets.getSecret('a'));
      expect(spans.map((s) => s.name)).to.have.members(['SecretClient.getSecret', 'HTTP GET']);
      const operation = spans.find((s) => s.name === 'SecretClient.getSecret')!;
      const http = spans.find((s) => s.name === 'HTTP GET')!;
      expect(parentOf(operation)).to.equal(id(root));
      expect(operation.kind).to.equal(SpanKind.INTERNAL);
      expect(operation.attributes).to.deep.equal({ 'az.namespace': 'Microsoft.KeyVault' });
      expect(operation.status.code).to.equal(SpanStatusCode.OK);
      expect(parentOf(http)).to.equal(id(operation));
      expect(http.kind).to.equal(SpanKind.CLIENT);
      const port = Number(new URL(server.url).port);
      expect(http.attributes).to.deep.include({
        'az.namespace': 'Microsoft.KeyVault',
        'http.request.method': 'GET',
        'url.full': `${server.url}/secrets/a/?api-version=2025-07-01`,
        'server.address': '127.0.0.1',
        'server.port': port,
        'http.response.status_code': 200,
        'az.service_request_id': 'svc-1',
      });
      expect(http.attributes).to.not.have.property('http.request.resend_count');
      expect(http.attributes['az.client_request_id']).to.equal(server.seen[1]!.headers['x-ms-client-request-id']);
      expect(http.status.code).to.equal(SpanStatusCode.UNSET);
      // Both requests of the attempt (the challenge and the authenticated one) carried the HTTP span's traceparent.
      expect(server.seen.map((s) => s.headers.traceparent)).to.deep.equal([traceparentOf(http), traceparentOf(http)]);
    } finally {
      await server.stop();
    }
  });

  it('a retried 503: one operation span, two HTTP spans (the first failed with error.type 503, the second with resend_count 1), each traceparent its own', async () => {
    const { server, client } = await scripted([
      reply.status(503, { error: { code: 'ServiceUnavailable', message: 'busy' } }),
      reply.secret('a'),
    ]);
    try {
      const { spans } = await underAppSpan(() => client.secrets.getSecret('a'));
      const operation = spans.find((s) => s.name === 'SecretClient.getSecret')!;
      const [first, second] = spans.filter((s) => s.name === 'HTTP GET').sort((a, b) => Number(a.attributes['http.request.resend_count'] ?? 0) - Number(b.attributes['http.request.resend_count'] ?? 0));
      expect(operation.status.code).to.equal(SpanStatusCode.OK);
      expect([parentOf(first!), parentOf(second!)]).to.deep.equal([id(operation), id(operation)]);
      expect(first!.attributes).to.deep.include({ 'http.response.status_code': 503, 'error.type': '503' });
      expect(first!.attributes).to.not.have.property('http.request.resend_count');
      expect(first!.status.code).to.equal(SpanStatusCode.ERROR);
      expect(second!.attributes).to.deep.include({ 'http.response.status_code': 200, 'http.request.resend_count': 1 });
      expect(second!.status.code).to.equal(SpanStatusCode.UNSET);
      // challenge + 503 under the first attempt's span, the retry under the second's.
      expect(server.seen.map((s) => s.headers.traceparent)).to.deep.equal([traceparentOf(first!), traceparentOf(first!), traceparentOf(second!)]);
    } finally {
      await server.stop();
    }
  });

  it('a failed call: the operation span is ERROR with error.type (the error class) and the exception recorded', async () => {
    const { server, client } = await scripted([reply.status(404, { error: { code: 'SecretNotFound', message: 'A secret with (name/id) gone was not found in this key vault.' } })]);
    try {
      const { spans } = await underAppSpan(() => client.secrets.getSecret('gone').catch((e: unknown) => expect(e).to.be.instanceOf(NotFoundError)));
      const operation = spans.find((s) => s.name === 'SecretClient.getSecret')!;
      const http = spans.find((s) => s.name === 'HTTP GET')!;
      expect(operation.status).to.deep.include({ code: SpanStatusCode.ERROR });
      expect(operation.status.message).to.include('was not found');
      expect(operation.attributes['error.type']).to.equal('NotFoundError');
      expect(operation.events.map((e) => e.name)).to.deep.equal(['exception']);
      expect(http.attributes).to.deep.include({ 'http.response.status_code': 404, 'error.type': '404' });
    } finally {
      await server.stop();
    }
  });

  it('a listing: one HTTP GET per page under the caller\'s span (no operation span, as Microsoft\'s), query values redacted but api-version', async () => {
    const next = (origin: string) => `${origin}/secrets?api-version=2025-07-01&$skiptoken=secret-token`;
    const { server, client } = await scripted([
      (_req, res, origin) => json(res, 200, { value: [{ id: `${origin}/secrets/a`, attributes: {} }], nextLink: next(origin) }),
      (_req, res, origin) => json(res, 200, { value: [{ id: `${origin}/secrets/b`, attributes: {} }] }),
    ]);
    try {
      const { root, spans } = await underAppSpan(async () => {
        for await (const _ of client.secrets.listPropertiesOfSecrets({ maxPageSize: 1 })) { /* every page */ }
      });
      expect(spans.map((s) => s.name)).to.deep.equal(['HTTP GET', 'HTTP GET']);
      expect(spans.map(parentOf)).to.deep.equal([id(root), id(root)]);
      expect(spans.map((s) => s.attributes['url.full'])).to.deep.equal([
        `${server.url}/secrets?api-version=2025-07-01&maxresults=REDACTED`,
        `${server.url}/secrets?api-version=2025-07-01&%24skiptoken=REDACTED`,
      ]);
      // The challenge went with the first page's attempt.
      expect(server.seen.map((s) => s.headers.traceparent)).to.deep.equal([traceparentOf(spans[0]!), traceparentOf(spans[0]!), traceparentOf(spans[1]!)]);
    } finally {
      await server.stop();
    }
  });

  it('tracingOptions.tracingContext is the parent (not the active span), through a poller\'s every poll and a $ twin', async () => {
    const { server, client } = await scripted([
      (_req, res, origin) => json(res, 200, { recoveryId: `${origin}/deletedsecrets/a`, id: `${origin}/secrets/a`, attributes: {} }),
      reply.status(404, { error: { code: 'SecretNotFound', message: 'not yet' } }),
      (_req, res, origin) => json(res, 200, { recoveryId: `${origin}/deletedsecrets/a`, id: `${origin}/secrets/a`, attributes: {} }),
      reply.secret('b'),
    ]);
    try {
      const given = app.startSpan('given');
      const tracingContext: Context = trace.setSpan(ROOT_CONTEXT, given);
      given.end();
      const { root, spans } = await underAppSpan(async () => {
        const poller = await client.secrets.beginDeleteSecret('a', { intervalInMs: 0, tracingOptions: { tracingContext } });
        await poller.pollUntilDone();
        await firstValueFrom(client.secrets.getSecret$('b', { tracingOptions: { tracingContext } }).pipe(toArray()));
      });
      const operations = spans.filter((s) => !s.name.startsWith('HTTP') && s.name !== 'given');
      expect(operations.map((s) => s.name)).to.deep.equal(['DeleteSecretPoller.deleteSecret', 'SecretClient.getDeletedSecret', 'SecretClient.getDeletedSecret', 'SecretClient.getSecret']);
      expect(operations.map((s) => s.status.code)).to.deep.equal([SpanStatusCode.OK, SpanStatusCode.ERROR, SpanStatusCode.OK, SpanStatusCode.OK]);
      expect(new Set(operations.map(parentOf))).to.deep.equal(new Set([given.spanContext().spanId]));
      expect(operations.every((s) => s.spanContext().traceId === given.spanContext().traceId && s.spanContext().traceId !== root.spanContext().traceId)).to.equal(true);
      // Every HTTP span is the child of one of them.
      const operationIds = new Set(operations.map(id));
      expect(spans.filter((s) => s.name.startsWith('HTTP')).every((s) => operationIds.has(parentOf(s)!))).to.equal(true);
    } finally {
      await server.stop();
    }
  });

  it('AZURE_HTTP_TRACING_DISABLED leaves the operation span only (no traceparent); AZURE_TRACING_DISABLED leaves none, as Microsoft\'s', async () => {
    const { server, client } = await scripted([reply.secret('a')]);
    try {
      process.env['AZURE_HTTP_TRACING_DISABLED'] = 'true';
      const { spans: httpOff } = await underAppSpan(() => client.secrets.getSecret('a'));
      delete process.env['AZURE_HTTP_TRACING_DISABLED'];
      exporter.reset();
      process.env['AZURE_TRACING_DISABLED'] = '1';
      const { spans: allOff } = await underAppSpan(() => client.secrets.getSecret('a'));
      expect(httpOff.map((s) => s.name)).to.deep.equal(['SecretClient.getSecret']);
      expect(allOff).to.deep.equal([]);
      expect(server.seen.map((s) => s.headers.traceparent)).to.deep.equal([undefined, undefined, undefined]);
    } finally {
      delete process.env['AZURE_HTTP_TRACING_DISABLED'];
      delete process.env['AZURE_TRACING_DISABLED'];
      await server.stop();
    }
  });

  it('a $ twin subscribed under an active span is its child', async () => {
    const { server, client } = await scripted([reply.secret('a')]);
    try {
      const { root, spans } = await underAppSpan(() => firstValueFrom(client.secrets.getSecret$('a')));
      expect(spans.find((s) => s.name === 'SecretClient.getSecret')!.parentSpanContext?.spanId).to.equal(id(root));
    } finally {
      await server.stop();
    }
  });
});
