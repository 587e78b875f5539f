/** Helpers for the change data capture tests: read a whole topic as parsed JSON records. */
import type { TestKafka } from './kafka-helpers.ts';

export interface JsonRecord {
  readonly offset: number;
  /** The record's Kafka timestamp (CreateTime: when the producer sent it). */
  readonly timestamp: number;
  readonly key: unknown;
  /** null for a tombstone. */
  readonly value: unknown;
}

/** Every committed record of a one-partition topic up to its high watermark, JSON-parsed; none while the topic does not exist. */
export async function readJsonTopic(kafka: TestKafka, topic: string): Promise<JsonRecord[]> {
  if ((await kafka.count(topic)) === 0) return [];
  const messages = await kafka.snapshot(topic, { committed: true });
  return messages
    .map((m) => ({ offset: m.offset, timestamp: m.timestamp, key: m.key ? JSON.parse(m.key.toString()) : null, value: m.value ? JSON.parse(m.value.toString()) : null }))
    .sort((a, b) => a.offset - b.offset);
}
