/**
 * Source offsets in Kafka Connect's offsets topic (key `["<connector>",{partition}]`,
 * value `{offset}`, schemaless JSON), with a snapshot in the store so a starting task reads
 * only the topic's tail instead of replaying it.
 *
 * Each writer (task) keeps its own snapshot: the merged offsets it loaded, plus its own
 * writes, and for every partition of the offsets topic a position below which it has no
 * write missing from the snapshot. A loader therefore reads each partition from the lowest
 * position of any snapshot, and the result is exact even if a writer died between writing
 * to Kafka and updating its snapshot.
 */
import type { OffsetBackingStore } from '../store/store-ports.ts';
import type { OffsetSnapshot } from '../store/store-model.ts';
import type { KafkaPort, OutgoingRecord, WrittenRecord } from '../kafka/kafka-port.ts';
import type { SourceOffset, SourcePartition } from '../plugins/connect-record.ts';
import type { OffsetStorageReader } from '../plugins/plugin-types.ts';

export const DEFAULT_OFFSETS_TOPIC = 'connect-offsets';
const OFFSETS_TOPIC_PARTITIONS = 25;

interface Entry {
  readonly partition: SourcePartition;
  readonly offset: SourceOffset | null;
  /** Where the record sits in the offsets topic; the highest wins when snapshots disagree. */
  readonly at: readonly [number, number];
}

/** Canonical form of a source partition, independent of key order. */
export function partitionId(partition: SourcePartition): string {
  return stableStringify(partition);
}

export class SourceOffsetStore {
  private readonly entries = new Map<string, Entry>();
  private positions: Record<string, number> = {};
  /** When this writer's snapshot was last stored, and whether writes have come since. */
  private snapshotAt = 0;
  private unsaved = false;

  constructor(
    private readonly deps: { kafka: KafkaPort; store: OffsetBackingStore },
    readonly connector: string,
    readonly topic: string,
    /** Names this writer's snapshot: the task id, or `api` for REST changes. */
    private readonly writer: string,
    /**
     * Stores the snapshot at most this often (0: at every write); {@link saveSnapshot} stores
     * what is left. A snapshot that lags only has a loader read more of the topic's tail, so a
     * busy task need not write its store at every commit.
     */
    private readonly snapshotEveryMs = 0,
  ) {}

  /** Ensures the offsets topic exists: compacted, many partitions, as Connect creates it. */
  static async ensureTopic(kafka: KafkaPort, topic: string, replicationFactor = -1): Promise<void> {
    const admin = await kafka.admin();
    try {
      await admin.createTopics([{ topic, numPartitions: OFFSETS_TOPIC_PARTITIONS, replicationFactor, configs: { 'cleanup.policy': 'compact' } }]);
    } finally {
      await admin.close();
    }
  }

  /** Loads the connector's committed offsets: snapshots, then the topic's tail after them. */
  async load(): Promise<void> {
    const snapshots = await this.deps.store.getOffsetSnapshots(this.connector);
    const admin = await this.deps.kafka.admin();
    let watermarks;
    try {
      watermarks = await admin.watermarks(this.topic);
    } finally {
      await admin.close();
    }
    this.entries.clear();
    for (const s of snapshots.values()) if (s.topic === this.topic) this.mergeSnapshot(s);
    const relevant = [...snapshots.values()].filter((s) => s.topic === this.topic);
    const from = watermarks.map((w) => {
      const known = relevant.map((s) => s.positions[String(w.partition)] ?? w.low);
      const start = relevant.length ? Math.min(...known) : w.low;
      return { topic: this.topic, partition: w.partition, offset: Math.max(start, w.low), high: w.high };
    });
    const reader = await this.deps.kafka.reader({ isolation: 'read_committed' });
    try {
      let pending = from.filter((p) => p.offset < p.high);
      while (pending.length) {
        const { records, next } = await reader.fetch(pending, { maxWaitMs: 100 });
        for (const r of records) this.applyRecord(r.key, r.value, r.partition, r.offset);
        // A partition that stops advancing below its high watermark holds an open transaction: stop there.
        pending = pending
          .map((p) => ({ ...p, previous: p.offset, offset: next.find((n) => n.partition === p.partition)?.offset ?? p.offset }))
          .filter((p) => p.offset < p.high && p.offset > p.previous);
      }
    } finally {
      await reader.close();
    }
    this.positions = Object.fromEntries(watermarks.map((w) => [String(w.partition), w.high]));
  }

  reader(): OffsetStorageReader {
    return {
      offset: async (partition) => this.entries.get(partitionId(partition))?.offset ?? null,
      offsets: async (partitions) => new Map(partitions.map((p) => [p, this.entries.get(partitionId(p))?.offset ?? null])),
    };
  }

  /** Every partition's offset this connector has committed (GET /connectors/{name}/offsets). */
  all(): { partition: SourcePartition; offset: SourceOffset }[] {
    return [...this.entries.values()].filter((e) => e.offset !== null).map((e) => ({ partition: e.partition, offset: e.offset as SourceOffset }));
  }

  /** The offsets-topic records for these offsets (a null offset is a tombstone). */
  records(offsets: readonly { partition: SourcePartition; offset: SourceOffset | null }[]): OutgoingRecord[] {
    return offsets.map(({ partition, offset }) => ({
      topic: this.topic,
      key: Buffer.from(JSON.stringify([this.connector, partition])),
      value: offset === null ? null : Buffer.from(JSON.stringify(offset)),
    }));
  }

  /**
   * Records what was written to the offsets topic (by `send`, possibly inside a
   * transaction) and updates this writer's snapshot.
   */
  async written(offsets: readonly { partition: SourcePartition; offset: SourceOffset | null }[], written: readonly WrittenRecord[]): Promise<void> {
    offsets.forEach(({ partition, offset }, i) => {
      const w = written[i];
      const at: [number, number] = w ? [w.partition, w.offset] : [-1, -1];
      this.entries.set(partitionId(partition), { partition, offset, at });
      if (w && w.offset >= 0) this.positions[String(w.partition)] = Math.max(this.positions[String(w.partition)] ?? 0, w.offset + 1);
    });
    this.unsaved = true;
    if (Date.now() - this.snapshotAt >= this.snapshotEveryMs) await this.saveSnapshot();
  }

  /** Stores this writer's snapshot if writes came since it was last stored. */
  async saveSnapshot(): Promise<void> {
    if (!this.unsaved) return;
    this.unsaved = false;
    this.snapshotAt = Date.now();
    await this.deps.store.putOffsetSnapshot(this.connector, this.writer, this.snapshot());
  }

  /** Writes offsets outside any transaction: produce, then snapshot. */
  async write(send: (r: readonly OutgoingRecord[]) => Promise<WrittenRecord[]>, offsets: readonly { partition: SourcePartition; offset: SourceOffset | null }[]): Promise<void> {
    if (offsets.length === 0) return;
    const written = await send(this.records(offsets));
    await this.written(offsets, written);
  }

  private snapshot(): OffsetSnapshot {
    const offsets: Record<string, string | null> = {};
    for (const [id, e] of this.entries) offsets[id] = JSON.stringify({ p: e.partition, o: e.offset, at: e.at });
    return { topic: this.topic, positions: { ...this.positions }, offsets };
  }

  private mergeSnapshot(s: OffsetSnapshot): void {
    for (const [id, raw] of Object.entries(s.offsets)) {
      if (raw === null) continue;
      const { p, o, at } = JSON.parse(raw) as { p: SourcePartition; o: SourceOffset | null; at: [number, number] };
      this.keep(id, { partition: p, offset: o, at });
    }
  }

  private applyRecord(key: Buffer | null, value: Buffer | null, partition: number, offset: number): void {
    if (!key) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(key.toString('utf8'));
    } catch {
      return; // Not a Connect offsets record; Connect skips these too.
    }
    if (!Array.isArray(parsed) || parsed[0] !== this.connector || typeof parsed[1] !== 'object' || parsed[1] === null) return;
    const p = parsed[1] as SourcePartition;
    let o: SourceOffset | null = null;
    if (value) {
      try {
        o = JSON.parse(value.toString('utf8')) as SourceOffset;
      } catch {
        return;
      }
    }
    this.keep(partitionId(p), { partition: p, offset: o, at: [partition, offset] });
  }

  private keep(id: string, e: Entry): void {
    const current = this.entries.get(id);
    // Within one offsets-topic partition, the later record wins; a key always maps to one partition.
    if (!current || current.at[0] !== e.at[0] || e.at[1] >= current.at[1]) this.entries.set(id, e);
  }
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}
