// Types of the two undici modules the transport imports on their own instead of undici's index (which loads
// every dispatcher, fetch, WebSocket, caches...: ~30 MB and 100+ ms in a fresh process).
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';
  const AgentClass: typeof Agent;
  export default AgentClass;
}
declare module 'undici/lib/core/connect.js' {
  import type { buildConnector } from 'undici';
  const build: typeof buildConnector;
  export default build;
}
