/**
 * Kafka's `assign()` for kafkajs: fetches chosen partitions from their leaders without
 * joining a consumer group, so a sink slice that starts on a cold Lambda never triggers a
 * rebalance. kafkajs has no public API for this; its protocol layer (cluster, broker fetch,
 * batch decoding with aborted-transaction filtering) is stable, as kafkajs 2.2.4 is final.
 */
import { createRequire } from 'node:module';
import type { KafkaConfig } from 'kafkajs';
import { KafkaPortError, type FetchedRecord, type PartitionReaderPort, type TopicPartitionOffset } from './kafka-port.ts';

const require = createRequire(import.meta.url);

interface RawMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: Record<string, Buffer | Buffer[] | undefined>;
}
interface RawBatch {
  messages: RawMessage[];
  lastOffset(): string;
  isEmpty(): boolean;
  isEmptyIncludingFiltered(): boolean;
}
interface RawBroker {
  fetch(req: unknown): Promise<{ responses: { topicName: string; partitions: { partition: number; errorCode: number }[] }[] }>;
}
interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(q: { nodeId: string }): Promise<RawBroker>;
}

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals are CommonJS */
const Cluster = require('kafkajs/src/cluster/index.js') as new (opts: unknown) => RawCluster;
const Batch = require('kafkajs/src/consumer/batch.js') as new (topic: string, fetchedOffset: string, partitionData: unknown) => RawBatch;
const { createLogger, LEVELS } = require('kafkajs/src/loggers/index.js') as { createLogger: (o: unknown) => unknown; LEVELS: Record<string, number> };
const LoggerConsole = require('kafkajs/src/loggers/console.js') as unknown;
const socketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;
const ISOLATION = require('kafkajs/src/protocol/isolationLevel.js') as { READ_COMMITTED: number; READ_UNCOMMITTED: number };
/* eslint-enable @typescript-eslint/no-require-imports */

export class KafkajsPartitionReader implements PartitionReaderPort {
  private readonly cluster: RawCluster;
  private readonly isolationLevel: number;
  private readonly knownTopics = new Set<string>();

  constructor(config: KafkaConfig, isolation: 'read_committed' | 'read_uncommitted') {
    this.isolationLevel = isolation === 'read_committed' ? ISOLATION.READ_COMMITTED : ISOLATION.READ_UNCOMMITTED;
    this.cluster = new Cluster({
      logger: createLogger({ level: LEVELS.ERROR, logCreator: LoggerConsole }),
      socketFactory: socketFactory(),
      brokers: config.brokers,
      ssl: config.ssl,
      sasl: config.sasl,
      clientId: config.clientId ?? 'tributary',
      connectionTimeout: config.connectionTimeout ?? 3000,
      requestTimeout: config.requestTimeout ?? 30000,
      enforceRequestTimeout: true,
      metadataMaxAge: 300000,
      retry: { retries: 5, initialRetryTime: 200 },
      allowAutoTopicCreation: false,
      isolationLevel: this.isolationLevel,
    });
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
