/**
 * Connect records as tasks and transforms see them (ConnectRecord, SourceRecord, SinkRecord).
 */
import type { Schema } from './connect-schema.ts';

export interface ConnectHeader {
  readonly key: string;
  readonly schema?: Schema | null | undefined;
  readonly value: unknown;
}

export interface ConnectRecord {
  readonly topic: string;
  readonly kafkaPartition?: number | null | undefined;
  readonly keySchema?: Schema | null | undefined;
  readonly key?: unknown;
  readonly valueSchema?: Schema | null | undefined;
  readonly value: unknown;
  /** Milliseconds since the epoch. */
  readonly timestamp?: number | null | undefined;
  readonly headers?: readonly ConnectHeader[] | undefined;
}

export type SourcePartition = Readonly<Record<string, unknown>>;
export type SourceOffset = Readonly<Record<string, unknown>>;

export interface SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourcePartition;
  readonly sourceOffset: SourceOffset;
}

export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: number;
  readonly timestampType?: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType' | undefined;
  /** Where the record came from before transforms changed its topic or partition. */
  readonly originalTopic?: string | undefined;
  readonly originalKafkaPartition?: number | undefined;
  readonly originalKafkaOffset?: number | undefined;
}

/** Returns a copy of a record with some fields replaced, keeping its source or sink identity. */
export function newRecord<R extends ConnectRecord>(record: R, changes: Partial<ConnectRecord>): R {
  return { ...record, ...changes };
}
