/**
 * Kafka Connect's error handling for one task: retries with backoff for retriable errors
 * within `errors.retry.timeout`, tolerance (`none` fails the task, `all` skips the record),
 * `errors.log.*`, and the dead letter queue with `__connect.errors.*` context headers.
 */
import type { FetchedRecord, KafkaHeader, OutgoingRecord } from '../kafka/kafka-port.ts';
import { DataError } from '../plugins/connect-schema.ts';
import { TransformationError } from '../transforms/errors.ts';
import type { Logger } from '../observability/structured-logger.ts';
import type { TaskMeter } from '../observability/task-meter.ts';
import { isRetriable, ToleranceExceededError } from './runtime-errors.ts';

export type Stage = 'TASK_POLL' | 'TASK_PUT' | 'TRANSFORMATION' | 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'KAFKA_PRODUCE' | 'KAFKA_CONSUME';

export interface ErrorHandlingConfig {
  readonly tolerance: 'none' | 'all';
  readonly retryTimeoutMs: number;
  readonly retryDelayMaxMs: number;
  readonly logEnable: boolean;
  readonly logIncludeMessages: boolean;
  readonly dlqTopic: string;
  readonly dlqContextHeaders: boolean;
}

/** The consumed record a failure relates to (sinks), for the DLQ and logs. */
export type OriginalRecord = Omit<FetchedRecord, 'timestamp'>;

export function errorHandlingConfig(config: Readonly<Record<string, string>>): ErrorHandlingConfig {
  const num = (k: string, d: number) => (config[k] === undefined ? d : Number(config[k]));
  return {
    tolerance: config['errors.tolerance'] === 'all' ? 'all' : 'none',
    retryTimeoutMs: num('errors.retry.timeout', 0),
    retryDelayMaxMs: num('errors.retry.delay.max.ms', 60_000),
    logEnable: config['errors.log.enable'] === 'true',
    logIncludeMessages: config['errors.log.include.messages'] === 'true',
    dlqTopic: (config['errors.deadletterqueue.topic.name'] ?? '').trim(),
    dlqContextHeaders: config['errors.deadletterqueue.context.headers.enable'] === 'true',
  };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false };

/** Says a stage failed retriably and should go through the retrying path. */
export const RETRY = Symbol('RETRY');

export class ErrorHandler {
  /** Records sent to the DLQ that still need producing at the next flush. */
  private dlqPending: OutgoingRecord[] = [];
  private skipped = 0;

  constructor(
    private readonly cfg: ErrorHandlingConfig,
    private readonly ctx: { connector: string; task: number; log: Logger; meter?: TaskMeter },
  ) {}

  get skippedCount(): number {
    return this.skipped;
  }

  /**
   * Runs one synchronous stage for one record: the hot path, without promises. Returns
   * `RETRY` when the failure is retriable and retries are configured (then call
   * `execute`), `{ ok: false }` when the failure is tolerated (the record is skipped), and
   * throws ToleranceExceededError when it is not.
   */
  attempt<T>(stage: Stage, className: string, fn: () => T, original?: OriginalRecord): Outcome<T> | typeof RETRY {
    try {
      return { ok: true, value: fn() };
    } catch (e) {
      if (isRetriable(e) && this.cfg.retryTimeoutMs !== 0) return RETRY;
      return this.fail(stage, className, e as Error, original, 1);
    }
  }

  /** Runs one stage with retries for retriable errors within `errors.retry.timeout`. */
  async execute<T>(stage: Stage, className: string, fn: () => T | Promise<T>, original?: OriginalRecord): Promise<Outcome<T>> {
    const deadline = Date.now() + (this.cfg.retryTimeoutMs < 0 ? Number.POSITIVE_INFINITY : this.cfg.retryTimeoutMs);
    let delay = 300;
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await fn() };
      } catch (e) {
        if (isRetriable(e) && Date.now() + delay < deadline) {
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, this.cfg.retryDelayMaxMs);
          continue;
        }
        return this.fail(stage, className, e as Error, original, attempt);
      }
    }
  }

  /**
   * Runs a stage, synchronously when it succeeds or fails for good, with retries otherwise.
   * A stage that answers with a promise (a converter asking its schema registry) is awaited
   * with the same error handling.
   */
  run<T>(stage: Stage, className: string, fn: () => T | Promise<T>, original?: OriginalRecord): Outcome<T> | Promise<Outcome<T>> {
    const r = this.attempt(stage, className, fn, original);
    if (r === RETRY) return this.execute(stage, className, fn, original);
    if (r.ok && isPromiseLike(r.value)) {
      let first: Promise<T> | undefined = r.value;
      return this.execute(stage, className, () => {
        const p = first;
        first = undefined;
        return p ?? fn();
      }, original);
    }
    return r as Outcome<T>;
  }

  private fail(stage: Stage, className: string, error: Error, original: OriginalRecord | undefined, attempts: number): { ok: false } {
    // A transform failure names its own class, and its cause is what went wrong.
    const reported = error instanceof TransformationError ? ((error.cause as Error | undefined) ?? error) : error;
    const reportedClass = error instanceof TransformationError ? error.className : className;
    this.report(stage, reportedClass, reported, original, attempts);
    this.ctx.meter?.count('errors');
    if (this.cfg.tolerance === 'none') {
      this.ctx.meter?.count('failures');
      throw new ToleranceExceededError(`Tolerance exceeded in error handler: ${stage} in ${reportedClass} failed: ${error.message}`, stage, reportedClass, { cause: error });
    }
    this.skipped++;
    return { ok: false };
  }

  /** DLQ records waiting to be produced; the caller sends them before committing offsets. */
  takeDlqRecords(): OutgoingRecord[] {
    const out = this.dlqPending;
    this.dlqPending = [];
    return out;
  }

  private report(stage: Stage, className: string, error: Error, original: OriginalRecord | undefined, attempts: number): void {
    if (this.cfg.logEnable) {
      this.ctx.log.error('Error encountered in task', {
        connector: this.ctx.connector,
        task: this.ctx.task,
        stage,
        className,
        attempts,
        error: error.message,
        ...(original ? { topic: original.topic, partition: original.partition, offset: original.offset } : {}),
        ...(original && this.cfg.logIncludeMessages ? { key: original.key?.toString('utf8') ?? null, value: original.value?.toString('utf8') ?? null } : {}),
      });
    }
    if (!this.cfg.dlqTopic || !original || this.cfg.tolerance === 'none') return;
    const headers: KafkaHeader[] = [...original.headers];
    if (this.cfg.dlqContextHeaders) {
      const h = (k: string, v: string) => headers.push({ key: `__connect.errors.${k}`, value: Buffer.from(v) });
      h('topic', original.topic);
      h('partition', String(original.partition));
      h('offset', String(original.offset));
      h('connector.name', this.ctx.connector);
      h('task.id', String(this.ctx.task));
      h('stage', stage);
      h('class.name', className);
      h('exception.class.name', javaLikeClassName(error));
      h('exception.message', error.message);
      h('exception.stacktrace', error.stack ?? String(error));
    }
    this.dlqPending.push({ topic: this.cfg.dlqTopic, key: original.key, value: original.value, headers });
  }
}

/** Whether a stage answered with a promise rather than a value. */
export function isPromiseLike<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** Connect tools expect Java class names; data errors map to DataException, others keep their name. */
function javaLikeClassName(e: Error): string {
  return e instanceof DataError ? 'org.apache.kafka.connect.errors.DataException' : e.name;
}
