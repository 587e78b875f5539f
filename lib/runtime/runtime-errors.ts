/** Errors of the task runtime. Each says whether retrying the same call may help. */

export class RuntimeError extends Error {
  override readonly name: string = 'RuntimeError';
  readonly retriable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Connect's RetriableException: a plugin throws this for a failure worth retrying. */
export class RetriableError extends RuntimeError {
  override readonly name = 'RetriableError';
  override readonly retriable = true;
}

/** A newer runner owns the task: this one must not commit and must stop. */
export class FencedError extends RuntimeError {
  override readonly name = 'FencedError';
}

/** A failure outside `errors.tolerance`: the task fails with this as its trace. */
export class ToleranceExceededError extends RuntimeError {
  override readonly name = 'ToleranceExceededError';
  constructor(
    message: string,
    readonly stage: string,
    readonly className: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The task's configuration cannot run (unknown plugin, bad option). */
export class TaskConfigError extends RuntimeError {
  override readonly name = 'TaskConfigError';
}

/** Whether an error may go away on retry; programming errors never do. */
export function isRetriable(e: unknown): boolean {
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof SyntaxError) return false;
  return Boolean((e as { retriable?: unknown } | null)?.retriable);
}

/** A Java-like stack trace string for a task's `trace`: the error, then its causes. */
export function traceOf(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const err = cur as Error;
    parts.push(depth === 0 ? (err.stack ?? `${err.name}: ${err.message}`) : `Caused by: ${err.stack ?? `${err.name}: ${err.message}`}`);
    cur = err.cause;
  }
  return parts.join('\n');
}
