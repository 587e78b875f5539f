/**
 * Kafka's `assign()` on @platformatic/kafka's `Consumer.fetch`: reads chosen partitions from
 * their leaders without joining a consumer group, so a sink slice starting on a cold Lambda
 * never rebalances the group. `fetch` returns raw record batches, so this reader does what
 * Java's consumer does with them: skips control batches, and under read_committed drops the
 * batches of aborted transactions (from the broker's aborted-transaction list).
 */
import { Consumer, FetchIsolationLevels, IS_CONTROL, IS_TRANSACTIONAL, type ClusterMetadata, type KafkaRecord } from '@platformatic/kafka';
import { randomUUID } from 'node:crypto';
import { KafkaPortError, type FetchedRecord, type FetchResult, type KafkaHeader, type PartitionReaderPort, type TopicPartitionOffset } from './kafka-port.ts';
import { baseClientOptions, hasKafkaError, portError, type KafkaClientOptions } from './platformatic-client-options.ts';

/** Attribute bit of a batch whose timestamps the broker set (LogAppendTime): its max timestamp applies to every record. */
const LOG_APPEND_TIME = 1 << 3;
/** Control record type in a control batch's key (version int16, type int16): 0 = ABORT, 1 = COMMIT. */
const ABORT_MARKER = 0;
const EMPTY_HEADERS: readonly KafkaHeader[] = Object.freeze([]);

type FetchResponsePartition = Awaited<ReturnType<Consumer['fetch']>>['responses'][number]['partitions'][number];

interface PartitionRequest {
  topic: string;
  partition: number;
  offset: number;
}

export class PlatformaticPartitionReader implements PartitionReaderPort {
  private readonly consumer: Consumer;
  private readonly readCommitted: boolean;

  constructor(options: KafkaClientOptions, isolation: 'read_committed' | 'read_uncommitted') {
    this.readCommitted = isolation === 'read_committed';
    this.consumer = new Consumer({
      ...baseClientOptions(options),
      // Required by the constructor; never joined: fetch() needs no group.
      groupId: `tributary-reader-${randomUUID()}`,
      autocommit: false,
      // A failed fetch surfaces quickly as a retriable error; the task decides what to do.
      retries: 3,
      isolationLevel: this.readCommitted ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED,
    });
  }

  async fetch(
    positions: readonly TopicPartitionOffset[],
    opts: { maxWaitMs?: number; maxBytesPerPartition?: number } = {},
  ): Promise<FetchResult> {
    if (positions.length === 0) return { records: [], next: [] };
    const topics = [...new Set(positions.map((p) => p.topic))];
    let metadata: ClusterMetadata;
    try {
      metadata = await this.consumer.metadata({ topics });
    } catch (e) {
      throw portError('Reading topic metadata failed', e);
    }
    const names = new Map<string, string>();
    const byLeader = new Map<number, Map<string, PartitionRequest[]>>();
    for (const p of positions) {
      const t = metadata.topics.get(p.topic);
      const leader = t?.partitions[p.partition]?.leader ?? -1;
      if (!t || leader < 0) {
        this.consumer.clearMetadata();
        throw new KafkaPortError(`No leader known for ${p.topic}-${p.partition}`, true);
      }
      names.set(t.id, p.topic);
      let node = byLeader.get(leader);
      if (!node) byLeader.set(leader, (node = new Map()));
      let list = node.get(t.id);
      if (!list) node.set(t.id, (list = []));
      list.push({ topic: p.topic, partition: p.partition, offset: p.offset });
    }
    const next = new Map<string, TopicPartitionOffset>();
    for (const p of positions) next.set(`${p.topic}:${p.partition}`, p);
    const maxBytes = opts.maxBytesPerPartition ?? 4 * 1024 * 1024;
    const records: FetchedRecord[] = [];
    const ends: TopicPartitionOffset[] = [];
    await Promise.all(
      [...byLeader].map(async ([node, byTopic]) => {
        let response;
        try {
          response = await this.consumer.fetch({
            node,
            maxWaitTime: opts.maxWaitMs ?? 500,
            minBytes: 1,
            maxBytes: 16 * 1024 * 1024,
            topics: [...byTopic].map(([topicId, parts]) => ({
              topicId,
              partitions: parts.map((p) => ({ partition: p.partition, fetchOffset: BigInt(p.offset), currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: maxBytes })),
            })),
          });
        } catch (e) {
          if (hasKafkaError(e, 'NOT_LEADER_OR_FOLLOWER') || hasKafkaError(e, 'UNKNOWN_TOPIC_OR_PARTITION') || hasKafkaError(e, 'FENCED_LEADER_EPOCH')) this.consumer.clearMetadata();
          throw portError(`Fetch from broker ${node} failed`, e);
        }
        for (const t of response.responses) {
          const topic = names.get(t.topicId) ?? t.topicId;
          for (const part of t.partitions) {
            const key = `${topic}:${part.partitionIndex}`;
            const from = next.get(key)?.offset ?? 0;
            const end = this.decode(topic, part, from, records);
            const last = this.readCommitted && part.lastStableOffset >= 0n ? part.lastStableOffset : part.highWatermark;
            if (last >= 0n) ends.push({ topic, partition: part.partitionIndex, offset: Number(last) });
            if (end > from) next.set(key, { topic, partition: part.partitionIndex, offset: end });
          }
        }
      }),
    );
    return { records, next: [...next.values()], ends };
  }

  /**
   * Appends the partition's user records from offset `from` on, and returns the next offset to
   * fetch: past every batch seen, control and aborted ones included, so the reader never stalls.
   */
  private decode(topic: string, part: FetchResponsePartition, from: number, out: FetchedRecord[]): number {
    const batches = part.records;
    if (!batches || batches.length === 0) return from;
    let nextOffset = from;
    // Aborted transactions by first offset (Java's consumer walks them the same way).
    const aborted = this.readCommitted && part.abortedTransactions?.length ? [...part.abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1)) : [];
    let abortedIndex = 0;
    const abortedProducers = new Set<bigint>();
    for (const batch of batches) {
      const base = Number(batch.firstOffset);
      const last = base + batch.lastOffsetDelta;
      if (last < from) continue;
      if (this.readCommitted && batch.producerId >= 0n) {
        while (abortedIndex < aborted.length && Number(aborted[abortedIndex]?.firstOffset) <= last) abortedProducers.add((aborted[abortedIndex++] as { producerId: bigint }).producerId);
        if (batch.attributes & IS_CONTROL) {
          if (batch.records[0]?.key?.readInt16BE(2) === ABORT_MARKER) abortedProducers.delete(batch.producerId);
        } else if (batch.attributes & IS_TRANSACTIONAL && abortedProducers.has(batch.producerId)) {
          nextOffset = last + 1;
          continue;
        }
      }
      if (batch.attributes & IS_CONTROL) {
        nextOffset = last + 1;
        continue;
      }
      const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
      const firstTimestamp = Number(logAppendTime ? batch.maxTimestamp : batch.firstTimestamp);
      for (const r of batch.records) {
        const offset = base + r.offsetDelta;
        if (offset < from) continue;
        out.push({
          topic,
          partition: part.partitionIndex,
          offset,
          key: r.key,
          value: r.value,
          timestamp: logAppendTime ? firstTimestamp : firstTimestamp + Number(r.timestampDelta),
          headers: r.headers.length === 0 ? EMPTY_HEADERS : r.headers.map(([k, v]: KafkaRecord['headers'][number]) => ({ key: k ? k.toString('utf8') : '', value: v })),
        });
      }
      nextOffset = last + 1;
    }
    return nextOffset;
  }

  async close(): Promise<void> {
    await this.consumer.close(true);
  }
}
