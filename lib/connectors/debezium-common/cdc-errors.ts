/**
 * Errors of the change data capture connectors. Each says whether retrying can help, so a
 * database restart is retried while a missing privilege fails the task with what to fix.
 */
import { ConnectorError } from '../connector-errors.ts';

export class CdcError extends ConnectorError {
  override readonly name: string = 'CdcError';
}

/** The database is unreachable or the connection dropped. Retriable. */
export class CdcConnectionError extends CdcError {
  override readonly name = 'CdcConnectionError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retriable: true });
  }
}

/** The database is not set up for change data capture (privilege, wal_level, binlog format, missing table...). */
export class CdcSetupError extends CdcError {
  override readonly name = 'CdcSetupError';
}

/** A value or column type cannot be represented as Debezium would. */
export class CdcValueError extends CdcError {
  override readonly name = 'CdcValueError';
}
