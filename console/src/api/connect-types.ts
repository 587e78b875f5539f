/** The Kafka Connect REST bodies the console reads (Tributary returns Connect's shapes). */

export interface RestartHistory {
  restarts: string[];
  infrastructure_restarts: string[];
  last_restart: string | null;
}

export interface InstanceStatus {
  state: string;
  worker_id: string;
  version?: string | null;
  trace?: string;
  /** Tributary's extension: what the automatic restart policy did to this task in the last hour. */
  tributary?: RestartHistory;
}

export interface ConnectorStatus {
  name: string;
  connector: InstanceStatus;
  tasks: (InstanceStatus & { id: number })[];
  type: string;
}

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type: string;
}

export type ExpandedConnectors = Record<string, { status?: ConnectorStatus; info?: ConnectorInfo }>;

export interface PluginInfo {
  class: string;
  type: string;
  version: string | null;
}

export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  order: number;
  display_name: string;
}

export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: { definition: ConfigKeyInfo; value: { name: string; value: string | null; errors: string[]; visible: boolean } }[];
}

export interface ConnectorOffsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
}

export type MetricName = 'records-in-rate' | 'records-out-rate' | 'errors' | 'dlq-records' | 'batch-latency-ms' | 'consumer-lag';

export interface MetricSeries {
  metric: MetricName;
  task: number | null;
  topic?: string;
  partition?: number;
  points: [number, number][];
}

export interface ConnectorMetrics {
  connector: string;
  range: string;
  stepSeconds: number;
  series: MetricSeries[];
}
