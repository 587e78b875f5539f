/**
 * Errors of the Schema Registry converters. Data errors (a record that cannot be converted:
 * wrong magic byte, unknown schema id, a value that does not fit its schema) are DataErrors, so
 * `errors.tolerance` and the dead letter queue treat them as Connect treats a DataException.
 */
import { DataError } from '../../plugins/connect-schema.ts';

/** A record's bytes or value do not fit the registry's format or schema. */
export class SchemaRegistryDataError extends DataError {
  get retriable(): boolean {
    return false;
  }
}

/** The registry answered with an error (Confluent's `{"error_code", "message"}` body). */
export class SchemaRegistryResponseError extends SchemaRegistryDataError {
  constructor(
    message: string,
    /** HTTP status: 404 unknown subject or id, 409 incompatible schema, 422 invalid schema. */
    readonly status: number,
    /** Confluent's error code, e.g. 40403 (schema not found), 409 (incompatible). */
    readonly errorCode: number,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** 5xx answers may pass; retry them where `errors.retry.timeout` allows. */
  override get retriable(): boolean {
    return this.status >= 500;
  }
}

/** No URL of `schema.registry.url` answered. Retriable: the registry may come back. */
export class SchemaRegistryUnreachableError extends Error {
  override readonly name = 'SchemaRegistryUnreachableError';
  readonly retriable = true;
  constructor(
    message: string,
    readonly urls: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
