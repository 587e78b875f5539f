/**
 * The local host's metrics history with a fixed clock: totals and one-minute rates for the
 * Prometheus endpoint, chart series per range from 10-second and one-minute buckets, memory
 * bounded to a day per task, and a deleted connector forgotten.
 */
import { describe, expect, it } from 'vitest';
import { MAX_LAG_PARTITIONS, MetricsHistory } from '../../../host/metrics-history.ts';
import { ZERO_FIGURES, type PartitionLag, type TaskFigures, type TaskSample } from '../../../lib/observability/metric-catalog.ts';

const T0 = Date.UTC(2026, 10, 30, 0, 0, 0);
const sample = (at: number, figures: Partial<TaskFigures>, lag: PartitionLag[] = [], connector = 'c', task = 0): TaskSample => ({
  connector,
  task,
  kind: lag.length ? 'sink' : 'source',
  at,
  figures: { ...ZERO_FIGURES, ...figures },
  lag,
});

describe('the metrics history', () => {
  it('adds up totals, and rates over the last full minute', () => {
    let now = T0;
    const h = new MetricsHistory(() => now);
    for (let s = 0; s < 60; s += 2) h.add(sample(T0 + s * 1000, { recordsIn: 20, recordsOut: 20, commitCount: 1, commitTotalMs: s, commitMaxMs: s }));
    now = T0 + 60_000;
    const [t] = h.totals();
    expect(t).toMatchObject({ connector: 'c', task: 0, kind: 'source', totals: { recordsIn: 600, recordsOut: 600, errors: 0 } });
    expect(t?.rates.recordsIn).toBe(10);
    expect(t?.commitMaxMs).toBe(58);
    expect(t?.commitAvgMs).toBe(29);
  });

  it('charts a range in its steps: rates per second, latency per commit, lag as last seen', async () => {
    const h = new MetricsHistory();
    const lag = (n: number) => [{ topic: 't', partition: 0, lag: n }];
    h.add(sample(T0 + 1000, { recordsIn: 100, commitCount: 2, commitTotalMs: 30 }, lag(50)));
    h.add(sample(T0 + 5000, { recordsIn: 100 }, lag(0)));
    h.add(sample(T0 + 12_000, { recordsIn: 50 }, lag(0)));
    const { stepSeconds, series } = await h.connectorSeries({ connector: 'c', range: '15m', now: T0 + 15_000 });
    expect(stepSeconds).toBe(10);
    const rate = series.find((s) => s.metric === 'records-in-rate');
    expect(rate?.points).toHaveLength(90);
    expect(rate?.points.slice(-2)).toEqual([
      [T0, 20],
      [T0 + 10_000, 5],
    ]);
    expect(series.find((s) => s.metric === 'batch-latency-ms')?.points).toEqual([[T0, 15]]);
    expect(series.find((s) => s.metric === 'consumer-lag')).toEqual({
      metric: 'consumer-lag',
      task: 0,
      topic: 't',
      partition: 0,
      points: [
        [T0, 0],
        [T0 + 10_000, 0],
      ],
    });
    const day = await h.connectorSeries({ connector: 'c', range: '24h', now: T0 + 15_000 });
    expect(day.stepSeconds).toBe(300);
    expect(day.series.find((s) => s.metric === 'records-in-rate')?.points.at(-1)).toEqual([T0, 250 / 300]);
  });

  it('keeps a day in one-minute buckets and an hour in 10-second ones, whatever runs longer', async () => {
    const h = new MetricsHistory();
    const end = T0 + 30 * 3_600_000;
    for (let at = T0; at <= end; at += 5000) h.add(sample(at, { recordsIn: 1 }));
    const internals = h as unknown as { connectors: Map<string, Map<number, { fine: unknown[]; coarse: unknown[] }>> };
    const task = internals.connectors.get('c')?.get(0);
    expect(task?.fine.length).toBeLessThanOrEqual(360);
    expect(task?.coarse.length).toBeLessThanOrEqual(1440);
    const day = await h.connectorSeries({ connector: 'c', range: '24h', now: end });
    const points = day.series.find((s) => s.metric === 'records-in-rate')?.points ?? [];
    expect(points).toHaveLength(288);
    // Full steps between the oldest (pruned in part) and the current one (begun).
    expect(points.slice(1, -1).every(([, v]) => v === 1 / 5)).toBe(true);
  });

  it('charts the lag of at most MAX_LAG_PARTITIONS partitions per task', async () => {
    const h = new MetricsHistory();
    const lag = Array.from({ length: MAX_LAG_PARTITIONS + 10 }, (_, p) => ({ topic: 't', partition: p, lag: p }));
    h.add(sample(T0, {}, lag));
    const { series } = await h.connectorSeries({ connector: 'c', range: '15m', now: T0 });
    expect(series.filter((s) => s.metric === 'consumer-lag')).toHaveLength(MAX_LAG_PARTITIONS);
  });

  it('forgets a dropped connector, and every connector but those still there', async () => {
    const h = new MetricsHistory();
    for (const c of ['a', 'b', 'c']) h.add(sample(T0, { recordsIn: 1 }, [], c));
    h.drop('a');
    h.keepOnly(['b']);
    expect(h.totals().map((t) => t.connector)).toEqual(['b']);
    expect((await h.connectorSeries({ connector: 'a', range: '1h', now: T0 })).series).toEqual([]);
  });
});
