/**
 * Avro workloads: the throughput workloads 1 and 2 again with `value.converter` set to a Schema
 * Registry Avro converter — Tributary's io.confluent.connect.avro.AvroConverter, and for Connect
 * Apicurio's AvroConverter in Confluent mode (the peer of the compatibility tests) — on the same
 * registry. The sink input is Avro written once by Tributary's converter, readable by both.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { AvroConverter } from '../../lib/converters/avro/avro-converter.ts';
import { Schemas } from '../../lib/plugins/connect-schema.ts';
import { avroConverterConfig } from '../../host/apicurio-avro-converter.ts';
import { uniqueName } from '../support/bench-names.ts';
import type { BenchTarget } from '../support/bench-target.ts';
import { createConnector, deleteConnector, waitForProgress } from '../support/connector-calls.ts';
import type { Workload, WorkloadContext } from './workload.ts';

function avroConverter(target: BenchTarget, ctx: WorkloadContext): Record<string, string> {
  const registry = ctx.schemaRegistry;
  if (!registry) throw new Error('The Avro workloads need the Schema Registry the benchmark starts');
  if (target.system === 'connect') return avroConverterConfig('value.converter', registry.apicurioUrl);
  return { 'value.converter': 'io.confluent.connect.avro.AvroConverter', 'value.converter.schema.registry.url': registry.url };
}

export const avroSourceThroughput: Workload = {
  id: 'avro-source',
  metrics: [
    { key: 'avro-source.records', group: '1b. Avro source throughput', name: 'FileStreamSource + AvroConverter, 1 task', label: 'records/s', unit: 'records/s', better: 'higher' },
  ],
  async run(target, ctx) {
    const n = ctx.options.records;
    const file = await ctx.inputs.source(n);
    const topic = await ctx.kafka.createTopic('bench-avro-source');
    const name = uniqueName('bench-avro-source');
    const started = performance.now();
    try {
      await createConnector(target, name, { 'connector.class': 'FileStreamSource', file, topic, 'tasks.max': '1', ...avroConverter(target, ctx) });
      let at = 0;
      const done = await waitForProgress(target, name, async () => (at = await ctx.kafka.endOffset(topic)) >= n, { deadline: ctx.deadline(), what: () => `${n} records in the topic (${at} so far)` });
      const seconds = (done - started) / 1000;
      return { values: { 'avro-source.records': n / seconds }, detail: { seconds, records: n } };
    } finally {
      await deleteConnector(target, name);
      await ctx.kafka.deleteTopics([topic]);
    }
  },
};

let avroInput: Promise<string> | undefined;

export const avroSinkThroughput: Workload = {
  id: 'avro-sink',
  metrics: [{ key: 'avro-sink.records', group: '2b. Avro sink throughput', name: 'FileStreamSink + AvroConverter, 1 task', label: 'records/s', unit: 'records/s', better: 'higher' }],
  async run(target, ctx) {
    const n = ctx.options.sinkRecords ?? ctx.options.records;
    const registry = ctx.schemaRegistry;
    if (!registry) throw new Error('The Avro workloads need the Schema Registry the benchmark starts');
    avroInput ??= (async () => {
      const topic = await ctx.kafka.createTopic('bench-avro-sink-input');
      const writer = new AvroConverter();
      writer.configure({ 'schema.registry.url': registry.url }, false);
      await writer.fromConnectData(topic, Schemas.STRING, ctx.inputs.line(0));
      await ctx.kafka.produce(topic, n, (i) => writer.fromConnectData(topic, Schemas.STRING, ctx.inputs.line(i)) as Buffer);
      return topic;
    })();
    const topic = await avroInput;
    const name = uniqueName('bench-avro-sink');
    const file = join(ctx.workDir, `${name}.txt`);
    let fd: number | undefined;
    let lines = 0;
    const buffer = Buffer.allocUnsafe(1 << 20);
    const count = (): number => {
      if (fd === undefined) {
        if (!existsSync(file)) return 0;
        fd = openSync(file, 'r');
      }
      for (let read = readSync(fd, buffer, 0, buffer.length, null); read > 0; read = readSync(fd, buffer, 0, buffer.length, null)) {
        for (let at = buffer.indexOf(0x0a); at !== -1 && at < read; at = buffer.indexOf(0x0a, at + 1)) lines++;
      }
      return lines;
    };
    const started = performance.now();
    try {
      await createConnector(target, name, { 'connector.class': 'FileStreamSink', file, topics: topic, 'tasks.max': '1', ...avroConverter(target, ctx) });
      const done = await waitForProgress(target, name, async () => count() >= n, { deadline: ctx.deadline(), intervalMs: 50, what: () => `${n} lines in the sink file (${lines} so far)` });
      const seconds = (done - started) / 1000;
      return { values: { 'avro-sink.records': n / seconds }, detail: { seconds, records: n } };
    } finally {
      if (fd !== undefined) closeSync(fd);
      await deleteConnector(target, name);
    }
  },
};
