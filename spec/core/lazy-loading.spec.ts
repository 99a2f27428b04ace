import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `body` in a fresh Node process (the SDK's TypeScript through tsx) and answers what it printed as JSON:
 * what a module loads is process-wide state, so only a fresh process can show it.
 */
function fresh(body: string): Record<string, unknown> {
  // Every module resolved (ES modules such as ky never enter require.cache), and every CommonJS one loaded.
  const code = `import { createRequire, registerHooks } from 'node:module';
const resolved = [];
registerHooks({ resolve: (specifier, context, next) => { const result = next(specifier, context); resolved.push(result.url); return result; } });
const require = createRequire(${JSON.stringify(`${root}package.json`)});
const loaded = (part) => resolved.some((url) => url.includes(part)) || Object.keys(require.cache).some((file) => file.includes(part));
const G = Symbol.for('undici.globalDispatcher.1');
${body}`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('what the SDK loads, and when (fresh processes)', function () {
  this.timeout(60_000);

  it('importing the SDK and building a client loads neither rxjs, ky nor undici', () => {
    const seen = fresh(`const { KeyVaultClient } = await import('./lib/index.ts');
new KeyVaultClient('https://vault.example', { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60000 }) });
const sdk = { rxjs: loaded('/rxjs/'), undici: loaded('/undici/'), ky: loaded('/ky/') };
// ky imported here: the check does see an ES module once it is loaded.
await import('ky');
console.log(JSON.stringify({ ...sdk, kyOnceImported: loaded('/ky/') }));`);
    expect(seen).to.deep.equal({ rxjs: false, undici: false, ky: false, kyOnceImported: true });
  });

  it('the first $ twin loads rxjs and returns an rxjs Observable (the class the app imports)', () => {
    const seen = fresh(`const { KeyVaultClient } = await import('./lib/index.ts');
const kv = new KeyVaultClient('https://vault.example', { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60000 }) });
const before = loaded('/rxjs/');
const twin = kv.secrets.getSecret$('name');
const { Observable } = await import('rxjs');
console.log(JSON.stringify({ before, after: loaded('/rxjs/'), isObservable: twin instanceof Observable }));`);
    expect(seen).to.deep.equal({ before: false, after: true, isObservable: true });
  });

  it("the pool uses Node's own undici Agent when loading fetch brings it, and loads only undici's connector", () => {
    const seen = fresh(`const { loadAgentParts, lookForNodeAgent } = await import('./lib/core/agent.ts');
const nodeAgent = lookForNodeAgent();
const { Agent, buildConnector } = await loadAgentParts();
console.log(JSON.stringify({
  isNodes: Agent === globalThis[G].constructor && Agent === nodeAgent,
  agentModule: loaded('undici/lib/dispatcher/agent.js'), index: loaded('undici/index.js'), connector: typeof buildConnector,
}));`);
    expect(seen).to.deep.equal({ isNodes: true, agentModule: false, index: false, connector: 'function' });
  });

  it("falls back to undici's Agent module when a dispatcher was set before (the app's, not Node's)", () => {
    const seen = fresh(`const undici = await import('undici');
const mine = new undici.MockAgent();
undici.setGlobalDispatcher(mine);
const { loadAgentParts, lookForNodeAgent } = await import('./lib/core/agent.ts');
const { Agent } = await loadAgentParts();
console.log(JSON.stringify({ nodeAgent: lookForNodeAgent(), isUndicis: Agent === undici.Agent, untouched: globalThis[G] === mine }));`);
    expect(seen).to.deep.equal({ nodeAgent: null, isUndicis: true, untouched: true });
  });
});
