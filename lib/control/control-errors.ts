/**
 * Errors of the control plane. Each carries the HTTP status Connect answers with, so the
 * API maps them in one place.
 */
export class ControlError extends Error {
  override readonly name: string = 'ControlError';
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class NotFoundError extends ControlError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(404, message);
  }
}

export class AlreadyExistsError extends ControlError {
  override readonly name = 'AlreadyExistsError';
  constructor(message: string) {
    super(409, message);
  }
}

export class BadRequestError extends ControlError {
  override readonly name: string = 'BadRequestError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, message, options);
  }
}

/** A concurrent change won; the caller may retry (Connect answers 409 while rebalancing). */
export class ConflictError extends ControlError {
  override readonly name = 'ConflictError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(409, message, options);
  }
}

/** A connector config failed validation; the message lists every error as Connect's 400 does. */
export class InvalidConfigError extends BadRequestError {
  override readonly name = 'InvalidConfigError';
  constructor(
    message: string,
    readonly errors: readonly string[],
  ) {
    super(message);
  }
}
