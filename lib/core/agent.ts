import type { Agent, buildConnector } from 'undici';

type AgentClass = typeof Agent;
/** Where every undici (Node's own included) keeps the process's global dispatcher. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** What the dispatch builds its pool from. */
export interface AgentParts {
  Agent: AgentClass;
  buildConnector: typeof buildConnector;
}

/**
 * Loads as little of undici as the transport needs, on the first request: its connector module (TLS options,
 * session reuse) and an `Agent` class. ky needs Node's own fetch classes (`Request`), and Node's fetch IS an
 * undici 7 bundle, whose `Agent` arrives with it as the global dispatcher: when that happens here (nobody had
 * set a global dispatcher before, Node bundles undici >= 7), its class is used and undici's own `Agent` module
 * (~20 ms, ~6 MB in a fresh process) is never loaded. Otherwise (fetch already used, a dispatcher set by the
 * app, an older Node) undici's `Agent` module is imported; either way the pool is ours, with our connector.
 *
 * Call it BEFORE anything touches the global `Request` (i.e. before ky is imported): it reads the global
 * dispatcher before and after loading Node's fetch, synchronously, so that the class it takes is Node's.
 */
export function loadAgentParts(): Promise<AgentParts> {
  const global = globalThis as { [GLOBAL_DISPATCHER]?: { constructor: unknown } };
  const before = global[GLOBAL_DISPATCHER];
  void globalThis.Request;
  const after = global[GLOBAL_DISPATCHER];
  const bundled = before === undefined && Number(process.versions.undici?.split('.')[0]) >= 7 && (after?.constructor as { name?: string } | undefined)?.name === 'Agent';
  return Promise.all([
    bundled ? (after!.constructor as AgentClass) : import('undici/lib/dispatcher/agent.js').then((module) => module.default),
    import('undici/lib/core/connect.js').then((module) => module.default),
  ]).then(([Agent, buildConnector]) => ({ Agent, buildConnector }));
}
