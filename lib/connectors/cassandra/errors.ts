/**
 * Errors of the Cassandra sink. Unreachable nodes, timeouts and "unavailable" answers are
 * retriable (the runtime retries the put, or restarts the task, with backoff); refused credentials, a missing
 * keyspace, table or column, and records that do not fit the table are not.
 */
import { ConnectorError } from '../connector-errors.ts';

export class CassandraError extends ConnectorError {
  override readonly name: string = 'CassandraError';
}

/** No contact point answered, or a node timed out or was unavailable. */
export class CassandraConnectionError extends CassandraError {
  override readonly name = 'CassandraConnectionError';
}

/** The cluster refused the credentials, or asks for authentication that is not configured. */
export class CassandraAuthenticationError extends CassandraError {
  override readonly name = 'CassandraAuthenticationError';
}

/** A keyspace, table or column named by a mapping does not exist, or a primary key column is not mapped. */
export class CassandraSchemaError extends CassandraError {
  override readonly name = 'CassandraSchemaError';
}

/** A record could not be written: a value that does not fit its column, or a write the cluster rejected. */
export class CassandraWriteError extends CassandraError {
  override readonly name = 'CassandraWriteError';
}
