/**
 * The local host's `GET /metrics`: Kafka Connect's task metrics in Prometheus' text format,
 * named as the JMX exporter's usual rules render Connect's MBeans
 * (`kafka_connect_source_task_metrics_source_record_poll_total{connector="x",task="0"}`),
 * and the connector and task states as Connect's status gauges. The values are read from the
 * host's metrics history and the connector store at each scrape.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { PROM_COUNTERS, PROM_ERROR_COUNTERS, PROM_GAUGES, type ConnectorKind } from '../lib/observability/metric-catalog.ts';
import type { MetricsHistory, TaskTotals } from './metrics-history.ts';

/** A connector's state and its tasks' states, as its status endpoint shows them. */
export interface ConnectorStatus {
  readonly name: string;
  readonly type: string;
  readonly state: string;
  readonly tasks: readonly { id: number; state: string }[];
}

export interface PrometheusExporter {
  readonly contentType: string;
  render(): Promise<string>;
}

const TASK_LABELS = ['connector', 'task'] as const;

export function createPrometheusExporter(history: MetricsHistory, statuses: () => Promise<ConnectorStatus[]>): PrometheusExporter {
  const registry = new Registry();
  let tasks: TaskTotals[] = [];
  let states: ConnectorStatus[] = [];
  const labels = (t: TaskTotals) => ({ connector: t.connector, task: String(t.task) });
  const ofKind = (kind: ConnectorKind) => tasks.filter((t) => t.kind === kind);

  /** A counter or gauge per task, read at each scrape from the tasks `of` gives; no sample where `value` has none. */
  const perTask = (type: 'counter' | 'gauge', spec: { name: string; help: string }, of: () => readonly TaskTotals[], value: (t: TaskTotals) => number | undefined) => {
    const config = { name: spec.name, help: spec.help, labelNames: TASK_LABELS, registers: [registry] };
    const samples = () =>
      of().flatMap((t) => {
        const v = value(t);
        return v === undefined ? [] : [[labels(t), v] as const];
      });
    if (type === 'counter') {
      new Counter({
        ...config,
        collect() {
          this.reset();
          for (const [l, v] of samples()) this.inc(l, v);
        },
      });
    } else {
      new Gauge({
        ...config,
        collect() {
          this.reset();
          for (const [l, v] of samples()) this.set(l, v);
        },
      });
    }
  };
  for (const kind of ['source', 'sink'] as const) {
    for (const c of PROM_COUNTERS[kind]) {
      perTask('counter', c, () => ofKind(kind), (t) => t.totals[c.figure]);
      if (c.rate) perTask('gauge', { name: c.rate, help: `${c.help}, per second over the last minute` }, () => ofKind(kind), (t) => t.rates[c.figure]);
    }
  }
  for (const c of PROM_ERROR_COUNTERS) perTask('counter', c, () => tasks, (t) => t.totals[c.figure]);
  perTask('gauge', PROM_GAUGES.commitAvg, () => tasks, (t) => t.commitAvgMs);
  perTask('gauge', PROM_GAUGES.commitMax, () => tasks, (t) => t.commitMaxMs);
  new Gauge({
    name: PROM_GAUGES.sinkLag.name,
    help: PROM_GAUGES.sinkLag.help,
    labelNames: [...TASK_LABELS, 'topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of ofKind('sink')) for (const l of t.lag) this.set({ ...labels(t), topic: l.topic, partition: String(l.partition) }, l.lag);
    },
  });
  new Gauge({
    name: PROM_GAUGES.connectorStatus.name,
    help: PROM_GAUGES.connectorStatus.help,
    labelNames: ['connector', 'type', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of states) this.set({ connector: s.name, type: s.type, status: s.state.toLowerCase() }, 1);
    },
  });
  new Gauge({
    name: PROM_GAUGES.taskStatus.name,
    help: PROM_GAUGES.taskStatus.help,
    labelNames: [...TASK_LABELS, 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of states) for (const t of s.tasks) this.set({ connector: s.name, task: String(t.id), status: t.state.toLowerCase() }, 1);
    },
  });

  return {
    contentType: registry.contentType,
    async render() {
      // One read of each source per scrape; the collect callbacks above use it.
      [tasks, states] = [history.totals(), await statuses()];
      return registry.metrics();
    },
  };
}
