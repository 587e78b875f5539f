/**
 * Runner metrics on AWS: after each slice, Powertools Metrics writes them to stdout in
 * CloudWatch embedded metric format, which Lambda and the awslogs driver ship to CloudWatch.
 * The alarms and the dashboard read the dimensionless aggregates; the metrics route reads the
 * per-task series (dimensions Connector and Task; the consumer lag adds Topic and Partition).
 * The names come from the metric catalog.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { CLOUDWATCH_METRICS, CLOUDWATCH_RECORD_FAILURES, METRICS_NAMESPACE, type TaskSample } from './metric-catalog.ts';
import { createLogger } from './structured-logger.ts';

export { METRICS_NAMESPACE };

export interface SliceMetrics {
  readonly connector: string;
  readonly task: number;
  readonly records: number;
  readonly durationMs: number;
  readonly failed: boolean;
  /** What the task counted during the slice. */
  readonly sample?: TaskSample | undefined;
}

const log = createLogger('tributary-metrics');
/** Powertools' own warnings, but for the key shared by our dimension sets, which is by design (per connector, per task). */
const powertoolsLog = {
  debug: (...a: unknown[]) => log.debug(String(a[0])),
  info: (...a: unknown[]) => log.debug(String(a[0])),
  warn: (...a: unknown[]) => (String(a[0]).includes('as both a dimension set and dimension set') ? undefined : log.warn(String(a[0]))),
  error: (...a: unknown[]) => log.warn(String(a[0])),
};

/** A Metrics instance without Powertools' default `service` dimension: the alarms read the plain aggregates. */
function emf(): Metrics {
  const m = new Metrics({ namespace: METRICS_NAMESPACE, logger: powertoolsLog });
  m.clearDefaultDimensions();
  return m;
}

export function publishSliceMetrics(s: SliceMetrics): void {
  if (process.env.TRIBUTARY_METRICS === 'off') return;
  const task = String(s.task);
  const m = emf();
  m.addDimensions({ Connector: s.connector });
  m.addDimensions({ Connector: s.connector, Task: task });
  m.addDimensions({});
  m.addMetric('RecordsProcessed', MetricUnit.Count, s.records);
  m.addMetric('Heartbeat', MetricUnit.Count, 1);
  m.addMetric('TaskFailures', MetricUnit.Count, s.failed ? 1 : 0);
  m.addMetric('SliceDuration', MetricUnit.Milliseconds, s.durationMs);
  const f = s.sample?.figures;
  if (f) {
    m.addMetric(CLOUDWATCH_METRICS['records-in-rate'].name, MetricUnit.Count, f.recordsIn);
    m.addMetric(CLOUDWATCH_METRICS['records-out-rate'].name, MetricUnit.Count, f.recordsOut);
    m.addMetric(CLOUDWATCH_METRICS.errors.name, MetricUnit.Count, f.errors);
    m.addMetric(CLOUDWATCH_RECORD_FAILURES, MetricUnit.Count, f.failures);
    m.addMetric(CLOUDWATCH_METRICS['dlq-records'].name, MetricUnit.Count, f.dlq);
    if (f.commitCount > 0) m.addMetric(CLOUDWATCH_METRICS['batch-latency-ms'].name, MetricUnit.Milliseconds, f.commitTotalMs / f.commitCount);
  }
  m.publishStoredMetrics();
  for (const l of s.sample?.lag ?? []) {
    const lag = emf();
    lag.addDimensions({ Connector: s.connector, Task: task, Topic: l.topic, Partition: String(l.partition) });
    lag.addMetric(CLOUDWATCH_METRICS['consumer-lag'].name, MetricUnit.Count, l.lag);
    lag.publishStoredMetrics();
  }
}
