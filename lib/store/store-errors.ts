/** Errors of the connector store. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  /** Whether the same call may succeed if tried again. */
  readonly retriable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A conditional write lost a race: someone else changed the item first. */
export class StoreConflictError extends StoreError {
  override readonly name = 'StoreConflictError';
  override readonly retriable = true;
}

/** The store could not be reached or throttled us. */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  override readonly retriable = true;
}

/** A connector config (or its task configs) is larger than the store keeps; answered with a 413 stating the limit. */
export class ConfigTooLargeError extends StoreError {
  override readonly name = 'ConfigTooLargeError';
  constructor(
    message: string,
    readonly limitBytes: number,
  ) {
    super(message);
  }
}
