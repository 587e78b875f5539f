/**
 * The charts of one connector from `GET /tributary/metrics/connectors/{name}?range=`: records/s in
 * and out, errors and DLQ records, batch latency, consumer lag per partition; refreshed every 10 s.
 */
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api/connect-client.ts';
import type { MetricName, MetricSeries } from '../api/connect-types.ts';
import { MetricChart, type ChartLine } from './metric-chart.tsx';
import { useResource } from './use-resource.ts';

export const RANGES = ['15m', '1h', '6h', '24h'] as const;

function label(s: MetricSeries, withMetric: boolean): string {
  const where = s.topic !== undefined ? `${s.topic}-${s.partition ?? ''}` : s.task === null ? 'connector' : `task ${s.task}`;
  return withMetric ? `${s.metric.replace(/-rate$|-records$/, '')} ${where}` : where;
}

function lines(series: readonly MetricSeries[], metrics: readonly MetricName[]): ChartLine[] {
  const picked = series.filter((s) => metrics.includes(s.metric));
  return picked.map((s) => ({ label: label(s, metrics.length > 1), points: s.points }));
}

export function ConnectorCharts({ name }: { name: string }) {
  const [range, setRange] = useState<(typeof RANGES)[number]>('15m');
  const metrics = useResource(() => api.metrics(name, range), [name, range], 10_000);
  const series = metrics.data?.series;
  const stepMs = (metrics.data?.stepSeconds ?? 10) * 1000;
  const charts = useMemo(() => {
    const s = series ?? [];
    return {
      records: lines(s, ['records-in-rate', 'records-out-rate']),
      errors: lines(s, ['errors', 'dlq-records']),
      latency: lines(s, ['batch-latency-ms']),
      lag: lines(s, ['consumer-lag']),
    };
  }, [series]);
  const unavailable = metrics.error instanceof ApiError && metrics.error.status === 404;
  return (
    <section aria-labelledby="charts-title" class="charts">
      <div class="heading-row">
        <h2 id="charts-title">Throughput</h2>
        <fieldset class="ranges">
          <legend class="visually-hidden">Time range</legend>
          {RANGES.map((r) => (
            <label key={r}>
              <input type="radio" name="range" value={r} checked={range === r} onChange={() => setRange(r)} />
              {r}
            </label>
          ))}
        </fieldset>
      </div>
      {metrics.error && !unavailable ? <p class="error">{metrics.error.message}</p> : null}
      {unavailable ? <p class="muted">No metrics from this host yet.</p> : null}
      <div class="chart-grid">
        <MetricChart id="chart-records" title="Records per second" unit="rec/s" lines={charts.records} stepMs={stepMs} />
        <MetricChart id="chart-errors" title="Errors and dead-letter records" unit="records" lines={charts.errors} stepMs={stepMs} />
        <MetricChart id="chart-latency" title="Batch latency" unit="ms" lines={charts.latency} stepMs={stepMs} />
        <MetricChart id="chart-lag" title="Consumer lag per partition" unit="records" lines={charts.lag} stepMs={stepMs} />
      </div>
    </section>
  );
}
