/**
 * The runners' metric lines on AWS: embedded metric format through Powertools, with the
 * per-connector, per-task and dimensionless sets the alarms and the metrics route read, and a
 * line per partition for a sink's lag.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { publishSliceMetrics } from '../../../lib/observability/runner-metrics.ts';
import { TaskMeters } from '../../../lib/observability/task-meter.ts';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

describe('slice metrics in embedded metric format', () => {
  let lines: Emf[];
  beforeEach(() => {
    lines = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Emf);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.TRIBUTARY_METRICS;
  });

  it('publishes the task figures with the slice figures, per connector, per task and in aggregate', () => {
    const meters = new TaskMeters();
    const m = meters.forTask('orders', 2, 'sink');
    m.count('recordsIn', 500);
    m.count('recordsOut', 498);
    m.count('errors', 2);
    m.count('dlq', 2);
    m.commitTook(10);
    m.commitTook(30);
    m.setLag('orders', 0, 7);
    m.setLag('orders', 1, 0);
    publishSliceMetrics({ connector: 'orders', task: 2, records: 500, durationMs: 1234, failed: false, sample: meters.take('orders', 2) });
    expect(lines).toHaveLength(3);
    const [main, lag0, lag1] = lines as [Emf, Emf, Emf];
    const meta = main._aws.CloudWatchMetrics[0]!;
    expect(meta.Namespace).toBe('Tributary');
    expect(meta.Dimensions).toEqual([['Connector'], ['Connector', 'Task'], []]);
    expect(meta.Metrics.map((x) => x.Name)).toEqual(['RecordsProcessed', 'Heartbeat', 'TaskFailures', 'SliceDuration', 'RecordsIn', 'RecordsOut', 'RecordErrors', 'RecordFailures', 'DeadLetterQueueRecords', 'CommitTime']);
    expect(main).toMatchObject({ Connector: 'orders', Task: '2', RecordsProcessed: 500, RecordsIn: 500, RecordsOut: 498, RecordErrors: 2, RecordFailures: 0, DeadLetterQueueRecords: 2, CommitTime: 20, SliceDuration: 1234 });
    expect(main).not.toHaveProperty('service');
    expect(lag0._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Connector', 'Task', 'Topic', 'Partition']]);
    expect(lag0).toMatchObject({ Connector: 'orders', Task: '2', Topic: 'orders', Partition: '0', ConsumerLag: 7 });
    expect(lag1).toMatchObject({ Partition: '1', ConsumerLag: 0 });
  });

  it('counts from zero again after each take, and publishes no commit time without a commit', () => {
    const meters = new TaskMeters();
    meters.forTask('c', 0, 'source').count('recordsIn', 3);
    meters.take('c', 0);
    publishSliceMetrics({ connector: 'c', task: 0, records: 0, durationMs: 5, failed: true, sample: meters.take('c', 0) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ RecordsIn: 0, TaskFailures: 1 });
    expect(lines[0]).not.toHaveProperty('CommitTime');
  });

  it('publishes nothing when TRIBUTARY_METRICS=off', () => {
    process.env.TRIBUTARY_METRICS = 'off';
    publishSliceMetrics({ connector: 'c', task: 0, records: 1, durationMs: 1, failed: false });
    expect(lines).toHaveLength(0);
  });
});
