/**
 * The Kafka port on @platformatic/kafka, through its public API only: producers (idempotent
 * or transactional), group-less partition reads (Fetch requests over its connections, see
 * PlatformaticPartitionReader), and an admin client whose
 * offset commits are a simple consumer's (generation -1, no member; see GroupOffsetCommitter).
 */
import { Admin, FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka';
import { GroupOffsetCommitter } from './group-offset-committer.ts';
import type { AdminPort, KafkaPort, NewTopic, PartitionReaderPort, PartitionWatermarks, ProducerPort, TopicPartitionOffset } from './kafka-port.ts';
import { baseClientOptions, hasKafkaError, portError, type KafkaClientOptions } from './platformatic-client-options.ts';
import { PlatformaticPartitionReader } from './platformatic-partition-reader.ts';
import { PlatformaticProducer } from './platformatic-producer.ts';

export type { KafkaClientOptions } from './platformatic-client-options.ts';

export class PlatformaticKafka implements KafkaPort {
  private sharedAdmin: PlatformaticAdmin | undefined;

  constructor(private readonly options: KafkaClientOptions) {}

  producer(opts: { transactionalId?: string; idempotent?: boolean } = {}): Promise<ProducerPort> {
    return PlatformaticProducer.create(this.options, opts);
  }

  async reader(opts: { isolation?: 'read_committed' | 'read_uncommitted' } = {}): Promise<PartitionReaderPort> {
    return new PlatformaticPartitionReader(this.options, opts.isolation ?? 'read_uncommitted');
  }

  /**
   * The process's shared admin client: admin calls happen at every task start and commit, and
   * a connection each time would cost more than the call. The library connects lazily.
   */
  async admin(): Promise<AdminPort> {
    this.sharedAdmin ??= new PlatformaticAdmin(new Admin(baseClientOptions(this.options)));
    return this.sharedAdmin;
  }

  /** Disconnects the shared admin client (clients from producer() and reader() close themselves). */
  async close(): Promise<void> {
    const admin = this.sharedAdmin;
    this.sharedAdmin = undefined;
    await admin?.disconnect();
  }
}

class PlatformaticAdmin implements AdminPort {
  private readonly committer: GroupOffsetCommitter;

  constructor(private readonly admin: Admin) {
    this.committer = new GroupOffsetCommitter(admin);
  }

  async listTopics(): Promise<string[]> {
    try {
      return await this.admin.listTopics();
    } catch (e) {
      throw portError('Listing topics failed', e);
    }
  }

  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    const existing = new Set(await this.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    // Configs apply to a whole request in this client, so each topic with configs goes alone.
    const plain = missing.filter((t) => !t.configs || Object.keys(t.configs).length === 0);
    const requests = [...(plain.length ? [plain] : []), ...missing.filter((t) => !plain.includes(t)).map((t) => [t])];
    for (const request of requests) {
      try {
        await this.admin.createTopics({
          topics: request.map((t) => ({ topic: t.topic, partitions: t.numPartitions ?? -1, replicas: t.replicationFactor ?? -1 })),
          configs: Object.entries(request[0]?.configs ?? {}).map(([name, value]) => ({ name, value })),
        });
      } catch (e) {
        if (!hasKafkaError(e, 'TOPIC_ALREADY_EXISTS')) throw portError(`Creating topics ${request.map((t) => t.topic).join(', ')} failed`, e);
      }
    }
    await this.waitForLeaders(missing.map((t) => t.topic));
  }

  /** New topics are usable once every partition has a leader that metadata reports. */
  private async waitForLeaders(topics: string[]): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const meta = await this.admin.metadata({ topics, forceUpdate: true });
        if (topics.every((t) => { const m = meta.topics.get(t); return m && m.partitionsCount > 0 && m.partitions.every((p) => p.leader >= 0); })) return;
      } catch (e) {
        if (Date.now() > deadline) throw portError(`Topics ${topics.join(', ')} got no leaders`, e);
      }
      if (Date.now() > deadline) throw portError(`Topics ${topics.join(', ')} got no leaders within 15 s`, new Error('timeout'));
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    try {
      await this.admin.deleteTopics({ topics: [...topics] });
    } catch (e) {
      throw portError('Deleting topics failed', e);
    }
  }

  async partitions(topic: string): Promise<number[]> {
    try {
      const meta = await this.admin.metadata({ topics: [topic] });
      return [...Array(meta.topics.get(topic)?.partitionsCount ?? 0).keys()];
    } catch (e) {
      throw portError(`Reading the partitions of ${topic} failed`, e);
    }
  }

  /** Low and high watermarks; high is the last stable offset, what a read_committed reader reaches. */
  async watermarks(topic: string): Promise<PartitionWatermarks[]> {
    const partitions = await this.partitions(topic);
    if (partitions.length === 0) return [];
    const list = async (timestamp: bigint) =>
      (await this.admin.listOffsets({ topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }], isolationLevel: FetchIsolationLevels.READ_COMMITTED }))
        .flatMap((t) => t.partitions)
        .reduce((m, p) => m.set(p.partitionIndex, Number(p.offset)), new Map<number, number>());
    try {
      const [low, high] = await Promise.all([list(ListOffsetTimestamps.EARLIEST), list(ListOffsetTimestamps.LATEST)]);
      return partitions.map((partition) => ({ partition, low: low.get(partition) ?? 0, high: high.get(partition) ?? 0 }));
    } catch (e) {
      throw portError(`Reading the offsets of ${topic} failed`, e);
    }
  }

  async committedOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    const wanted = await Promise.all(topics.map(async (name) => ({ name, partitionIndexes: await this.partitions(name) })));
    try {
      const groups = await this.admin.listConsumerGroupOffsets({ groups: [{ groupId, topics: wanted.filter((t) => t.partitionIndexes.length > 0) }] });
      return groups.flatMap((g) => g.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset) }))));
    } catch (e) {
      throw portError(`Reading the offsets of group ${groupId} failed`, e);
    }
  }

  /** A simple consumer's commit: no join, no rebalance; refused by the broker only while the group has members. */
  async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (!list) byTopic.set(o.topic, (list = []));
      list.push({ partition: o.partition, offset: BigInt(o.offset) });
    }
    try {
      await this.committer.commit({ groupId, topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })) });
    } catch (e) {
      throw portError(`Committing offsets of group ${groupId} failed`, e);
    }
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.admin.deleteGroups({ groups: [groupId] });
    } catch (e) {
      if (!hasKafkaError(e, 'GROUP_ID_NOT_FOUND')) throw portError(`Deleting group ${groupId} failed`, e);
    }
  }

  async clusterId(): Promise<string> {
    try {
      return (await this.admin.metadata({ topics: [] })).id;
    } catch (e) {
      throw portError('Reading the cluster id failed', e);
    }
  }

  /** The admin client is shared by the process: closing is KafkaPort.close()'s job. */
  async close(): Promise<void> {}

  async disconnect(): Promise<void> {
    await this.admin.close();
  }
}
