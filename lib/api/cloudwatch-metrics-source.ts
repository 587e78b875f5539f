/**
 * The metrics route on AWS: one GetMetricData call over the metrics the runners emit in
 * embedded metric format, a search expression per chart metric finding every task (and, for
 * the lag, every partition) of the connector. CloudWatch keeps the runners' metrics at a
 * one-minute resolution, so steps are a minute or coarser.
 */
import type { GetMetricDataCommandInput, GetMetricDataCommandOutput, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CHART_COUNTERS, CHART_METRICS, CLOUDWATCH_METRICS, METRICS_NAMESPACE, type ChartMetric } from '../observability/metric-catalog.ts';
import { densePoints, METRIC_RANGES, stepStarts, type ConnectorSeries, type MetricRange, type MetricSeries, type MetricsQuery, type MetricsSource } from './metrics-source.ts';

/** The part of the CloudWatch client this source uses. */
export interface GetMetricDataClient {
  send(command: GetMetricDataCommand): Promise<GetMetricDataCommandOutput>;
}

const MIN_PERIOD_SECONDS = 60;
/** Separates the dimension values in a series' label (Kafka topic names cannot hold it). */
const SEP = '|';

/** The step CloudWatch can answer a range with. */
export function cloudWatchStep(range: MetricRange): number {
  return Math.max(MIN_PERIOD_SECONDS, METRIC_RANGES[range].stepSeconds);
}

/** A value inside a search expression's double quotes. */
function quoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The query id of a chart metric (ids must start with a lower-case letter and hold no dashes). */
const queryId = (metric: ChartMetric) => `m${CHART_METRICS.indexOf(metric)}`;

/** The GetMetricData request for a connector's chart metrics over a range. */
export function buildMetricDataQuery(q: MetricsQuery): GetMetricDataCommandInput {
  const period = cloudWatchStep(q.range);
  const starts = stepStarts(q.range, q.now, period);
  const queries: MetricDataQuery[] = CHART_METRICS.map((metric) => {
    const cw = CLOUDWATCH_METRICS[metric];
    const lag = metric === 'consumer-lag';
    const schema = lag ? `{${METRICS_NAMESPACE},Connector,Partition,Task,Topic}` : `{${METRICS_NAMESPACE},Connector,Task}`;
    const search = `${schema} MetricName=${quoted(cw.name)} Connector=${quoted(q.connector)}`;
    return {
      Id: queryId(metric),
      Expression: `SEARCH('${search.replaceAll("'", "\\'")}', '${cw.stat}', ${period})`,
      // Task, topic, partition, then the connector (whose name may hold the separator), to check the match.
      Label: ["${PROP('Dim.Task')}", lag ? "${PROP('Dim.Topic')}" : '', lag ? "${PROP('Dim.Partition')}" : '', "${PROP('Dim.Connector')}"].join(SEP),
      ReturnData: true,
    };
  });
  return {
    MetricDataQueries: queries,
    StartTime: new Date(starts[0] ?? q.now),
    EndTime: new Date((starts.at(-1) ?? q.now) + period * 1000),
    ScanBy: 'TimestampAscending',
  };
}

/** Chart series from GetMetricData results: counters per second where the chart shows a rate, dense on the range's steps. */
export function mapMetricData(q: MetricsQuery, results: NonNullable<GetMetricDataCommandOutput['MetricDataResults']>): MetricSeries[] {
  const period = cloudWatchStep(q.range);
  const starts = stepStarts(q.range, q.now, period);
  const byId = new Map(CHART_METRICS.map((m) => [queryId(m), m]));
  const merged = new Map<string, { metric: ChartMetric; task: number | null; topic?: string; partition?: number; values: Map<number, number> }>();
  for (const r of results) {
    const metric = byId.get(r.Id ?? '');
    if (!metric) continue;
    const [task = '', topic, partition, ...rest] = (r.Label ?? '').split(SEP);
    // A search matches words of dimension values too: keep only the connector asked for.
    if (rest.join(SEP) !== q.connector) continue;
    const taskId = /^\d+$/.test(task) ? Number(task) : null;
    const key = `${metric}${SEP}${r.Label ?? ''}`;
    let s = merged.get(key);
    if (!s) {
      s = { metric, task: taskId, values: new Map() };
      if (metric === 'consumer-lag' && topic !== undefined && partition !== undefined && /^\d+$/.test(partition)) Object.assign(s, { topic, partition: Number(partition) });
      merged.set(key, s);
    }
    const times = r.Timestamps ?? [];
    const values = r.Values ?? [];
    for (let i = 0; i < times.length; i++) s.values.set((times[i] as Date).getTime(), values[i] ?? 0);
  }
  return [...merged.values()]
    .map(({ values, ...s }): MetricSeries => {
      const counter = CHART_COUNTERS.find((c) => c.metric === s.metric);
      if (!counter) return { ...s, points: [...values].sort(([a], [b]) => a - b) };
      const scaled = new Map([...values].map(([t, v]) => [t, counter.rate ? v / period : v]));
      return { ...s, points: densePoints(starts, scaled) };
    })
    .sort((a, b) => CHART_METRICS.indexOf(a.metric) - CHART_METRICS.indexOf(b.metric) || (a.task ?? -1) - (b.task ?? -1) || (a.partition ?? 0) - (b.partition ?? 0));
}

export class CloudWatchMetricsSource implements MetricsSource {
  constructor(private readonly client: GetMetricDataClient) {}

  async connectorSeries(q: MetricsQuery): Promise<ConnectorSeries> {
    const input = buildMetricDataQuery(q);
    const results: NonNullable<GetMetricDataCommandOutput['MetricDataResults']> = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(new GetMetricDataCommand({ ...input, NextToken: token }));
      results.push(...(out.MetricDataResults ?? []));
      token = out.NextToken;
    } while (token);
    return { stepSeconds: cloudWatchStep(q.range), series: mapMetricData(q, results) };
  }
}
