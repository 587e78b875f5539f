/**
 * The S3 sink task (io.confluent.connect.s3.S3SinkTask): records go to one writer per Kafka
 * partition, which uploads objects as they rotate; `preCommit` lets the runtime commit only
 * up to the first record not yet in an uploaded object.
 */
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { PartitionOffsets, Props, SinkTask, SinkTaskContext, TopicPartition } from '../../plugins/plugin-types.ts';
import { createFormat, type S3Format } from './s3-formats.ts';
import { createPartitioner, type Partitioner } from './s3-partitioner.ts';
import { parseS3SinkSettings, type S3SinkSettings } from './s3-sink-config.ts';
import { S3Storage } from './s3-storage.ts';
import { S3_CONNECTOR_VERSION } from './s3-version.ts';
import { TopicPartitionWriter, type PendingObject } from './topic-partition-writer.ts';

const tpKey = (topic: string, partition: number) => `${topic}:${partition}`;

const CONTENT_TYPES: Record<S3SinkSettings['format'], string> = {
  json: 'application/json',
  bytearray: 'application/octet-stream',
  parquet: 'application/vnd.apache.parquet',
  avro: 'application/avro',
};

export class S3SinkTask implements SinkTask {
  private settings!: S3SinkSettings;
  private storage!: S3Storage;
  private format!: S3Format;
  private partitioner!: Partitioner;
  private readonly writers = new Map<string, TopicPartitionWriter>();

  version(): string {
    return S3_CONNECTOR_VERSION;
  }

  async start(props: Props, _context: SinkTaskContext): Promise<void> {
    this.settings = parseS3SinkSettings(props);
    this.storage = await S3Storage.open(this.settings);
    this.format = await createFormat(this.settings);
    this.partitioner = createPartitioner(this.settings);
  }

  open(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.writer(tp.topic, tp.partition);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const byPartition = new Map<string, SinkRecord[]>();
    for (const r of records) {
      const k = tpKey(r.topic, r.kafkaPartition);
      let list = byPartition.get(k);
      if (!list) byPartition.set(k, (list = []));
      list.push(r);
    }
    for (const list of byPartition.values()) {
      const first = list[0] as SinkRecord;
      await this.writer(first.topic, first.kafkaPartition).write(list);
    }
  }

  async preCommit(offsets: PartitionOffsets): Promise<PartitionOffsets> {
    const out: PartitionOffsets = new Map();
    for (const [k, o] of offsets) {
      const w = this.writers.get(k);
      if (!w) {
        out.set(k, o);
        continue;
      }
      await w.onCommit();
      out.set(k, { ...o, offset: w.safeOffset(o.offset) });
    }
    return out;
  }

  close(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      this.writers.get(tpKey(tp.topic, tp.partition))?.close();
      this.writers.delete(tpKey(tp.topic, tp.partition));
    }
  }

  stop(): void {
    for (const w of this.writers.values()) w.close();
    this.writers.clear();
    this.storage?.close();
  }

  private writer(topic: string, partition: number): TopicPartitionWriter {
    const k = tpKey(topic, partition);
    let w = this.writers.get(k);
    if (!w) {
      w = new TopicPartitionWriter(topic, partition, this.settings, this.format, this.partitioner, (objects) => this.upload(objects));
      this.writers.set(k, w);
    }
    return w;
  }

  private async upload(objects: readonly PendingObject[]): Promise<void> {
    const type = CONTENT_TYPES[this.settings.format];
    try {
      for (const o of objects) await this.storage.put(o.key, o.body, type);
    } catch (e) {
      if ((e as { retriable?: boolean }).retriable) await new Promise((r) => setTimeout(r, this.settings.retryBackoffMs));
      throw e;
    }
  }
}
