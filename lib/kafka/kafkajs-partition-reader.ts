/**
 * Kafka's `assign()` for kafkajs: fetches chosen partitions from their leaders without
 * joining a consumer group, so a sink slice that starts on a cold Lambda never triggers a
 * rebalance. Batches are decoded by kafkajs, aborted transactions and control records filtered.
 */
import type { KafkaConfig } from 'kafkajs';
import { Batch, createRawCluster, ISOLATION, type RawCluster, type RawMessage } from './kafkajs-internals.ts';
import { KafkaPortError, type FetchedRecord, type PartitionReaderPort, type TopicPartitionOffset } from './kafka-port.ts';


export class KafkajsPartitionReader implements PartitionReaderPort {
  private readonly cluster: RawCluster;
  private readonly isolationLevel: number;
  private readonly knownTopics = new Set<string>();

  constructor(config: KafkaConfig, isolation: 'read_committed' | 'read_uncommitted') {
    this.isolationLevel = isolation === 'read_committed' ? ISOLATION.READ_COMMITTED : ISOLATION.READ_UNCOMMITTED;
    this.cluster = createRawCluster(config, this.isolationLevel);
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
  }

  async fetch(
    positions: readonly TopicPartitionOffset[],
    opts: { maxWaitMs?: number; maxBytesPerPartition?: number } = {},
  ): Promise<{ records: FetchedRecord[]; next: TopicPartitionOffset[] }> {
    if (positions.length === 0) return { records: [], next: [] };
    const topics = [...new Set(positions.map((p) => p.topic))];
    if (topics.some((t) => !this.knownTopics.has(t))) {
      await this.cluster.addMultipleTargetTopics(topics);
      topics.forEach((t) => this.knownTopics.add(t));
    }
    const next = new Map(positions.map((p) => [`${p.topic}:${p.partition}`, p]));
    const byLeader = new Map<string, { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[]>();
    for (const topic of topics) {
      const parts = positions.filter((p) => p.topic === topic);
      let leaders: Record<string, number[]>;
      try {
        leaders = this.cluster.findLeaderForPartitions(topic, parts.map((p) => p.partition));
      } catch (e) {
        await this.cluster.refreshMetadata();
        throw new KafkaPortError(`No leader known for ${topic}`, true, { cause: e });
      }
      for (const [leader, ps] of Object.entries(leaders)) {
        const list = byLeader.get(leader) ?? [];
        list.push({
          topic,
          partitions: ps.map((partition) => ({
            partition,
            fetchOffset: String(next.get(`${topic}:${partition}`)?.offset ?? 0),
            maxBytes: opts.maxBytesPerPartition ?? 4 * 1024 * 1024,
          })),
        });
        byLeader.set(leader, list);
      }
    }
    const records: FetchedRecord[] = [];
    await Promise.all(
      [...byLeader].map(async ([nodeId, requestTopics]) => {
        const broker = await this.cluster.findBroker({ nodeId });
        let response;
        try {
          response = await broker.fetch({
            replicaId: -1,
            isolationLevel: this.isolationLevel,
            maxWaitTime: opts.maxWaitMs ?? 500,
            minBytes: 1,
            maxBytes: 16 * 1024 * 1024,
            topics: requestTopics,
          });
        } catch (e) {
          await this.cluster.refreshMetadata().catch(() => {});
          throw new KafkaPortError(`Fetch from broker ${nodeId} failed: ${(e as Error).message}`, true, { cause: e });
        }
        for (const { topicName, partitions } of response.responses) {
          for (const partitionData of partitions) {
            const tp = `${topicName}:${partitionData.partition}`;
            const fetchedOffset = String(next.get(tp)?.offset ?? 0);
            const batch = new Batch(topicName, fetchedOffset, partitionData);
            for (const m of batch.messages) {
              records.push({
                topic: topicName,
                partition: partitionData.partition,
                offset: Number(m.offset),
                key: m.key,
                value: m.value,
                timestamp: Number(m.timestamp),
                headers: flattenHeaders(m.headers),
              });
            }
            if (!batch.isEmptyIncludingFiltered()) {
              next.set(tp, { topic: topicName, partition: partitionData.partition, offset: Number(batch.lastOffset()) + 1 });
            }
          }
        }
      }),
    );
    records.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition || a.offset - b.offset : a.topic < b.topic ? -1 : 1));
    return { records, next: [...next.values()] };
  }

  async close(): Promise<void> {
    await this.cluster.disconnect();
  }
}

function flattenHeaders(h: RawMessage['headers']): { key: string; value: Buffer | null }[] {
  if (!h) return [];
  const out: { key: string; value: Buffer | null }[] = [];
  for (const [key, v] of Object.entries(h)) {
    if (Array.isArray(v)) for (const b of v) out.push({ key, value: b ?? null });
    else out.push({ key, value: v ?? null });
  }
  return out;
}
