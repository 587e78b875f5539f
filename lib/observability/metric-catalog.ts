/**
 * The names of Tributary's task metrics, defined once: the figures a runner counts, the chart
 * series they become (the metrics route), their Kafka Connect names (the local Prometheus
 * endpoint) and their CloudWatch names (embedded metric format on AWS, GetMetricData behind
 * the metrics route).
 */

export const METRICS_NAMESPACE = 'Tributary';

export type ConnectorKind = 'source' | 'sink';

/** What a runner counts per task: counters only grow; `commitMaxMs` is the largest commit since the last report. */
export interface TaskFigures {
  /** Source: records polled from the task; sink: records read from Kafka. */
  readonly recordsIn: number;
  /** Source: records written to Kafka; sink: records handed to the task's put. */
  readonly recordsOut: number;
  /** Records that hit an error (tolerated or not): Connect's total-record-errors. */
  readonly errors: number;
  /** Records whose error was not tolerated: Connect's total-record-failures. */
  readonly failures: number;
  /** Records sent to the dead letter queue: Connect's deadletterqueue-produce-requests. */
  readonly dlq: number;
  readonly commitCount: number;
  readonly commitTotalMs: number;
  readonly commitMaxMs: number;
}

export type CounterFigure = 'recordsIn' | 'recordsOut' | 'errors' | 'failures' | 'dlq';

/** A sink's consumer lag on one partition: the end offset minus the position handed to the task. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** One runner's report of one task: figures since its previous report, the lag as it stands. */
export interface TaskSample {
  readonly connector: string;
  readonly task: number;
  readonly kind: ConnectorKind;
  /** Epoch millis of the report. */
  readonly at: number;
  readonly figures: TaskFigures;
  readonly lag: readonly PartitionLag[];
}

export const ZERO_FIGURES: TaskFigures = { recordsIn: 0, recordsOut: 0, errors: 0, failures: 0, dlq: 0, commitCount: 0, commitTotalMs: 0, commitMaxMs: 0 };

/** The series the metrics route serves (and the console charts). */
export const CHART_METRICS = ['records-in-rate', 'records-out-rate', 'errors', 'dlq-records', 'batch-latency-ms', 'consumer-lag'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

/** The chart series fed by each counter, and whether it is shown per second. */
export const CHART_COUNTERS: readonly { metric: ChartMetric; figure: CounterFigure; rate: boolean }[] = [
  { metric: 'records-in-rate', figure: 'recordsIn', rate: true },
  { metric: 'records-out-rate', figure: 'recordsOut', rate: true },
  { metric: 'errors', figure: 'errors', rate: false },
  { metric: 'dlq-records', figure: 'dlq', rate: false },
];

/**
 * CloudWatch metric names the runners emit (dimensions Connector and Task; ConsumerLag adds
 * Topic and Partition), with the statistic the metrics route reads back.
 */
export const CLOUDWATCH_METRICS: Readonly<Record<ChartMetric, { name: string; unit: 'Count' | 'Milliseconds'; stat: 'Sum' | 'Average' | 'Maximum' }>> = {
  'records-in-rate': { name: 'RecordsIn', unit: 'Count', stat: 'Sum' },
  'records-out-rate': { name: 'RecordsOut', unit: 'Count', stat: 'Sum' },
  errors: { name: 'RecordErrors', unit: 'Count', stat: 'Sum' },
  'dlq-records': { name: 'DeadLetterQueueRecords', unit: 'Count', stat: 'Sum' },
  'batch-latency-ms': { name: 'CommitTime', unit: 'Milliseconds', stat: 'Average' },
  'consumer-lag': { name: 'ConsumerLag', unit: 'Count', stat: 'Maximum' },
};
/** Emitted beside the chart metrics, for alarms rather than charts. */
export const CLOUDWATCH_RECORD_FAILURES = 'RecordFailures';

/** Kafka Connect's MBean groups, rendered as the JMX exporter's usual rules do: `kafka_connect_<group>_<attribute>`. */
const PROM_PREFIX = 'kafka_connect';
const group = (g: string) => `${PROM_PREFIX}_${g.replaceAll('-', '_')}`;
const promName = (g: string, attribute: string) => `${group(g)}_${attribute.replaceAll('-', '_')}`;

export interface PromCounterName {
  readonly name: string;
  readonly help: string;
  readonly figure: CounterFigure;
}

/** Connect's per-task counters, by connector kind; each `-total` has its `-rate` beside it. */
export const PROM_COUNTERS: Readonly<Record<ConnectorKind, readonly (PromCounterName & { rate?: string })[]>> = {
  source: [
    { name: promName('source-task-metrics', 'source-record-poll-total'), rate: promName('source-task-metrics', 'source-record-poll-rate'), help: 'Records polled from the source task', figure: 'recordsIn' },
    { name: promName('source-task-metrics', 'source-record-write-total'), rate: promName('source-task-metrics', 'source-record-write-rate'), help: 'Records written to Kafka', figure: 'recordsOut' },
  ],
  sink: [
    { name: promName('sink-task-metrics', 'sink-record-read-total'), rate: promName('sink-task-metrics', 'sink-record-read-rate'), help: 'Records read from Kafka', figure: 'recordsIn' },
    { name: promName('sink-task-metrics', 'sink-record-send-total'), rate: promName('sink-task-metrics', 'sink-record-send-rate'), help: 'Records handed to the sink task', figure: 'recordsOut' },
  ],
};

/** Connect's task-error-metrics, for both kinds. */
export const PROM_ERROR_COUNTERS: readonly PromCounterName[] = [
  { name: promName('task-error-metrics', 'total-record-errors'), help: 'Records that hit an error', figure: 'errors' },
  { name: promName('task-error-metrics', 'total-record-failures'), help: 'Records whose error was not tolerated', figure: 'failures' },
  { name: promName('task-error-metrics', 'deadletterqueue-produce-requests'), help: 'Records sent to the dead letter queue', figure: 'dlq' },
];

export const PROM_GAUGES = {
  commitAvg: { name: promName('connector-task-metrics', 'offset-commit-avg-time-ms'), help: 'Average offset commit time over the last minute' },
  commitMax: { name: promName('connector-task-metrics', 'offset-commit-max-time-ms'), help: 'Largest offset commit time over the last minute' },
  /** Connect's `status` attributes, as the JMX exporter's usual rules render them: 1 labelled with the current state. */
  connectorStatus: { name: `${PROM_PREFIX}_connector_status`, help: 'Connector state: 1, labelled with the current one' },
  taskStatus: { name: `${PROM_PREFIX}_connector_task_status`, help: 'Task state: 1, labelled with the current one' },
  /** No Connect name: the consumer client's records-lag, per task and partition. */
  sinkLag: { name: promName('sink-task-metrics', 'records-lag'), help: 'End offset minus the position handed to the sink task' },
} as const;
