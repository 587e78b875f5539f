/**
 * Helpers for the change data capture tests: read a whole topic as parsed JSON records, and
 * reduce a change event to what two correct connectors agree on (key, op, before, after, the
 * deterministic source fields).
 */
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

interface Envelope {
  payload: { op: string; before: unknown; after: unknown; source: Record<string, unknown> } | null;
}

export interface ComparableEvent {
  readonly key: unknown;
  readonly op: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly source: Record<string, unknown> | null;
}

/** Source fields that depend only on the database's history; `streaming` ones differ between two snapshots. */
export interface SourceFields {
  readonly always: readonly string[];
  readonly streaming: readonly string[];
}

export function comparableEvent(r: JsonRecord, fields: SourceFields): ComparableEvent {
  const key = (r.key as { payload?: unknown } | null)?.payload ?? null;
  const v = (r.value as Envelope | null)?.payload ?? null;
  if (!v) return { key, op: null, before: null, after: null, source: null };
  const source: Record<string, unknown> = {};
  for (const f of v.op === 'r' ? fields.always : [...fields.always, ...fields.streaming]) source[f] = v.source[f];
  // Which table a snapshot reads first is not specified by Debezium, so neither are first/last markers.
  if (v.op === 'r') source.snapshot = v.source.snapshot === 'false' ? 'false' : 'snapshot';
  return { key, op: v.op, before: v.before, after: v.after, source };
}
