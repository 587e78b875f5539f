/**
 * Values that are ready at once when cached and a promise otherwise. Converters stay
 * synchronous on the hot path (every schema already looked up) and only await the registry
 * the first time they meet a schema or id.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(v: MaybePromise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** (Not named `then`: a module exporting `then` is itself a thenable to `await import()`.) */
/** `f(v)` now when `v` is ready, after it resolves otherwise. */
export function andThen<T, U>(v: MaybePromise<T>, f: (t: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(v) ? v.then(f) : f(v);
}
