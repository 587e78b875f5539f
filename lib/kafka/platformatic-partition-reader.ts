/**
 * Kafka's `assign()` over @platformatic/kafka: reads chosen partitions from their leaders
 * without joining a consumer group, so a sink slice starting on a cold Lambda never rebalances
 * the group. Fetch requests go through the client's connections and metadata; their record
 * sets are read by record-batch-decoder, which does what Java's consumer does with them.
 */
import { Consumer, FetchIsolationLevels, type ClusterMetadata } from '@platformatic/kafka';
import { randomUUID } from 'node:crypto';
import { FETCH_API_KEY, FETCH_VERSIONS, namesTopics, parseFetchResponse, type RawFetchResponse } from './fetch-response.ts';
import { KafkaPortError, type FetchedRecord, type FetchResult, type PartitionReaderPort, type TopicPartitionOffset } from './kafka-port.ts';
import { baseClientOptions, hasKafkaError, newestSpoken, portError, retryDelay, type KafkaClientOptions } from './platformatic-client-options.ts';
import { decodeRecordSet } from './record-batch-decoder.ts';

/** Attempts after the first for a retriable failure (a moved leader, a lost connection). */
const RETRIES = 3;
const MAX_BYTES = 16 * 1024 * 1024;
/**
 * What one fetch asks of a partition by default: the Java consumer's `max.partition.fetch.bytes`.
 * Larger fetches kept more records alive across a sink's puts, and collecting them cost a sink
 * task more than the extra round trips (4 MiB: 300k records/s, 14 % of its CPU in the collector;
 * 1 MiB: 340k, 6 %).
 */
const PARTITION_MAX_BYTES = 1024 * 1024;

type FetchVersion = (typeof FETCH_VERSIONS)[number];

interface PartitionRequest {
  partition: number;
  fetchOffset: bigint;
  currentLeaderEpoch: number;
  lastFetchedEpoch: number;
  partitionMaxBytes: number;
}

export class PlatformaticPartitionReader implements PartitionReaderPort {
  private readonly consumer: Consumer;
  private readonly isolationLevel: number;
  private version: FetchVersion | undefined;

  constructor(options: KafkaClientOptions, isolation: 'read_committed' | 'read_uncommitted') {
    this.isolationLevel = isolation === 'read_committed' ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED;
    this.consumer = new Consumer({
      ...baseClientOptions(options),
      // Required by the constructor; never joined: this reader needs no group.
      groupId: `tributary-reader-${randomUUID()}`,
      autocommit: false,
      // A failed metadata read surfaces quickly as a retriable error; the task decides what to do.
      retries: RETRIES,
    });
  }

  async fetch(positions: readonly TopicPartitionOffset[], opts: { maxWaitMs?: number; maxBytesPerPartition?: number } = {}): Promise<FetchResult> {
    if (positions.length === 0) return { records: [], next: [] };
    // Retried here as the client retries its own fetch: a moved leader or a lost connection.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fetchOnce(positions, opts);
      } catch (e) {
        if (!(e instanceof KafkaPortError) || !e.retriable || attempt > RETRIES) throw e;
        await new Promise((r) => setTimeout(r, retryDelay(undefined, 'fetch', attempt, RETRIES, e)));
      }
    }
  }

  private async fetchOnce(positions: readonly TopicPartitionOffset[], opts: { maxWaitMs?: number; maxBytesPerPartition?: number }): Promise<FetchResult> {
    const topics = [...new Set(positions.map((p) => p.topic))];
    let metadata: ClusterMetadata;
    let version: FetchVersion;
    try {
      metadata = await this.consumer.metadata({ topics });
      version = await this.fetchVersion();
    } catch (e) {
      throw portError('Reading topic metadata failed', e);
    }
    const byName = namesTopics(version.version);
    /** The request's name for each topic (its id from v13 on) → the topic. */
    const names = new Map<string, string>();
    const byLeader = new Map<number, Map<string, PartitionRequest[]>>();
    const maxBytes = opts.maxBytesPerPartition ?? PARTITION_MAX_BYTES;
    for (const p of positions) {
      const t = metadata.topics.get(p.topic);
      const leader = t?.partitions[p.partition]?.leader ?? -1;
      if (!t || leader < 0) {
        this.consumer.clearMetadata();
        throw new KafkaPortError(`No leader known for ${p.topic}-${p.partition}`, true);
      }
      const requestName = byName ? p.topic : t.id;
      names.set(requestName, p.topic);
      let node = byLeader.get(leader);
      if (!node) byLeader.set(leader, (node = new Map()));
      let list = node.get(requestName);
      if (!list) node.set(requestName, (list = []));
      list.push({ partition: p.partition, fetchOffset: BigInt(p.offset), currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: maxBytes });
    }
    const next = new Map<string, TopicPartitionOffset>();
    for (const p of positions) next.set(`${p.topic}:${p.partition}`, p);
    const records: FetchedRecord[] = [];
    const ends: TopicPartitionOffset[] = [];
    const readCommitted = this.isolationLevel === FetchIsolationLevels.READ_COMMITTED;
    await Promise.all(
      [...byLeader].map(async ([node, byTopic]) => {
        let response: RawFetchResponse;
        try {
          response = await this.send(metadata, node, version, opts.maxWaitMs ?? 500, byTopic);
        } catch (e) {
          if (hasKafkaError(e, 'NOT_LEADER_OR_FOLLOWER') || hasKafkaError(e, 'UNKNOWN_TOPIC_OR_PARTITION') || hasKafkaError(e, 'FENCED_LEADER_EPOCH') || hasKafkaError(e, 'UNKNOWN_TOPIC_ID')) this.consumer.clearMetadata();
          throw portError(`Fetch from broker ${node} failed`, e);
        }
        for (const t of response.responses) {
          const topic = names.get(t.topic) ?? t.topic;
          for (const part of t.partitions) {
            const key = `${topic}:${part.partition}`;
            const from = next.get(key)?.offset ?? 0;
            const end = part.records ? decodeRecordSet(part.records, { topic, partition: part.partition, from, abortedTransactions: readCommitted ? part.abortedTransactions : null }, records) : from;
            const last = readCommitted && part.lastStableOffset >= 0n ? part.lastStableOffset : part.highWatermark;
            if (last >= 0n) ends.push({ topic, partition: part.partition, offset: Number(last) });
            if (end > from) next.set(key, { topic, partition: part.partition, offset: end });
          }
        }
      }),
    );
    return { records, next: [...next.values()], ends };
  }

  /** One sessionless Fetch to a broker (session id 0, epoch -1: the broker keeps no state for it). */
  private async send(metadata: ClusterMetadata, node: number, version: FetchVersion, maxWaitMs: number, byTopic: Map<string, PartitionRequest[]>): Promise<RawFetchResponse> {
    const broker = metadata.brokers.get(node);
    if (!broker) throw new KafkaPortError(`Broker ${node} is not in the cluster's metadata`, true);
    const connection = await this.consumer.connections.get(broker);
    const topics = [...byTopic].map(([topicId, partitions]) => ({ topicId, partitions }));
    return await new Promise<RawFetchResponse>((resolve, reject) => {
      connection.send(
        FETCH_API_KEY,
        version.version,
        () => version.createRequest(maxWaitMs, 1, MAX_BYTES, this.isolationLevel, 0, -1, topics, [], ''),
        parseFetchResponse,
        true,
        true,
        (e, r) => (e ? reject(e) : resolve(r as RawFetchResponse)),
      );
    });
  }

  /** The newest Fetch version both sides speak. */
  private async fetchVersion(): Promise<FetchVersion> {
    this.version ??= await newestSpoken(this.consumer, FETCH_API_KEY, FETCH_VERSIONS);
    if (!this.version) throw new KafkaPortError('The broker speaks no Fetch version from 12 on (Kafka 2.7 or newer is needed)', false);
    return this.version;
  }

  async close(): Promise<void> {
    await this.consumer.close(true);
  }
}
