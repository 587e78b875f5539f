/**
 * The kafkajs implementation of the Kafka port: producers (idempotent or transactional)
 * and admin through kafkajs' public API, partition reads through its protocol layer.
 */
import { Kafka, logLevel, Partitioners, type Admin, type KafkaConfig, type Message, type Producer } from 'kafkajs';
import { commitAsSimpleConsumer, createRawCluster, type RawCluster } from './kafkajs-internals.ts';
import { KafkajsPartitionReader } from './kafkajs-partition-reader.ts';
import {
  KafkaPortError,
  type AdminPort,
  type KafkaPort,
  type NewTopic,
  type OutgoingRecord,
  type PartitionReaderPort,
  type PartitionWatermarks,
  type ProducerPort,
  type TopicPartitionOffset,
  type WrittenRecord,
} from './kafka-port.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export class KafkajsAdapter implements KafkaPort {
  private readonly kafka: Kafka;
  private sharedAdmin: Promise<KafkajsAdmin> | undefined;

  constructor(private readonly config: KafkaConfig) {
    this.kafka = new Kafka({ logLevel: logLevel.ERROR, retry: { retries: 8, initialRetryTime: 200 }, ...config });
  }

  async producer(opts: { transactionalId?: string; idempotent?: boolean } = {}): Promise<ProducerPort> {
    // Remembers the partition the default (murmur2, Java-compatible) partitioner chose for each message.
    const chosen = new WeakMap<Message, number>();
    const producer = this.kafka.producer({
      createPartitioner: () => {
        const base = Partitioners.DefaultPartitioner();
        return (args) => {
          const partition = base(args);
          chosen.set(args.message, partition);
          return partition;
        };
      },
      allowAutoTopicCreation: true,
      idempotent: opts.idempotent ?? true,
      maxInFlightRequests: opts.idempotent === false ? undefined : 5,
      ...(opts.transactionalId ? { transactionalId: opts.transactionalId, transactionTimeout: 60_000 } : {}),
    });
    await producer.connect();
    return new KafkajsProducer(producer, chosen);
  }

  async reader(opts: { isolation?: 'read_committed' | 'read_uncommitted' } = {}): Promise<PartitionReaderPort> {
    const reader = new KafkajsPartitionReader(this.config, opts.isolation ?? 'read_uncommitted');
    await reader.connect();
    return reader;
  }

  /**
   * The process's shared admin client, connected once: admin calls happen at every task start
   * and commit, and a connection each time would cost more than the call.
   */
  async admin(): Promise<AdminPort> {
    this.sharedAdmin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return new KafkajsAdmin(admin, this.config);
    })().catch((e: unknown) => {
      this.sharedAdmin = undefined;
      throw e;
    });
    return this.sharedAdmin;
  }

  /** Disconnects the shared admin client (clients from producer() and reader() close themselves). */
  async close(): Promise<void> {
    const admin = await this.sharedAdmin?.catch(() => undefined);
    this.sharedAdmin = undefined;
    await admin?.disconnect();
  }
}

class KafkajsProducer implements ProducerPort {
  constructor(
    private readonly producer: Producer,
    private readonly chosen: WeakMap<Message, number>,
  ) {}

  async send(records: readonly OutgoingRecord[]): Promise<WrittenRecord[]> {
    const out: WrittenRecord[] = [];
    for (const chunk of chunks(records)) out.push(...(await sendVia((batch) => this.producer.sendBatch(batch), chunk, this.chosen)));
    return out;
  }

  async inTransaction<T>(work: (send: (records: readonly OutgoingRecord[]) => Promise<WrittenRecord[]>) => Promise<T>): Promise<T> {
    const tx = await this.producer.transaction();
    try {
      const result = await work(async (records) => {
        const out: WrittenRecord[] = [];
        for (const chunk of chunks(records)) out.push(...(await sendVia((batch) => tx.sendBatch(batch), chunk, this.chosen)));
        return out;
      });
      await tx.commit();
      return result;
    } catch (e) {
      if (tx.isActive()) await tx.abort().catch(() => {});
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

type SendBatch = Parameters<Producer['sendBatch']>[0];

/** Bytes per produce request, well under the broker's default message.max.bytes (1 MiB) per partition batch. */
const MAX_REQUEST_BYTES = 768 * 1024;

/** Splits records into requests small enough for the broker, keeping their order. */
function chunks(records: readonly OutgoingRecord[]): OutgoingRecord[][] {
  const out: OutgoingRecord[][] = [];
  let current: OutgoingRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = (r.key?.length ?? 0) + (r.value?.length ?? 0) + 64 + (r.headers ?? []).reduce((n, h) => n + h.key.length + (h.value?.length ?? 0), 0);
    if (current.length && bytes + size > MAX_REQUEST_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/** Sends records in one batch request and maps each back to its partition and offset. */
async function sendVia(
  sendBatch: (b: SendBatch) => ReturnType<Producer['sendBatch']>,
  records: readonly OutgoingRecord[],
  chosen: WeakMap<Message, number>,
): Promise<WrittenRecord[]> {
  if (records.length === 0) return [];
  const byTopic = new Map<string, Message[]>();
  const messages: Message[] = records.map((r) => {
    const m: Message = {
      key: r.key,
      value: r.value,
      partition: r.partition ?? undefined,
      timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
      headers: r.headers ? Object.fromEntries(r.headers.map((h) => [h.key, h.value ?? undefined])) : undefined,
    };
    const list = byTopic.get(r.topic) ?? [];
    list.push(m);
    byTopic.set(r.topic, list);
    return m;
  });
  let metadata;
  try {
    metadata = await sendBatch({ topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })), acks: -1 });
  } catch (e) {
    throw new KafkaPortError(`Producing to Kafka failed: ${(e as Error).message}`, Boolean((e as { retriable?: boolean }).retriable), { cause: e });
  }
  const base = new Map(metadata.map((m) => [`${m.topicName}:${m.partition}`, Number(m.baseOffset ?? -1)]));
  const counters = new Map<string, number>();
  // Within a partition, records keep their send order, so offsets follow from the base offset.
  return records.map((r, i) => {
    const partition = r.partition ?? chosen.get(messages[i] as Message) ?? 0;
    const tp = `${r.topic}:${partition}`;
    const n = counters.get(tp) ?? 0;
    counters.set(tp, n + 1);
    const b = base.get(tp) ?? -1;
    return { topic: r.topic, partition, offset: b >= 0 ? b + n : -1 };
  });
}

class KafkajsAdmin implements AdminPort {
  private raw: Promise<RawCluster> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly config: KafkaConfig,
  ) {}

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    try {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions ?? -1,
          replicationFactor: t.replicationFactor ?? -1,
          configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (e) {
      if (!/already exists/i.test((e as Error).message)) throw e;
    }
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    await this.admin.deleteTopics({ topics: [...topics] });
  }

  async partitions(topic: string): Promise<number[]> {
    const meta = await this.admin.fetchTopicMetadata({ topics: [topic] });
    return (meta.topics[0]?.partitions ?? []).map((p) => p.partitionId).sort((a, b) => a - b);
  }

  async watermarks(topic: string): Promise<PartitionWatermarks[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })).sort((a, b) => a.partition - b.partition);
  }

  async committedOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    const res = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    return res.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: Number(p.offset) })));
  }

  /** kafkajs' setOffsets joins the group to commit (seconds, and a rebalance); a simple consumer's commit does not. */
  async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    this.raw ??= (async () => {
      const cluster = createRawCluster(this.config);
      await cluster.connect();
      return cluster;
    })().catch((e: unknown) => {
      this.raw = undefined;
      throw e;
    });
    await commitAsSimpleConsumer(await this.raw, groupId, offsets);
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.admin.deleteGroups([groupId]);
    } catch (e) {
      if (!/does not exist|GROUP_ID_NOT_FOUND/i.test(JSON.stringify((e as { groups?: unknown }).groups ?? (e as Error).message))) throw e;
    }
  }

  async clusterId(): Promise<string> {
    return (await this.admin.describeCluster()).clusterId;
  }

  /** The admin client is shared by the process: closing is KafkaPort.close()'s job. */
  async close(): Promise<void> {}

  async disconnect(): Promise<void> {
    const raw = await this.raw?.catch(() => undefined);
    await raw?.disconnect();
    await this.admin.disconnect();
  }
}
