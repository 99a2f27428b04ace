// `node --import ./spec/helpers/no-opentelemetry.mjs ...`: runs as if `@opentelemetry/api` (an optional peer
// dependency) were not installed, for the spec and the bench that check what tracing costs when it is absent.
// Every attempt to resolve an `@opentelemetry/*` package fails as a missing package would, and is counted.
import { registerHooks } from 'node:module';

globalThis.__openTelemetryLookups = [];
registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith('@opentelemetry/')) {
      globalThis.__openTelemetryLookups.push(specifier);
      throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return next(specifier, context);
  },
});
