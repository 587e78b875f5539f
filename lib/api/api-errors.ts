/**
 * Errors of the REST layer. Each carries the HTTP status it is answered with, in Connect's
 * `{"error_code": status, "message": ...}` format; control-plane errors carry theirs too.
 */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request itself is wrong: body, JSON, shape, name or query value (400). */
export class BadInputError extends ApiError {
  override readonly name = 'BadInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, message, options);
  }
}

/** No route has this path (404, worded as Jersey does). */
export class RouteNotFoundError extends ApiError {
  override readonly name = 'RouteNotFoundError';
  constructor() {
    super(404, 'HTTP 404 Not Found');
  }
}

/** The path exists, the method does not (405 with an `Allow` header). */
export class MethodNotAllowedError extends ApiError {
  override readonly name = 'MethodNotAllowedError';
  constructor(readonly allowed: readonly string[]) {
    super(405, 'HTTP 405 Method Not Allowed');
  }
}

/** The client does not accept JSON (406). */
export class NotAcceptableError extends ApiError {
  override readonly name = 'NotAcceptableError';
  constructor() {
    super(406, 'HTTP 406 Not Acceptable');
  }
}

/** The body is larger than the API accepts (413). */
export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limit: number) {
    super(413, `Request body is larger than ${limit} bytes`);
  }
}

/** The body is not JSON by its Content-Type (415). */
export class UnsupportedMediaTypeError extends ApiError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor() {
    super(415, 'HTTP 415 Unsupported Media Type');
  }
}
