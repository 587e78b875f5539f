/**
 * The metrics Tributary's alarms and dashboard read. Runners publish theirs in embedded
 * metric format (lib/observability/runner-metrics.ts) with a per-connector and a dimensionless
 * aggregate; the alarms and the dashboard use the aggregate. Restarts are derived here,
 * by metric filters, from the restarter's and the state machine's logs.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../lib/observability/runner-metrics.ts';

export { METRICS_NAMESPACE };

/** Metrics the runners publish, and `Restarts` and `InfrastructureRestarts`, which the metric filters below publish. */
export type TributaryMetricName = 'RecordsProcessed' | 'Heartbeat' | 'TaskFailures' | 'SliceDuration' | 'Restarts' | 'InfrastructureRestarts';

/** A metric of the service, aggregated over every connector. */
export function tributaryMetric(metricName: TributaryMetricName, statistic: string, period = Duration.minutes(1), label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, statistic, period, label });
}

/**
 * Counts restarts after a task failed by itself (the restarter's `Task restarted` log lines and
 * the state machine's RestartBackoff entries) into `Restarts`, and re-runs after a runner was lost
 * to the infrastructure (the restarter's `Task re-run`, the state machine's Rerun) into
 * `InfrastructureRestarts`.
 */
export function addRestartMetricFilters(scope: Construct, restarterLogs: logs.ILogGroup, stateMachineLogs: logs.ILogGroup): void {
  const metric = { metricNamespace: METRICS_NAMESPACE, metricName: 'Restarts' satisfies TributaryMetricName, metricValue: '1' };
  new logs.MetricFilter(scope, 'RestarterRestartsFilter', {
    ...metric,
    logGroup: restarterLogs,
    filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'Task restarted'),
  });
  new logs.MetricFilter(scope, 'LifecycleRestartsFilter', {
    ...metric,
    logGroup: stateMachineLogs,
    filterPattern: logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.type', '=', 'WaitStateEntered'),
      logs.FilterPattern.stringValue('$.details.name', '=', 'RestartBackoff'),
    ),
  });
  const reruns = { metricNamespace: METRICS_NAMESPACE, metricName: 'InfrastructureRestarts' satisfies TributaryMetricName, metricValue: '1' };
  new logs.MetricFilter(scope, 'RestarterRerunsFilter', {
    ...reruns,
    logGroup: restarterLogs,
    filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'Task re-run'),
  });
  new logs.MetricFilter(scope, 'LifecycleRerunsFilter', {
    ...reruns,
    logGroup: stateMachineLogs,
    filterPattern: logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.type', '=', 'PassStateEntered'),
      logs.FilterPattern.stringValue('$.details.name', '=', 'Rerun'),
    ),
  });
}
