/**
 * What a runner counts while it runs a task: records in and out, errors, DLQ records, commit
 * times and a sink's lag per partition. One reader takes the figures since its previous take
 * (the runner Lambda at the end of a slice, a local runner process every few seconds).
 */
import { ZERO_FIGURES, type ConnectorKind, type CounterFigure, type PartitionLag, type TaskFigures, type TaskSample } from './metric-catalog.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class TaskMeter {
  private figures: Mutable<TaskFigures> = { ...ZERO_FIGURES };
  private readonly lag = new Map<string, PartitionLag>();

  constructor(
    readonly connector: string,
    readonly task: number,
    readonly kind: ConnectorKind,
  ) {}

  count(figure: CounterFigure, n = 1): void {
    this.figures[figure] += n;
  }

  commitTook(ms: number): void {
    this.figures.commitCount++;
    this.figures.commitTotalMs += ms;
    if (ms > this.figures.commitMaxMs) this.figures.commitMaxMs = ms;
  }

  setLag(topic: string, partition: number, lag: number): void {
    this.lag.set(`${topic}:${partition}`, { topic, partition, lag: Math.max(0, lag) });
  }

  /** The figures since the previous take, and the lag as it stands. */
  take(at = Date.now()): TaskSample {
    const figures = this.figures;
    this.figures = { ...ZERO_FIGURES };
    return { connector: this.connector, task: this.task, kind: this.kind, at, figures, lag: [...this.lag.values()] };
  }
}

/** The meters of the tasks a runner serves (a warm Lambda or process may serve several in turn). */
export class TaskMeters {
  private readonly meters = new Map<string, TaskMeter>();

  forTask(connector: string, task: number, kind: ConnectorKind): TaskMeter {
    const key = `${connector}\u0000${task}`;
    let m = this.meters.get(key);
    if (!m || m.kind !== kind) this.meters.set(key, (m = new TaskMeter(connector, task, kind)));
    return m;
  }

  /** Takes the figures of one task, if this runner metered it. */
  take(connector: string, task: number, at = Date.now()): TaskSample | undefined {
    return this.meters.get(`${connector}\u0000${task}`)?.take(at);
  }

  /** Takes the figures of every task this runner metered. */
  takeAll(at = Date.now()): TaskSample[] {
    return [...this.meters.values()].map((m) => m.take(at));
  }
}
