/** Errors raised by built-in connectors (Connect's ConnectException). */

export interface ConnectorErrorOptions {
  cause?: unknown;
  /** Whether retrying can help (Connect's RetriableException); the runtime retries with backoff. */
  retriable?: boolean;
  /** The config key at fault, for the validate endpoint. */
  key?: string;
}

export class ConnectorError extends Error {
  override readonly name: string = 'ConnectorError';
  readonly retriable: boolean;
  readonly key: string | undefined;
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
    this.key = options.key;
  }
}
