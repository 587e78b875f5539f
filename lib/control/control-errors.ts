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
  override readonly name = 'BadRequestError';
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
