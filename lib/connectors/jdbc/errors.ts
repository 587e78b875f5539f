/**
 * Errors of the JDBC connectors. Each says whether retrying can help (`retriable`), so the
 * runtime retries an unreachable database but fails fast on bad credentials or a missing table.
 */
import { ConnectorError, type ConnectorErrorOptions } from '../connector-errors.ts';

export type JdbcErrorOptions = Pick<ConnectorErrorOptions, 'cause' | 'retriable'>;

/** Base class of every JDBC connector error. */
export class JdbcError extends ConnectorError {
  override readonly name: string = 'JdbcError';
}

/** `connection.url` is not a JDBC URL this connector understands. */
export class JdbcUrlError extends JdbcError {
  override readonly name = 'JdbcUrlError';
}

/** The database could not be reached (refused, unknown host, timeout). Retriable. */
export class JdbcConnectionError extends JdbcError {
  override readonly name = 'JdbcConnectionError';
  constructor(message: string, options: JdbcErrorOptions = {}) {
    super(message, { retriable: true, ...options });
  }
}

/** The database rejected the user or password, or the database does not exist. */
export class JdbcAuthenticationError extends JdbcError {
  override readonly name = 'JdbcAuthenticationError';
}

/** A table the connector needs is missing (sink without `auto.create`, or a dropped source table). */
export class JdbcTableNotFoundError extends JdbcError {
  override readonly name = 'JdbcTableNotFoundError';
  constructor(
    readonly table: string,
    message?: string,
    options: JdbcErrorOptions = {},
  ) {
    super(message ?? `Table ${table} is missing`, options);
  }
}

/** A column's database type has no Connect schema mapping. */
export class UnsupportedColumnTypeError extends JdbcError {
  override readonly name = 'UnsupportedColumnTypeError';
  constructor(
    readonly table: string,
    readonly column: string,
    readonly typeName: string,
  ) {
    super(`Column ${column} of ${table} has type ${typeName}, which has no Kafka Connect schema mapping`);
  }
}

/** A SQL statement failed; the message names the table. Retriable unless the cause says otherwise. */
export class JdbcQueryError extends JdbcError {
  override readonly name = 'JdbcQueryError';
}

/** A value read from the database cannot be represented in its Connect schema. */
export class JdbcValueError extends JdbcError {
  override readonly name = 'JdbcValueError';
}
