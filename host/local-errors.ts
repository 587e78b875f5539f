/** Errors of the local host. */
export class LocalHostError extends Error {
  override readonly name: string = 'LocalHostError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Java or Maven is missing or too old; the message says what to install. */
export class PrerequisiteError extends LocalHostError {
  override readonly name = 'PrerequisiteError';
}
