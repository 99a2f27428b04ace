// The slow ring (`npm run test:slow`): child processes killed with SIGKILL/SIGTERM, fuzzing, load and fault mixes,
// and the build/pack/install of the package. `npm run test:unit` runs every other spec; `npm test` runs both.
const slow = [
  'spec/reliability/**/*.spec.ts',
  'spec/emulator/persistence.spec.ts',
  'spec/package.spec.ts',
  'spec/packaging/**/*.spec.ts',
];
module.exports = { ...require('./.mocharc.json'), spec: slow };
