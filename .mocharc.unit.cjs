// The fast ring (`npm run test:unit`): every spec but the slow ring's (see .mocharc.slow.cjs). In-process only.
module.exports = { ...require('./.mocharc.json'), spec: ['spec/**/*.spec.ts'], ignore: require('./.mocharc.slow.cjs').spec };
