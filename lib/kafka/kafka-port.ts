/**
 * The narrow port over a Kafka client. The runtime and control plane see only this, so
 * the client library can be replaced without touching them.
 */

export interface KafkaHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface OutgoingRecord {
  readonly topic: string;
  readonly partition?: number | undefined;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly KafkaHeader[] | undefined;
  readonly timestamp?: number | undefined;
}

export interface FetchedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly KafkaHeader[];
  readonly timestamp: number;
}

export interface WrittenRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface PartitionWatermarks {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

export interface NewTopic {
  readonly topic: string;
  readonly numPartitions?: number | undefined;
  readonly replicationFactor?: number | undefined;
  readonly configs?: Readonly<Record<string, string>> | undefined;
}

export interface ProducerPort {
  /** Sends records and resolves when all are acknowledged (acks=all), in order per partition. */
  send(records: readonly OutgoingRecord[]): Promise<WrittenRecord[]>;
  /** Runs `work` in one Kafka transaction (transactional producers only): all or nothing. */
  inTransaction<T>(work: (send: (records: readonly OutgoingRecord[]) => Promise<WrittenRecord[]>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Fetches assigned partitions without joining a consumer group (Kafka's `assign()`). */
export interface PartitionReaderPort {
  fetch(
    positions: readonly TopicPartitionOffset[],
    opts?: { maxWaitMs?: number; maxBytesPerPartition?: number },
  ): Promise<FetchResult>;
  close(): Promise<void>;
}

export interface FetchResult {
  readonly records: FetchedRecord[];
  /** The next offset to fetch, per partition asked for. */
  readonly next: TopicPartitionOffset[];
  /** The end offset per partition the broker answered for (the last stable offset under read_committed). */
  readonly ends?: TopicPartitionOffset[];
}

export interface AdminPort {
  listTopics(): Promise<string[]>;
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  partitions(topic: string): Promise<number[]>;
  watermarks(topic: string): Promise<PartitionWatermarks[]>;
  /** Committed offsets of a group for the given topics (-1 when none). */
  committedOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]>;
  /** Commits offsets for a group that has no active members (a simple consumer's commit). */
  commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  clusterId(): Promise<string>;
  close(): Promise<void>;
}

export interface KafkaPort {
  producer(opts?: { transactionalId?: string; idempotent?: boolean }): Promise<ProducerPort>;
  reader(opts?: { isolation?: 'read_committed' | 'read_uncommitted' }): Promise<PartitionReaderPort>;
  /** A shared admin client; its close() does nothing, close() of the port disconnects it. */
  admin(): Promise<AdminPort>;
  close(): Promise<void>;
}

export class KafkaPortError extends Error {
  override readonly name = 'KafkaPortError';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
