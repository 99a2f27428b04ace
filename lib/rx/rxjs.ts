import { createRequire } from 'node:module';
import type { Observable } from 'rxjs';

/** The few rxjs pieces the SDK uses. */
export interface RxPieces {
  Observable: typeof Observable;
}

let pieces: RxPieces | undefined;

/**
 * rxjs, loaded by the first `$` twin that runs, never by importing the SDK: its modules cost a fresh process
 * ~20–30 ms and ~7 MB (bench/modules.ts), which a program using only Promises should not pay. A twin returns its
 * Observable synchronously, so the load is a synchronous `require` (Node loads rxjs 7 as CommonJS for `import`
 * too: `node` and `require` name the same files, hence the same `Observable` class as the app's). Each piece
 * comes from its own module (rxjs 7's published `./internal/*` exports) instead of rxjs's index, which loads
 * every operator (~40 ms).
 */
export function rx(): RxPieces {
  if (pieces) return pieces;
  const require = createRequire(import.meta.url);
  return (pieces = {
    Observable: (require('rxjs/internal/Observable') as typeof import('rxjs/internal/Observable')).Observable,
  });
}
