/** Errors of the HTTP sink. Each says whether the runtime may retry the same call. */
import { ConnectorError } from '../connector-errors.ts';

export class HttpSinkError extends ConnectorError {
  override readonly name: string = 'HttpSinkError';
}

/** A request failed after its retries (or with a status that is not retried). */
export class HttpRequestFailedError extends HttpSinkError {
  override readonly name = 'HttpRequestFailedError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly responseBody: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The OAuth2 token endpoint refused the client or could not be reached. */
export class OAuth2TokenError extends HttpSinkError {
  override readonly name = 'OAuth2TokenError';
}

/** A record the sink cannot send (null value with `behavior.on.null.values=fail`). */
export class HttpRecordError extends HttpSinkError {
  override readonly name = 'HttpRecordError';
}
