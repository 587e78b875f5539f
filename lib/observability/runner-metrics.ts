/**
 * Runner metrics in CloudWatch embedded metric format: one JSON line per slice on stdout,
 * which Lambda and the awslogs driver ship to CloudWatch, where alarms watch them.
 */
export const METRICS_NAMESPACE = 'Tributary';

export interface SliceMetrics {
  readonly connector: string;
  readonly task: number;
  readonly records: number;
  readonly durationMs: number;
  readonly failed: boolean;
}

export function sliceMetricsLine(m: SliceMetrics, now = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Connector'], []],
          Metrics: [
            { Name: 'RecordsProcessed', Unit: 'Count' },
            { Name: 'Heartbeat', Unit: 'Count' },
            { Name: 'TaskFailures', Unit: 'Count' },
            { Name: 'SliceDuration', Unit: 'Milliseconds' },
          ],
        },
      ],
    },
    Connector: m.connector,
    Task: String(m.task),
    RecordsProcessed: m.records,
    Heartbeat: 1,
    TaskFailures: m.failed ? 1 : 0,
    SliceDuration: m.durationMs,
  });
}

export function publishSliceMetrics(m: SliceMetrics): void {
  if (process.env.TRIBUTARY_METRICS === 'off') return;
  process.stdout.write(`${sliceMetricsLine(m)}\n`);
}
