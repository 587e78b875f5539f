/**
 * kafkajs' protocol layer, for what its public API lacks: fetching assigned partitions
 * without a group (Kafka's `assign()`) and committing offsets as a simple consumer. kafkajs
 * 2.2.4 is its final release, so these internals no longer move.
 */
import { createRequire } from 'node:module';
import type { KafkaConfig } from 'kafkajs';

const require = createRequire(import.meta.url);

export interface RawMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: Record<string, Buffer | Buffer[] | undefined>;
}
export interface RawBatch {
  messages: RawMessage[];
  lastOffset(): string;
  isEmpty(): boolean;
  isEmptyIncludingFiltered(): boolean;
}
export interface RawBroker {
  fetch(req: unknown): Promise<{ responses: { topicName: string; partitions: { partition: number; errorCode: number }[] }[] }>;
  offsetCommit(req: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
}
export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(q: { nodeId: string }): Promise<RawBroker>;
  findGroupCoordinator(q: { groupId: string }): Promise<RawBroker>;
}

const Cluster = require('kafkajs/src/cluster/index.js') as new (opts: unknown) => RawCluster;
export const Batch = require('kafkajs/src/consumer/batch.js') as new (topic: string, fetchedOffset: string, partitionData: unknown) => RawBatch;
const { createLogger, LEVELS } = require('kafkajs/src/loggers/index.js') as { createLogger: (o: unknown) => unknown; LEVELS: Record<string, number> };
const LoggerConsole = require('kafkajs/src/loggers/console.js') as unknown;
const socketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;
export const ISOLATION = require('kafkajs/src/protocol/isolationLevel.js') as { READ_COMMITTED: number; READ_UNCOMMITTED: number };

/** A kafkajs cluster (connections, metadata, brokers) built from the same config as the public client. */
export function createRawCluster(config: KafkaConfig, isolationLevel: number = ISOLATION.READ_UNCOMMITTED): RawCluster {
  return new Cluster({
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
    isolationLevel,
  });
}

/**
 * Commits offsets for a group as a simple consumer does (generation -1, no member id):
 * no join, no rebalance, fenced by the broker only if the group has active members.
 */
export async function commitAsSimpleConsumer(cluster: RawCluster, groupId: string, offsets: readonly { topic: string; partition: number; offset: number }[]): Promise<void> {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: String(o.offset) }]);
  const coordinator = await cluster.findGroupCoordinator({ groupId });
  await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', retentionTime: -1, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
}
