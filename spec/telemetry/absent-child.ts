// Child of tracing-absent.spec.ts, run with spec/helpers/no-opentelemetry.mjs: a client's calls without
// `@opentelemetry/api`. Prints one JSON line.
import { KeyVaultClient } from '../../lib/index.js';
import { tracingHook } from '../../lib/core/trace-hook.js';
import { tokenCredential } from '../reliability/fault-proxy.js';
import { reply, startScripted } from '../reliability/scripted-server.js';

const server = await startScripted([reply.challenge(), reply.secret('a', 'the-value')]);
const client = new KeyVaultClient(server.url, tokenCredential().credential, { allowInsecureConnection: true });
const values = [];
for (let i = 0; i < 3; i++) values.push((await client.secrets.getSecret('a')).value);
await server.stop();
console.log(JSON.stringify({
  values,
  tracer: tracingHook.tracer !== undefined,
  loading: tracingHook.loading !== undefined,
  lookups: (globalThis as { __openTelemetryLookups?: string[] }).__openTelemetryLookups,
  traceparents: server.seen.map((s) => s.headers.traceparent ?? null),
}));
