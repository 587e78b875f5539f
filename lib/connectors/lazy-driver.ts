/**
 * Connectors import their driver packages (database and broker clients, the S3 and SQS SDK
 * clients, the Parquet writer) through `lazyDriver`, on first use in an async path (start,
 * connect, validate), never at the top of a module. Every runner process (local, Lambda,
 * Fargate) loads every built-in connector but serves one, and importing all their drivers at
 * start cost each spare runner and each Lambda cold start about 300 ms of CPU for packages it
 * never used. test/unit/host/runner-bundle.test.ts checks that no runner imports one statically.
 */

/** A driver package, imported once when first needed. */
export interface LazyDriver<T> {
  /** Imports the package; every call gets the same promise. */
  load(): Promise<T>;
  /**
   * The package once `load()` has resolved, else undefined: for synchronous code that runs
   * after a connect, such as sorting the driver's errors (none can exist before it loaded).
   */
  readonly loaded: T | undefined;
}

/** Runs `importer` once, on the first `load()`; its argument is an `() => import('package')`. */
export function lazyDriver<T>(importer: () => Promise<T>): LazyDriver<T> {
  let pending: Promise<T> | undefined;
  let loaded: T | undefined;
  return {
    load: () => (pending ??= importer().then((m) => (loaded = m))),
    get loaded() {
      return loaded;
    },
  };
}
