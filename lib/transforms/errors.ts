/**
 * Errors raised by the transform chain. Bad data inside a transform surfaces as the
 * transform's own DataError, wrapped here with the alias and class of the failing stage so the
 * runtime can report it (error log, DLQ `__connect.errors.class.name`) as Connect does.
 */

export class TransformationError extends Error {
  override readonly name = 'TransformationError';
  /** A transform failure is about the record, never transient: retrying gives the same result. */
  readonly retriable = false;

  constructor(
    message: string,
    readonly alias: string,
    readonly className: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
