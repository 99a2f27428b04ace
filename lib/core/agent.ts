/// <reference path="./undici-parts.d.ts" />
import type { Agent, buildConnector } from 'undici';

type AgentClass = typeof Agent;
/** Where every undici (Node's own included) keeps the process's global dispatcher. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** What the dispatch builds its pool from. */
export interface AgentParts {
  Agent: AgentClass;
  buildConnector: typeof buildConnector;
}

/** Node's own undici `Agent` class once looked for: `null` when it could not be told apart (see below). */
let nodeAgent: AgentClass | null | undefined;

/**
 * Node's own undici `Agent` class, if this process's fetch is loaded HERE (the first time): Node's fetch IS an
 * undici 7 bundle, and its `Agent` arrives with it as the global dispatcher, unless one was set before. So the
 * global dispatcher is read before and after `Request` is touched (which loads fetch), synchronously: when it
 * appears then, it is Node's. Called before anything of ours touches `Request` (the transport's `Headers`, ky);
 * the answer is kept for the process. `null`: fetch was loaded before (the app used it, or set a dispatcher of
 * its own), or Node bundles an older undici.
 */
export function lookForNodeAgent(): AgentClass | null {
  if (nodeAgent !== undefined) return nodeAgent;
  const global = globalThis as { [GLOBAL_DISPATCHER]?: { constructor: unknown } };
  const before = global[GLOBAL_DISPATCHER];
  // Reading `Request` loads Node's fetch; the value is used so that no bundler drops the read as pure.
  const fetchLoaded = typeof globalThis.Request === 'function';
  const after = global[GLOBAL_DISPATCHER];
  const bundled = fetchLoaded && before === undefined && Number(process.versions.undici?.split('.')[0]) >= 7 && (after?.constructor as { name?: string } | undefined)?.name === 'Agent';
  return (nodeAgent = bundled ? (after!.constructor as AgentClass) : null);
}

/**
 * Loads as little of undici as the transport needs, on the first request: its connector module (TLS options,
 * session reuse) and an `Agent` class: Node's own ({@link lookForNodeAgent}), which ky's `Request` brings
 * anyway, else undici's `Agent` module (~20 ms, ~6 MB in a fresh process); never undici's index (every
 * dispatcher, fetch, WebSocket, caches: ~30 MB, 100+ ms). Either way the pool is ours, with our connector.
 */
export function loadAgentParts(): Promise<AgentParts> {
  const Agent = lookForNodeAgent();
  return Promise.all([
    Agent ?? import('undici/lib/dispatcher/agent.js').then((module) => module.default),
    import('undici/lib/core/connect.js').then((module) => module.default),
  ]).then(([Agent, buildConnector]) => ({ Agent, buildConnector }));
}
