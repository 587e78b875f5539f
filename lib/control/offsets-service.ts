/**
 * Reading and altering a connector's offsets (GET / PATCH / DELETE /connectors/{name}/offsets):
 * source offsets in the offsets topic, sink offsets as group `connect-<name>`'s commits.
 */
import type { KafkaPort } from '../kafka/kafka-port.ts';
import { DEFAULT_OFFSETS_TOPIC, SourceOffsetStore } from '../runtime/source-offset-store.ts';
import { sinkGroupId } from '../runtime/sink-task-worker.ts';
import type { DynamoConnectorStore } from '../store/dynamo-connector-store.ts';
import type { ConnectorRecord } from '../store/store-model.ts';
import { BadRequestError, NotFoundError } from './control-errors.ts';

export interface OffsetEntry {
  readonly partition: Record<string, unknown>;
  readonly offset: Record<string, unknown> | null;
}

export class OffsetsService {
  constructor(private readonly deps: { store: DynamoConnectorStore; kafka: KafkaPort }) {}

  async get(name: string): Promise<{ offsets: OffsetEntry[] }> {
    const c = await this.connector(name);
    if (c.type === 'sink') {
      const admin = await this.deps.kafka.admin();
      try {
        const topics = await this.sinkTopics(c, admin.listTopics.bind(admin));
        const committed = topics.length ? await admin.committedOffsets(sinkGroupId(name), topics) : [];
        return {
          offsets: committed
            .filter((o) => o.offset >= 0)
            .map((o) => ({ partition: { kafka_topic: o.topic, kafka_partition: o.partition }, offset: { kafka_offset: o.offset } })),
        };
      } finally {
        await admin.close();
      }
    }
    const store = await this.sourceStore(c);
    return { offsets: store.all().map((e) => ({ partition: { ...e.partition }, offset: { ...e.offset } })) };
  }

  async alter(name: string, offsets: readonly OffsetEntry[]): Promise<{ message: string }> {
    const c = await this.stopped(name);
    if (c.type === 'sink') {
      const commits = offsets.map((o) => sinkOffset(o));
      const admin = await this.deps.kafka.admin();
      try {
        const resolved = [];
        for (const o of commits) {
          if (o.offset !== null) resolved.push({ topic: o.topic, partition: o.partition, offset: o.offset });
          else {
            // Kafka's OffsetDelete is not in kafkajs: a reset partition restarts from the earliest offset, as a fresh group would.
            const w = (await admin.watermarks(o.topic)).find((x) => x.partition === o.partition);
            resolved.push({ topic: o.topic, partition: o.partition, offset: w?.low ?? 0 });
          }
        }
        await admin.commitOffsets(sinkGroupId(name), resolved);
      } finally {
        await admin.close();
      }
      return { message: 'The offsets for this connector have been altered successfully' };
    }
    for (const o of offsets) {
      if (typeof o.partition !== 'object' || o.partition === null) throw new BadRequestError('Source partitions must be JSON objects');
    }
    await this.writeSource(c, offsets);
    return {
      message:
        'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.',
    };
  }

  async reset(name: string): Promise<{ message: string }> {
    const c = await this.stopped(name);
    if (c.type === 'sink') {
      const admin = await this.deps.kafka.admin();
      try {
        await admin.deleteGroup(sinkGroupId(name));
      } finally {
        await admin.close();
      }
      return { message: 'The offsets for this connector have been reset successfully' };
    }
    const store = await this.sourceStore(c);
    await this.writeSource(c, store.all().map((e) => ({ partition: e.partition, offset: null })), store);
    return {
      message:
        'The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.',
    };
  }

  private async writeSource(c: ConnectorRecord, offsets: readonly OffsetEntry[], loaded?: SourceOffsetStore): Promise<void> {
    const store = loaded ?? (await this.sourceStore(c));
    const producer = await this.deps.kafka.producer();
    try {
      await store.write((r) => producer.send(r), offsets.map((o) => ({ partition: o.partition, offset: o.offset })));
    } finally {
      await producer.close();
    }
  }

  private async sourceStore(c: ConnectorRecord): Promise<SourceOffsetStore> {
    const topic = c.config['offsets.storage.topic'] || DEFAULT_OFFSETS_TOPIC;
    await SourceOffsetStore.ensureTopic(this.deps.kafka, topic);
    const store = new SourceOffsetStore(this.deps, c.name, topic, 'api');
    await store.load();
    return store;
  }

  private async sinkTopics(c: ConnectorRecord, listTopics: () => Promise<string[]>): Promise<string[]> {
    if (c.config['topics.regex']) {
      const re = new RegExp(`^(?:${c.config['topics.regex']})$`);
      return (await listTopics()).filter((t) => re.test(t));
    }
    const existing = new Set(await listTopics());
    return (c.config.topics ?? '').split(',').map((t) => t.trim()).filter((t) => t && existing.has(t));
  }

  private async connector(name: string): Promise<ConnectorRecord> {
    const c = await this.deps.store.getConnector(name);
    if (!c) throw new NotFoundError(`Connector ${name} not found`);
    return c;
  }

  private async stopped(name: string): Promise<ConnectorRecord> {
    const c = await this.connector(name);
    if (c.targetState !== 'STOPPED') {
      throw new BadRequestError(
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return c;
  }
}

function sinkOffset(o: OffsetEntry): { topic: string; partition: number; offset: number | null } {
  const topic = o.partition.kafka_topic;
  const partition = o.partition.kafka_partition;
  if (typeof topic !== 'string' || topic === '') throw new BadRequestError('Failed to alter consumer group offsets: partition key kafka_topic must be a non-empty string');
  if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0) throw new BadRequestError('Failed to alter consumer group offsets: partition key kafka_partition must be a non-negative integer');
  if (o.offset === null) return { topic, partition, offset: null };
  const offset = o.offset.kafka_offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new BadRequestError('Failed to alter consumer group offsets: offset key kafka_offset must be a non-negative integer');
  return { topic, partition, offset };
}
