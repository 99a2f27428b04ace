// The slow ring (`npm run test:slow`): every spec that starts a process of any kind (the vault's CLI, node, Python,
// openssl, tsc over Microsoft's declarations), kills one (SIGKILL/SIGTERM), fuzzes, loads, builds or packs,
// and the memory-by-count runs (thousands of polls, heap snapshots).
// `npm run test:unit` runs every other spec (in-process only: a vault on a loopback port at most); `npm test` runs
// the whole suite. spec/packaging/rings.spec.ts checks that the two rings split spec/ exactly, and that no spec in
// the fast ring imports node:child_process.
const slow = [
  // Processes killed, faults, fuzzing, load.
  'spec/reliability/**/*.spec.ts',
  'spec/emulator/persistence.spec.ts',
  // The vault's CLI in a child process.
  'spec/emulator/clock-unit.spec.ts',
  'spec/emulator/identity.spec.ts',
  'spec/emulator/tls.spec.ts',
  // Microsoft's Python SDK against the vault.
  'spec/emulator/python-sdk.spec.ts',
  // openssl cross-checks.
  'spec/certificates/private-key.spec.ts',
  'spec/emulator/certificates.spec.ts',
  'spec/emulator/compat-certificates.spec.ts',
  'spec/integration/certificates.spec.ts',
  'spec/pki/certificates.spec.ts',
  'spec/pki/pkcs12.spec.ts',
  // A node child process: a cold import of the package, OpenTelemetry hidden, AZURE_LOG_LEVEL set; the CLI's --help.
  'spec/telemetry/logger.spec.ts',
  'spec/telemetry/tracing-absent.spec.ts',
  'spec/core/lazy-loading.spec.ts',
  'spec/core/client-logging.spec.ts',
  'spec/emulator/docs.spec.ts',
  // Microsoft's packages side by side: the compiler over their declarations, and the ported app in child processes.
  'spec/porting/*.spec.ts',
  // Build, pack, install into consumer projects, build the API reference, type-check the README.
  'spec/package.spec.ts',
  'spec/packaging/consumers.spec.ts',
  'spec/packaging/docs.spec.ts',
  'spec/packaging/readme.spec.ts',
  // Memory by count: thousands of polls, heap snapshots.
  'spec/config/memory.spec.ts',
];
module.exports = { ...require('./.mocharc.json'), spec: slow };
