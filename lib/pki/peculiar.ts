import './reflect.js';
import { createRequire } from 'node:module';

// @peculiar/x509 needs the Reflect polyfill installed before it loads (tsyringe checks at load time). A static
// `import * as x509 from '@peculiar/x509'` cannot guarantee that in the built package: bundlers hoist imports of
// external packages above all bundled code, polyfill included. Requiring it here runs after the polyfill in
// every build (ESM, CJS, tsx). Import x509 from this module, never from the package; types may be imported
// with `import type` from the package.
const require = createRequire(import.meta.url);

/** `@peculiar/x509`, loaded after the Reflect polyfill. */
export const x509 = require('@peculiar/x509') as typeof import('@peculiar/x509');
