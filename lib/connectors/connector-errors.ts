/** Errors raised by built-in connectors (Connect's ConnectException). */
export class ConnectorError extends Error {
  override readonly name: string = 'ConnectorError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
