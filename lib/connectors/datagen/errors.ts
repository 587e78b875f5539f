/**
 * Errors of the Datagen connector. None is retriable: they all come from its configuration.
 */
import { ConnectorError } from '../connector-errors.ts';

export class DatagenError extends ConnectorError {
  override readonly name: string = 'DatagenError';
}

/** `schema.string` is not JSON, or uses JSON Schema the generator does not support. */
export class DatagenSchemaError extends DatagenError {
  override readonly name = 'DatagenSchemaError';
}
