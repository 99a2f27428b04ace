// The slow ring (`npm run test:slow`): child processes killed with SIGKILL/SIGTERM, fuzzing, load and fault mixes,
// the build/pack/install of the package, and the memory-by-count runs (child processes polling thousands of times).
// `npm run test:unit` runs every other spec; `npm test` runs both.
const slow = [
  'spec/reliability/**/*.spec.ts',
  'spec/emulator/persistence.spec.ts',
  'spec/package.spec.ts',
  'spec/packaging/**/*.spec.ts',
  'spec/config/memory.spec.ts',
];
module.exports = { ...require('./.mocharc.json'), spec: slow };
