/**
 * The local host's metrics: what runner processes report about their tasks, kept in memory as
 * totals (the Prometheus endpoint) and as time series (the metrics route): 10-second buckets
 * for the last hour and one-minute buckets for the last day. Memory is bounded per task
 * (at most 360 + 1440 buckets, each a few numbers and the lag of at most MAX_LAG_PARTITIONS
 * partitions), and a connector's history goes when the connector is deleted.
 */
import { densePoints, METRIC_RANGES, stepStarts, type ConnectorSeries, type MetricSeries, type MetricsQuery, type MetricsSource } from '../lib/api/metrics-source.ts';
import { CHART_COUNTERS, type ConnectorKind, type CounterFigure, type PartitionLag, type TaskSample } from '../lib/observability/metric-catalog.ts';

const FINE_MS = 10_000;
const FINE_SPAN_MS = 60 * 60_000;
const COARSE_MS = 60_000;
const COARSE_SPAN_MS = 24 * 60 * 60_000;
/** Partitions whose lag is charted per task; a task with more shows the first ones it reported. */
export const MAX_LAG_PARTITIONS = 64;
/** Connect's rates are over a window of about a minute. */
const RATE_WINDOW_MS = 60_000;

type Counters = Record<CounterFigure, number>;

interface Bucket extends Counters {
  readonly at: number;
  commitCount: number;
  commitTotalMs: number;
  commitMaxMs: number;
  /** The lag last reported in the bucket, by the task's partition slot; undefined where none was. */
  lag: (number | undefined)[];
}

const zeroCounters = (): Counters => ({ recordsIn: 0, recordsOut: 0, errors: 0, failures: 0, dlq: 0 });
const COUNTERS = Object.keys(zeroCounters()) as CounterFigure[];

/** A task's figures as the Prometheus endpoint shows them. */
export interface TaskTotals {
  readonly connector: string;
  readonly task: number;
  readonly kind: ConnectorKind;
  /** Counted since the host started (or the connector was created). */
  readonly totals: Readonly<Counters>;
  /** Per second over the last minute. */
  readonly rates: Readonly<Counters>;
  /** Over the last minute; undefined without a commit. */
  readonly commitAvgMs: number | undefined;
  readonly commitMaxMs: number | undefined;
  readonly lag: readonly PartitionLag[];
}

class TaskHistory {
  readonly totals = zeroCounters();
  readonly fine: Bucket[] = [];
  readonly coarse: Bucket[] = [];
  /** Partition slots: `topic:partition` in the order first reported. */
  readonly partitions: { topic: string; partition: number }[] = [];
  lag: readonly PartitionLag[] = [];

  constructor(
    readonly task: number,
    public kind: ConnectorKind,
  ) {}

  add(s: TaskSample): void {
    this.kind = s.kind;
    for (const c of COUNTERS) this.totals[c] += s.figures[c];
    this.lag = s.lag.slice(0, MAX_LAG_PARTITIONS);
    const slots = this.lag.map((l) => this.slot(l));
    for (const [list, width, span] of [
      [this.fine, FINE_MS, FINE_SPAN_MS],
      [this.coarse, COARSE_MS, COARSE_SPAN_MS],
    ] as const) {
      const at = Math.floor(s.at / width) * width;
      let b = list.at(-1);
      if (!b || b.at < at) list.push((b = { at, ...zeroCounters(), commitCount: 0, commitTotalMs: 0, commitMaxMs: 0, lag: [] }));
      else if (b.at > at) b = list.findLast((x) => x.at <= at) ?? b; // a late report lands in its own bucket, or the oldest kept
      for (const c of COUNTERS) b[c] += s.figures[c];
      b.commitCount += s.figures.commitCount;
      b.commitTotalMs += s.figures.commitTotalMs;
      b.commitMaxMs = Math.max(b.commitMaxMs, s.figures.commitMaxMs);
      this.lag.forEach((l, i) => {
        const slot = slots[i];
        if (slot !== undefined) b.lag[slot] = l.lag;
      });
      while (list.length && (list[0] as Bucket).at <= s.at - span) list.shift();
    }
  }

  totalsAt(now: number): Omit<TaskTotals, 'connector'> {
    const end = Math.floor(now / FINE_MS) * FINE_MS;
    const recent = this.fine.filter((b) => b.at >= end - RATE_WINDOW_MS && b.at < end);
    const rates = zeroCounters();
    for (const c of COUNTERS) rates[c] = recent.reduce((n, b) => n + b[c], 0) / (RATE_WINDOW_MS / 1000);
    const commits = recent.reduce((n, b) => n + b.commitCount, 0);
    const commitMs = recent.reduce((n, b) => n + b.commitTotalMs, 0);
    return {
      task: this.task,
      kind: this.kind,
      totals: { ...this.totals },
      rates,
      commitAvgMs: commits ? commitMs / commits : undefined,
      commitMaxMs: commits ? Math.max(...recent.map((b) => b.commitMaxMs)) : undefined,
      lag: this.lag,
    };
  }

  private slot(l: PartitionLag): number | undefined {
    const i = this.partitions.findIndex((p) => p.topic === l.topic && p.partition === l.partition);
    if (i >= 0) return i;
    if (this.partitions.length >= MAX_LAG_PARTITIONS) return undefined;
    this.partitions.push({ topic: l.topic, partition: l.partition });
    return this.partitions.length - 1;
  }
}

/** Aggregates of one step: counters summed, commit times summed, the last lag seen per slot. */
interface Step extends Counters {
  commitCount: number;
  commitTotalMs: number;
  lag: (number | undefined)[];
}

export class MetricsHistory implements MetricsSource {
  private readonly connectors = new Map<string, Map<number, TaskHistory>>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Keeps a runner's report (figures since its previous one). */
  add(s: TaskSample): void {
    let tasks = this.connectors.get(s.connector);
    if (!tasks) this.connectors.set(s.connector, (tasks = new Map()));
    let h = tasks.get(s.task);
    if (!h) tasks.set(s.task, (h = new TaskHistory(s.task, s.kind)));
    h.add(s);
  }

  /** Forgets a connector (deleted). */
  drop(connector: string): void {
    this.connectors.delete(connector);
  }

  /** Forgets every connector but these (the ones that still exist). */
  keepOnly(names: readonly string[]): void {
    const keep = new Set(names);
    for (const name of this.connectors.keys()) if (!keep.has(name)) this.connectors.delete(name);
  }

  /** Every task's totals and recent rates, sorted by connector and task. */
  totals(): TaskTotals[] {
    const now = this.clock();
    const out: TaskTotals[] = [];
    for (const [connector, tasks] of [...this.connectors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const h of [...tasks.values()].sort((a, b) => a.task - b.task)) out.push({ connector, ...h.totalsAt(now) });
    }
    return out;
  }

  connectorSeries(q: MetricsQuery): Promise<ConnectorSeries> {
    const { seconds, stepSeconds } = METRIC_RANGES[q.range];
    const step = stepSeconds * 1000;
    const starts = stepStarts(q.range, q.now);
    const from = starts[0] ?? q.now;
    const series: MetricSeries[] = [];
    const tasks = [...(this.connectors.get(q.connector)?.values() ?? [])].sort((a, b) => a.task - b.task);
    for (const h of tasks) {
      const buckets = (seconds * 1000 <= FINE_SPAN_MS ? h.fine : h.coarse).filter((b) => b.at >= from && b.at < q.now + step);
      if (buckets.length === 0) continue;
      const steps = new Map<number, Step>();
      for (const b of buckets) {
        const at = Math.floor(b.at / step) * step;
        let s = steps.get(at);
        if (!s) steps.set(at, (s = { ...zeroCounters(), commitCount: 0, commitTotalMs: 0, lag: [] }));
        for (const c of COUNTERS) s[c] += b[c];
        s.commitCount += b.commitCount;
        s.commitTotalMs += b.commitTotalMs;
        b.lag.forEach((v, i) => {
          if (v !== undefined) s.lag[i] = v;
        });
      }
      const ordered = [...steps].sort(([a], [b]) => a - b);
      for (const c of CHART_COUNTERS) {
        const values = new Map(ordered.map(([at, s]) => [at, c.rate ? s[c.figure] / stepSeconds : s[c.figure]]));
        series.push({ metric: c.metric, task: h.task, points: densePoints(starts, values) });
      }
      series.push({ metric: 'batch-latency-ms', task: h.task, points: ordered.filter(([, s]) => s.commitCount > 0).map(([at, s]) => [at, s.commitTotalMs / s.commitCount]) });
      if (h.kind === 'sink') {
        h.partitions.forEach((p, i) => {
          const points = ordered.filter(([, s]) => s.lag[i] !== undefined).map(([at, s]): [number, number] => [at, s.lag[i] as number]);
          series.push({ metric: 'consumer-lag', task: h.task, topic: p.topic, partition: p.partition, points });
        });
      }
    }
    return Promise.resolve({ stepSeconds, series });
  }
}
