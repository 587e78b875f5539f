/**
 * An independent Kafka client for tests: @platformatic/kafka used directly, not through
 * Tributary's port, so what a test reads back does not depend on the code under test.
 */
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Admin, Consumer, FetchIsolationLevels, IS_CONTROL, IS_TRANSACTIONAL, ListOffsetTimestamps, Producer, type BaseOptions } from '@platformatic/kafka';

export interface TestMessage {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  readonly partition?: number;
  readonly timestamp?: number;
}

export interface ReadMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  readonly timestamp: number;
}

const buf = (v: string | Buffer | null | undefined) => (v === null || v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v));

export class TestKafka {
  private adminClient: Admin | undefined;

  constructor(readonly options: Pick<BaseOptions, 'bootstrapBrokers' | 'tls' | 'sasl'> & { clientId?: string }) {}

  private base(): BaseOptions {
    return { clientId: 'tributary-test', retries: 5, retryDelay: 100, timeout: 30_000, ...this.options };
  }

  /** A shared admin client (closed by close()). */
  admin(): Admin {
    this.adminClient ??= new Admin(this.base());
    return this.adminClient;
  }

  /** Creates topics and waits until metadata shows a leader for every partition. */
  async createTopics(topics: string[], numPartitions = 1): Promise<void> {
    const admin = this.admin();
    await admin.createTopics({ topics, partitions: numPartitions, replicas: 1 });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const meta = await admin.metadata({ topics, forceUpdate: true });
        if (topics.every((t) => meta.topics.get(t)?.partitionsCount === numPartitions && meta.topics.get(t)?.partitions.every((p) => p.leader >= 0))) return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
      if (Date.now() > deadline) throw new Error(`Topics ${topics.join(', ')} got no leaders within 15 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async listTopics(): Promise<string[]> {
    return this.admin().listTopics();
  }

  async deleteTopics(topics: string[]): Promise<void> {
    await this.admin().deleteTopics({ topics });
  }

  /** Produces messages (idempotent, so a retry on a slow machine writes nothing twice) and closes the producer. */
  async produce(topic: string, messages: readonly TestMessage[]): Promise<void> {
    const producer = new Producer({ ...this.base(), idempotent: true, acks: -1 });
    try {
      await producer.send({
        messages: messages.map((m) => ({
          topic,
          key: buf(m.key),
          value: buf(m.value) as Buffer,
          partition: m.partition,
          timestamp: m.timestamp === undefined ? undefined : BigInt(m.timestamp),
          headers: m.headers ? new Map(Object.entries(m.headers).map(([k, v]) => [Buffer.from(k), buf(v) as Buffer])) : undefined,
        })),
        acks: -1,
      });
    } finally {
      await producer.close();
    }
  }

  /** Low and high watermarks per partition; high is the last stable offset when `committed`. */
  async watermarks(topic: string, committed = false): Promise<{ partition: number; low: number; high: number }[]> {
    const admin = this.admin();
    const meta = await admin.metadata({ topics: [topic] });
    const partitions = [...Array(meta.topics.get(topic)?.partitionsCount ?? 0).keys()];
    const list = async (timestamp: bigint) =>
      new Map(
        (await admin.listOffsets({ topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }], isolationLevel: committed ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED }))
          .flatMap((t) => t.partitions)
          .map((p) => [p.partitionIndex, Number(p.offset)]),
      );
    const [low, high] = await Promise.all([list(ListOffsetTimestamps.EARLIEST), list(ListOffsetTimestamps.LATEST)]);
    return partitions.map((partition) => ({ partition, low: low.get(partition) ?? 0, high: high.get(partition) ?? 0 }));
  }

  /** Messages in the topic (high minus low watermark, summed); 0 while it does not exist. */
  async count(topic: string): Promise<number> {
    try {
      return (await this.watermarks(topic)).reduce((n, w) => n + w.high - w.low, 0);
    } catch {
      return 0;
    }
  }

  /** Committed offsets of a group for a topic's partitions (-1 when none). */
  async committedOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: number }[]> {
    const meta = await this.admin().metadata({ topics: [topic] });
    const partitionIndexes = [...Array(meta.topics.get(topic)?.partitionsCount ?? 0).keys()];
    const groups = await this.admin().listConsumerGroupOffsets({ groups: [{ groupId, topics: [{ name: topic, partitionIndexes }] }] });
    return groups.flatMap((g) => g.topics.flatMap((t) => t.partitions.map((p) => ({ partition: p.partitionIndex, offset: Number(p.committedOffset) }))));
  }

  async listGroups(): Promise<string[]> {
    return [...(await this.admin().listGroups()).keys()];
  }

  /**
   * Every message of the topics up to their high watermarks when called, in offset order per
   * partition; only committed transactions' records unless `committed` is false.
   */
  async snapshot(topics: string | string[], opts: { committed?: boolean } = {}): Promise<ReadMessage[]> {
    const list = Array.isArray(topics) ? topics : [topics];
    const ends = new Map<string, number>();
    const starts = new Map<string, number>();
    for (const topic of list) {
      for (const w of await this.watermarks(topic)) {
        ends.set(`${topic}:${w.partition}`, w.high);
        starts.set(`${topic}:${w.partition}`, w.low);
      }
    }
    return this.readRange(list, starts, ends, opts.committed ?? true, 120_000);
  }

  /** Waits until the topics hold at least `expected` messages from their start, and returns them all. */
  async readAll(topics: string | string[], expected: number, opts: { timeoutMs?: number; committed?: boolean } = {}): Promise<ReadMessage[]> {
    const list = Array.isArray(topics) ? topics : [topics];
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (;;) {
      const got = await this.snapshot(list, opts).catch(() => []);
      if (got.length >= expected) return got;
      if (Date.now() > deadline) throw new Error(`Expected ${expected} messages in ${list.join(', ')}, found ${got.length}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Fetches [start, end) of each partition read_uncommitted, then keeps, when `committed`, only
   * the transactional records whose transaction's marker (the producer's next control record)
   * is a COMMIT: decided from the log itself, independently of any client's filtering.
   */
  private async readRange(topics: string[], starts: Map<string, number>, ends: Map<string, number>, committed: boolean, timeoutMs: number): Promise<ReadMessage[]> {
    interface Batch {
      producerId: bigint;
      transactional: boolean;
      marker: 'commit' | 'abort' | undefined;
      records: ReadMessage[];
    }
    const batches = new Map<string, Batch[]>();
    const consumer = new Consumer({ ...this.base(), groupId: `test-reader-${randomUUID()}`, autocommit: false });
    try {
      const meta = await consumer.metadata({ topics });
      const position = new Map(starts);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pending = [...position].filter(([k, offset]) => offset < (ends.get(k) ?? 0));
        if (pending.length === 0) break;
        if (Date.now() > deadline) throw new Error(`Reading ${topics.join(', ')} timed out`);
        const byLeader = new Map<number, Map<string, { partition: number; offset: number }[]>>();
        const names = new Map<string, string>();
        for (const [k, offset] of pending) {
          const i = k.lastIndexOf(':');
          const topic = k.slice(0, i);
          const partition = Number(k.slice(i + 1));
          const t = meta.topics.get(topic);
          if (!t) throw new Error(`No metadata for ${topic}`);
          names.set(t.id, topic);
          const leader = t.partitions[partition]?.leader ?? -1;
          const node = byLeader.get(leader) ?? new Map<string, { partition: number; offset: number }[]>();
          byLeader.set(leader, node);
          node.set(t.id, [...(node.get(t.id) ?? []), { partition, offset }]);
        }
        for (const [node, byTopic] of byLeader) {
          const res = await consumer.fetch({
            node,
            maxWaitTime: 200,
            isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED,
            topics: [...byTopic].map(([topicId, parts]) => ({
              topicId,
              partitions: parts.map((p) => ({ partition: p.partition, fetchOffset: BigInt(p.offset), currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: 8 * 1024 * 1024 })),
            })),
          });
          for (const t of res.responses) {
            const topic = names.get(t.topicId) ?? t.topicId;
            for (const p of t.partitions) {
              const k = `${topic}:${p.partitionIndex}`;
              const from = position.get(k) ?? 0;
              const end = ends.get(k) ?? 0;
              const list = batches.get(k) ?? [];
              batches.set(k, list);
              for (const batch of p.records ?? []) {
                const base = Number(batch.firstOffset);
                if (base + batch.lastOffsetDelta < from) continue;
                position.set(k, Math.max(position.get(k) ?? 0, base + batch.lastOffsetDelta + 1));
                const control = (batch.attributes & IS_CONTROL) !== 0;
                const b: Batch = {
                  producerId: batch.producerId,
                  transactional: (batch.attributes & IS_TRANSACTIONAL) !== 0,
                  marker: control ? (batch.records[0]?.key?.readInt16BE(2) === 1 ? 'commit' : 'abort') : undefined,
                  records: [],
                };
                list.push(b);
                if (control) continue;
                for (const r of batch.records) {
                  const offset = base + r.offsetDelta;
                  if (offset < from || offset >= end) continue;
                  const headers: Record<string, string> = {};
                  for (const [hk, hv] of r.headers) headers[String(hk)] = hv === null ? '' : String(hv);
                  b.records.push({ topic, partition: p.partitionIndex, offset, key: r.key, value: r.value, headers, timestamp: Number(batch.firstTimestamp) + Number(r.timestampDelta) });
                }
              }
            }
          }
        }
      }
    } finally {
      await consumer.close(true);
    }
    const out: ReadMessage[] = [];
    for (const list of batches.values()) {
      const nextMarker = new Map<bigint, 'commit' | 'abort'>();
      const kept: ReadMessage[][] = [];
      for (let i = list.length - 1; i >= 0; i--) {
        const b = list[i] as Batch;
        if (b.marker) nextMarker.set(b.producerId, b.marker);
        else if (!committed || !b.transactional || nextMarker.get(b.producerId) === 'commit') kept.push(b.records);
      }
      for (let i = kept.length - 1; i >= 0; i--) for (const r of kept[i] as ReadMessage[]) out.push(r);
    }
    return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition || a.offset - b.offset : a.topic < b.topic ? -1 : 1));
  }

  async close(): Promise<void> {
    await this.adminClient?.close();
    this.adminClient = undefined;
  }
}

export function testKafka(bootstrap: string): TestKafka {
  return new TestKafka({ bootstrapBrokers: [bootstrap] });
}

/** Creates topics and waits for their leaders (see TestKafka.createTopics). */
export async function createTopics(kafka: TestKafka, topics: string[], numPartitions = 1): Promise<void> {
  await kafka.createTopics(topics, numPartitions);
}

/** Writes `n` lines of 100 bytes (with the newline), each starting with its number. */
export function writeNumberedLines(file: string, n: number): void {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`${String(i).padStart(10, '0')} ${'x'.repeat(88)}\n`);
  writeFileSync(file, parts.join(''));
}

/** Counts how often each numbered line (see writeNumberedLines) appears in a topic, read_committed. */
export async function countNumberedLines(kafka: TestKafka, topic: string, total: number): Promise<Uint8Array> {
  const counts = new Uint8Array(total);
  for (const r of await kafka.snapshot(topic, { committed: true })) {
    const payload = JSON.parse(String(r.value)) as { payload: string };
    const n = Number(payload.payload.slice(0, 10));
    counts[n] = Math.min(255, (counts[n] ?? 0) + 1);
  }
  return counts;
}
