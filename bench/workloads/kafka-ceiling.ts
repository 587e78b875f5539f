/**
 * Workload 7, the ceiling: Kafka's own ProducerPerformance and ConsumerPerformance (from the
 * same 4.1.1 jars) with the same record count and size, each run with the client defaults and
 * tuned for throughput; the better run counts. No connector can beat these on this broker and
 * machine; the throughput rows show them beside Tributary and Connect.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_BROKER, resolveJars } from '../../host/maven-resolver.ts';
import type { MetricSpec, Measurement } from '../support/bench-results.ts';
import type { WorkloadContext } from './workload.ts';

const run = promisify(execFile);
const group = '7. Ceiling (Kafka tools)';

export const CEILING_METRICS: readonly MetricSpec[] = [
  { key: 'ceiling.produce.records', group, name: 'ProducerPerformance (best of defaults and tuned, acks=all)', label: 'produce\nrecords/s', unit: 'records/s', better: 'higher' },
  { key: 'ceiling.produce.mb', group, name: 'ProducerPerformance (best of defaults and tuned, acks=all)', label: 'produce\nMB/s', unit: 'MB/s', better: 'higher' },
  { key: 'ceiling.consume.records', group, name: 'ConsumerPerformance (best of defaults and tuned)', label: 'consume\nrecords/s', unit: 'records/s', better: 'higher' },
  { key: 'ceiling.consume.mb', group, name: 'ConsumerPerformance (best of defaults and tuned)', label: 'consume\nMB/s', unit: 'MB/s', better: 'higher' },
];

/** Producer settings tuned for throughput (acks=all kept: what a connector's producer must do). */
export const TUNED_PRODUCER = { acks: 'all', 'batch.size': '1048576', 'linger.ms': '20', 'buffer.memory': '134217728' } as const;
/** Consumer settings tuned for throughput. */
export const TUNED_CONSUMER = { 'fetch.min.bytes': '1048576', 'fetch.max.wait.ms': '100', 'max.partition.fetch.bytes': '8388608', 'fetch.max.bytes': '67108864', 'max.poll.records': '10000' } as const;

export async function measureCeiling(ctx: Omit<WorkloadContext, 'workDir'>): Promise<Measurement> {
  const { records, recordSize } = ctx.options;
  const classpath = `${await resolveJars(KAFKA_BROKER, ctx.log)}/*`;
  const java = (mainClass: string, args: string[]) =>
    run('java', ['-Xmx512m', '-cp', classpath, mainClass, ...args], { maxBuffer: 16 * 1024 * 1024, timeout: ctx.options.timeoutSeconds * 1000 });
  const props = (o: Readonly<Record<string, string>>) => Object.entries(o).map(([k, v]) => `${k}=${v}`);

  const once = async (tuned: boolean) => {
    const topic = await ctx.kafka.createTopic('bench-ceiling');
    try {
      // Defaults are what a connector's producer has (acks=all since Kafka 3.0).
      const produced = await java('org.apache.kafka.tools.ProducerPerformance', [
        '--topic', topic, '--num-records', String(records), '--record-size', String(recordSize), '--throughput', '-1',
        '--producer-props', `bootstrap.servers=${ctx.kafka.bootstrapServers}`, ...(tuned ? props(TUNED_PRODUCER) : []),
      ]);
      // "1000000 records sent, 523560.2 records/sec (49.93 MB/sec), 420.63 ms avg latency, ..."
      const p = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(produced.stdout.trim().split('\n').pop() ?? '');
      if (!p) throw new Error(`Unexpected ProducerPerformance output: ${produced.stdout.slice(-500)}`);
      const consumerConfig = join(ctx.inputs.dir, `ceiling-consumer-${tuned ? 'tuned' : 'defaults'}.properties`);
      writeFileSync(consumerConfig, tuned ? `${props(TUNED_CONSUMER).join('\n')}\n` : '');
      const consumed = await java('org.apache.kafka.tools.ConsumerPerformance', [
        '--bootstrap-server', ctx.kafka.bootstrapServers, '--topic', topic, '--messages', String(records), '--timeout', '60000', '--consumer.config', consumerConfig,
      ]);
      // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
      const row = consumed.stdout.trim().split('\n').pop()?.split(',').map((c) => c.trim()) ?? [];
      const [mbSec, nMsgSec, rebalanceMs] = [Number(row[3]), Number(row[5]), Number(row[6])];
      if (!Number.isFinite(nMsgSec)) throw new Error(`Unexpected ConsumerPerformance output: ${consumed.stdout.slice(-500)}`);
      return { produceRecords: Number(p[2]), produceMb: Number(p[3]), consumeRecords: nMsgSec, consumeMb: mbSec, producer: produced.stdout.trim().split('\n').pop(), consumerRebalanceMs: rebalanceMs };
    } finally {
      await ctx.kafka.deleteTopics([topic]);
    }
  };
  const defaults = await once(false);
  const tuned = await once(true);
  const produce = tuned.produceRecords >= defaults.produceRecords ? tuned : defaults;
  const consume = tuned.consumeRecords >= defaults.consumeRecords ? tuned : defaults;
  return {
    values: {
      'ceiling.produce.records': produce.produceRecords,
      'ceiling.produce.mb': produce.produceMb,
      'ceiling.consume.records': consume.consumeRecords,
      'ceiling.consume.mb': consume.consumeMb,
    },
    detail: { defaults, tuned: { ...tuned, producerSettings: TUNED_PRODUCER, consumerSettings: TUNED_CONSUMER } },
  };
}
