/**
 * The port behind the metrics route: where a connector's chart series come from. The local
 * host answers from the time series its runners report; on AWS, CloudWatch GetMetricData
 * reads the metrics the runners emit.
 */
import type { ChartMetric } from '../observability/metric-catalog.ts';

/** The ranges the route accepts, with the step of their points. */
export const METRIC_RANGES = {
  '15m': { seconds: 15 * 60, stepSeconds: 10 },
  '1h': { seconds: 60 * 60, stepSeconds: 30 },
  '6h': { seconds: 6 * 60 * 60, stepSeconds: 120 },
  '24h': { seconds: 24 * 60 * 60, stepSeconds: 300 },
} as const;

export type MetricRange = keyof typeof METRIC_RANGES;

export function isMetricRange(s: string): s is MetricRange {
  return Object.hasOwn(METRIC_RANGES, s);
}

/** One chart series: a metric of one task (`task` null for the connector as a whole), or of one partition for the lag. */
export interface MetricSeries {
  readonly metric: ChartMetric;
  readonly task: number | null;
  readonly topic?: string;
  readonly partition?: number;
  /** `[epochMs, value]`, oldest first; rates are per second. */
  readonly points: [number, number][];
}

export interface MetricsQuery {
  readonly connector: string;
  readonly range: MetricRange;
  /** Epoch millis of the end of the range. */
  readonly now: number;
}

export interface ConnectorSeries {
  /** The step of the points: the range's, or coarser where the source keeps nothing finer. */
  readonly stepSeconds: number;
  readonly series: MetricSeries[];
}

export interface MetricsSource {
  connectorSeries(q: MetricsQuery): Promise<ConnectorSeries>;
}

/** The start of each step of a range, aligned to the step, oldest first. */
export function stepStarts(range: MetricRange, now: number, stepSeconds: number = METRIC_RANGES[range].stepSeconds): number[] {
  const { seconds } = METRIC_RANGES[range];
  const step = stepSeconds * 1000;
  const last = Math.floor(now / step) * step;
  const out: number[] = [];
  for (let t = last - (seconds / stepSeconds - 1) * step; t <= last; t += step) out.push(t);
  return out;
}

/** Points on every step of the range, zero where nothing was counted (counters: nothing moved). */
export function densePoints(starts: readonly number[], values: ReadonlyMap<number, number>): [number, number][] {
  return starts.map((t) => [t, values.get(t) ?? 0]);
}
