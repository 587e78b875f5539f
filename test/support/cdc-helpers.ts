/** Helpers for the change data capture tests: read a whole topic as parsed JSON records. */
import type { KafkajsAdapter } from '../../lib/kafka/kafkajs-adapter.ts';

export interface JsonRecord {
  readonly offset: number;
  /** The record's Kafka timestamp (CreateTime: when the producer sent it). */
  readonly timestamp: number;
  readonly key: unknown;
  /** null for a tombstone. */
  readonly value: unknown;
}

/** Every record of a one-partition topic up to its high watermark (read_committed), JSON-parsed. */
export async function readJsonTopic(kafka: KafkajsAdapter, topic: string): Promise<JsonRecord[]> {
  const admin = await kafka.admin();
  const marks = await admin.watermarks(topic).catch(() => []);
  await admin.close();
  const out: JsonRecord[] = [];
  const reader = await kafka.reader({ isolation: 'read_committed' });
  const high = new Map(marks.map((m) => [m.partition, m.high]));
  let positions = marks.map((m) => ({ topic, partition: m.partition, offset: m.low }));
  try {
    while (positions.some((p) => p.offset < (high.get(p.partition) ?? 0))) {
      const { records, next } = await reader.fetch(positions.filter((p) => p.offset < (high.get(p.partition) ?? 0)), { maxWaitMs: 200 });
      for (const r of records) {
        out.push({ offset: r.offset, timestamp: r.timestamp, key: r.key ? JSON.parse(r.key.toString()) : null, value: r.value ? JSON.parse(r.value.toString()) : null });
      }
      const progressed = new Map(next.map((n) => [n.partition, n.offset]));
      const before = positions.map((p) => p.offset).join();
      positions = positions.map((p) => ({ ...p, offset: progressed.get(p.partition) ?? p.offset }));
      if (records.length === 0 && before === positions.map((p) => p.offset).join()) break;
    }
  } finally {
    await reader.close();
  }
  return out.sort((a, b) => a.offset - b.offset);
}
