// The few rxjs pieces the SDK uses, each from its own module. `rxjs`'s index loads every operator and
// observable (~40 ms of a cold import); these paths are rxjs 7's published `./internal/*` exports and resolve
// to the very modules the index re-exports (the same `Observable` class, in Node and in bundlers alike).
export { Observable } from 'rxjs/internal/Observable';
