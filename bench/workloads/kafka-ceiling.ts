/**
 * Workload 7, the ceiling: Kafka's own ProducerPerformance and ConsumerPerformance (from the
 * same 4.1.1 jars) with the same record count and size. No connector can beat these on this
 * broker and machine; the throughput rows show them beside Tributary and Connect.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KAFKA_BROKER, resolveJars } from '../../host/maven-resolver.ts';
import type { MetricSpec, Measurement } from '../support/bench-results.ts';
import type { WorkloadContext } from './workload.ts';

const run = promisify(execFile);
const group = '7. Ceiling (Kafka tools)';

export const CEILING_METRICS: readonly MetricSpec[] = [
  { key: 'ceiling.produce.records', group, name: 'ProducerPerformance', label: 'produce\nrecords/s', unit: 'records/s', better: 'higher' },
  { key: 'ceiling.produce.mb', group, name: 'ProducerPerformance', label: 'produce\nMB/s', unit: 'MB/s', better: 'higher' },
  { key: 'ceiling.consume.records', group, name: 'ConsumerPerformance', label: 'consume\nrecords/s', unit: 'records/s', better: 'higher' },
  { key: 'ceiling.consume.mb', group, name: 'ConsumerPerformance', label: 'consume\nMB/s', unit: 'MB/s', better: 'higher' },
];

export async function measureCeiling(ctx: Omit<WorkloadContext, 'workDir'>): Promise<Measurement> {
  const { records, recordSize } = ctx.options;
  const classpath = `${await resolveJars(KAFKA_BROKER, ctx.log)}/*`;
  const topic = await ctx.kafka.createTopic('bench-ceiling');
  const java = (mainClass: string, args: string[]) =>
    run('java', ['-Xmx512m', '-cp', classpath, mainClass, ...args], { maxBuffer: 16 * 1024 * 1024, timeout: ctx.options.timeoutSeconds * 1000 });
  try {
    // Producer defaults, as a connector's producer would have them (acks=all since Kafka 3.0).
    const produced = await java('org.apache.kafka.tools.ProducerPerformance', [
      '--topic', topic, '--num-records', String(records), '--record-size', String(recordSize), '--throughput', '-1',
      '--producer-props', `bootstrap.servers=${ctx.kafka.bootstrapServers}`,
    ]);
    // "1000000 records sent, 523560.2 records/sec (49.93 MB/sec), 420.63 ms avg latency, ..."
    const p = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(produced.stdout.trim().split('\n').pop() ?? '');
    if (!p) throw new Error(`Unexpected ProducerPerformance output: ${produced.stdout.slice(-500)}`);

    const consumed = await java('org.apache.kafka.tools.ConsumerPerformance', [
      '--bootstrap-server', ctx.kafka.bootstrapServers, '--topic', topic, '--messages', String(records), '--timeout', '60000',
    ]);
    // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    const row = consumed.stdout.trim().split('\n').pop()?.split(',').map((c) => c.trim()) ?? [];
    const [mbSec, nMsgSec, rebalanceMs] = [Number(row[3]), Number(row[5]), Number(row[6])];
    if (!Number.isFinite(nMsgSec)) throw new Error(`Unexpected ConsumerPerformance output: ${consumed.stdout.slice(-500)}`);
    return {
      values: {
        'ceiling.produce.records': Number(p[2]),
        'ceiling.produce.mb': Number(p[3]),
        'ceiling.consume.records': nMsgSec,
        'ceiling.consume.mb': mbSec,
      },
      detail: { producer: produced.stdout.trim().split('\n').pop(), consumerRebalanceMs: rebalanceMs },
    };
  } finally {
    await ctx.kafka.deleteTopics([topic]);
  }
}
