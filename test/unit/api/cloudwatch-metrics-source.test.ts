/**
 * The metrics route's CloudWatch source with a mocked client: the GetMetricData request it
 * builds (search expressions over the runners' EMF names, labels, range and period) and how
 * the results become chart series (per-second rates, dense steps, lag per partition, pages).
 */
import type { GetMetricDataCommand, GetMetricDataCommandOutput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { buildMetricDataQuery, CloudWatchMetricsSource, cloudWatchStep, mapMetricData } from '../../../lib/api/cloudwatch-metrics-source.ts';
import { CHART_METRICS } from '../../../lib/observability/metric-catalog.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 30);
const MIN = 60_000;
const lastStep = Math.floor(NOW / MIN) * MIN;

describe('the GetMetricData request', () => {
  const q = buildMetricDataQuery({ connector: 'orders-sink', range: '15m', now: NOW });

  it('asks one search per chart metric, by the names the runners emit, for this connector only', () => {
    expect(q.MetricDataQueries?.map((m) => m.Id)).toEqual(CHART_METRICS.map((_, i) => `m${i}`));
    const expr = q.MetricDataQueries?.map((m) => m.Expression) ?? [];
    expect(expr[0]).toBe(`SEARCH('{Tributary,Connector,Task} MetricName="RecordsIn" Connector="orders-sink"', 'Sum', 60)`);
    expect(expr[1]).toContain('MetricName="RecordsOut"');
    expect(expr[2]).toContain('MetricName="RecordErrors"');
    expect(expr[3]).toContain('MetricName="DeadLetterQueueRecords"');
    expect(expr[4]).toBe(`SEARCH('{Tributary,Connector,Task} MetricName="CommitTime" Connector="orders-sink"', 'Average', 60)`);
    expect(expr[5]).toBe(`SEARCH('{Tributary,Connector,Partition,Task,Topic} MetricName="ConsumerLag" Connector="orders-sink"', 'Maximum', 60)`);
    expect(q.MetricDataQueries?.every((m) => m.ReturnData)).toBe(true);
  });

  it('labels each result with its task, topic, partition and connector', () => {
    expect(q.MetricDataQueries?.[0]?.Label).toBe("${PROP('Dim.Task')}|||${PROP('Dim.Connector')}");
    expect(q.MetricDataQueries?.[5]?.Label).toBe("${PROP('Dim.Task')}|${PROP('Dim.Topic')}|${PROP('Dim.Partition')}|${PROP('Dim.Connector')}");
  });

  it('covers the range in steps CloudWatch keeps (a minute at least), oldest first', () => {
    expect(cloudWatchStep('15m')).toBe(60);
    expect(cloudWatchStep('24h')).toBe(300);
    expect(q.StartTime?.getTime()).toBe(lastStep - 14 * MIN);
    expect(q.EndTime?.getTime()).toBe(lastStep + MIN);
    expect(q.ScanBy).toBe('TimestampAscending');
    const day = buildMetricDataQuery({ connector: 'c', range: '24h', now: NOW });
    expect(day.MetricDataQueries?.[0]?.Expression).toContain("'Sum', 300)");
  });

  it('escapes quotes and backslashes in the connector name', () => {
    const odd = buildMetricDataQuery({ connector: `a"b\\c'd`, range: '1h', now: NOW });
    expect(odd.MetricDataQueries?.[0]?.Expression).toBe(`SEARCH('{Tributary,Connector,Task} MetricName="RecordsIn" Connector="a\\"b\\\\c\\'d"', 'Sum', 60)`);
  });
});

describe('the chart series from the results', () => {
  const q = { connector: 'orders-sink', range: '15m' as const, now: NOW };
  const result = (id: string, label: string, points: [number, number][]): MetricDataResult => ({
    Id: id,
    Label: label,
    Timestamps: points.map(([t]) => new Date(t)),
    Values: points.map(([, v]) => v),
  });

  it('turns sums into rates per second on every step, zero where nothing was counted', () => {
    const series = mapMetricData(q, [result('m0', '0|||orders-sink', [[lastStep - MIN, 600]])]);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ metric: 'records-in-rate', task: 0 });
    expect(series[0]?.points).toHaveLength(15);
    expect(series[0]?.points.at(-2)).toEqual([lastStep - MIN, 10]);
    expect(series[0]?.points.at(-1)).toEqual([lastStep, 0]);
  });

  it('keeps error and DLQ counts as counts, latency and lag as measured, the lag per partition', () => {
    const series = mapMetricData(q, [
      result('m5', '1|orders|3|orders-sink', [[lastStep, 42]]),
      result('m2', '1|||orders-sink', [[lastStep, 7]]),
      result('m4', '1|||orders-sink', [[lastStep - MIN, 12.5]]),
    ]);
    expect(series.map((s) => s.metric)).toEqual(['errors', 'batch-latency-ms', 'consumer-lag']);
    expect(series[0]?.points.at(-1)).toEqual([lastStep, 7]);
    expect(series[1]?.points).toEqual([[lastStep - MIN, 12.5]]);
    expect(series[2]).toEqual({ metric: 'consumer-lag', task: 1, topic: 'orders', partition: 3, points: [[lastStep, 42]] });
  });

  it('drops series of another connector that the search matched by a word', () => {
    const series = mapMetricData(q, [result('m0', '0|||orders-sink-2', [[lastStep, 60]]), result('m0', '0|||orders-sink', [[lastStep, 120]])]);
    expect(series).toHaveLength(1);
    expect(series[0]?.points.at(-1)).toEqual([lastStep, 2]);
  });

  it('reads every page and merges a series split across them', async () => {
    const sent: GetMetricDataCommand[] = [];
    const pages: GetMetricDataCommandOutput[] = [
      { MetricDataResults: [result('m1', '0|||orders-sink', [[lastStep - MIN, 60]])], NextToken: 'next', $metadata: {} },
      { MetricDataResults: [result('m1', '0|||orders-sink', [[lastStep, 120]])], $metadata: {} },
    ];
    const source = new CloudWatchMetricsSource({
      send: (c) => {
        sent.push(c);
        return Promise.resolve(pages[sent.length - 1] as GetMetricDataCommandOutput);
      },
    });
    const out = await source.connectorSeries(q);
    expect(sent.map((c) => c.input.NextToken)).toEqual([undefined, 'next']);
    expect(sent[0]?.input.MetricDataQueries).toHaveLength(CHART_METRICS.length);
    expect(out.stepSeconds).toBe(60);
    expect(out.series).toHaveLength(1);
    expect(out.series[0]?.points.slice(-2)).toEqual([
      [lastStep - MIN, 1],
      [lastStep, 2],
    ]);
  });
});
