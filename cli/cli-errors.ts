/**
 * Errors of the `tributary` command, each with the exit code scripts can rely on:
 * 1 the API refused or the operation failed, 2 the command line was wrong, 3 the endpoint
 * could not be reached.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: number = EXIT.failed;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The command line or a file it names is wrong. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  override readonly exitCode = EXIT.usage;
}

/** The REST API answered with an error body in Kafka Connect's format. */
export class ConnectApiError extends CliError {
  override readonly name = 'ConnectApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** No answer at all: wrong URL, the stack is down, or the network is in the way. */
export class UnreachableError extends CliError {
  override readonly name = 'UnreachableError';
  override readonly exitCode = EXIT.unreachable;
}
