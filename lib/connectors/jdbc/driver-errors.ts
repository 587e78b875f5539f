/**
 * Classifies driver errors (pg SQLSTATE codes, mysql2 errno values, Node socket codes) into the
 * connector's errors, so an unreachable database is retried and bad credentials are not.
 */
import { JdbcAuthenticationError, JdbcConnectionError, JdbcError, JdbcQueryError, JdbcTableNotFoundError } from './errors.ts';
import type { ClientSettings } from './jdbc-client.ts';

/** Where the connection goes, without credentials: `host:port/db`. */
export function describeTarget(settings: ClientSettings): string {
  const c = settings.connection;
  return `${c.host}:${c.port}/${c.database ?? ''}`;
}

interface DriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  message?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** Turns a driver error raised while connecting into a connector error naming the target. */
export function connectError(e: unknown, settings: ClientSettings): JdbcError {
  if (e instanceof JdbcError) return e;
  const err = (e ?? {}) as DriverError;
  const target = describeTarget(settings);
  const user = settings.user ?? settings.connection.user ?? '(none)';
  const msg = err.message ?? String(e);
  // SQLSTATE class 28 is "invalid authorization specification" in both databases.
  if (err.code?.startsWith('28') || err.sqlState?.startsWith('28') || err.errno === 1045 || err.errno === 1044 || err.errno === 1698) {
    return new JdbcAuthenticationError(`Authentication failed for user ${user} at ${target}: ${msg}`, { cause: e });
  }
  if (err.code === '3D000' || err.errno === 1049) {
    return new JdbcAuthenticationError(`Database ${settings.connection.database ?? ''} does not exist at ${target}: ${msg}`, { cause: e });
  }
  if ((err.code && NETWORK_CODES.has(err.code)) || /timeout|timed out|terminated/i.test(msg)) {
    return new JdbcConnectionError(`Cannot reach the database at ${target}: ${msg}`, { cause: e });
  }
  return new JdbcConnectionError(`Cannot connect to the database at ${target}: ${msg}`, { cause: e });
}

/**
 * Turns a driver error raised by a statement into a connector error naming the table. Errors
 * that did not come from the driver (DataError, TypeError, ...) are returned unchanged.
 */
export function statementError(e: unknown, table: string): Error {
  if (e instanceof JdbcError) return e;
  const err = (e ?? {}) as DriverError;
  const fromDriver = err.code !== undefined || err.errno !== undefined || err.sqlState !== undefined || /Connection terminated|connection error/i.test(err.message ?? '');
  if (!fromDriver && e instanceof Error) return e;
  const msg = err.message ?? String(e);
  if (err.code === '42P01' || err.errno === 1146) {
    return new JdbcTableNotFoundError(table, `Table ${table} is missing: ${msg}`, { cause: e });
  }
  const lost =
    (err.code && NETWORK_CODES.has(err.code)) ||
    (err.code?.startsWith('08') ?? false) ||
    err.code === '57P01' ||
    /Connection terminated|Client has encountered a connection error|closed state/i.test(msg);
  if (lost) return new JdbcConnectionError(`Lost the database connection while working on ${table}: ${msg}`, { cause: e });
  const retriable = err.code === '40001' || err.code === '40P01' || err.errno === 1213 || err.errno === 1205;
  return new JdbcQueryError(`Statement on ${table} failed: ${msg}`, { cause: e, retriable });
}
