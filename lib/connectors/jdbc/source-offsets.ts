/**
 * Source partitions and offsets in exactly Confluent's JDBC source shape, so offsets migrate
 * between Kafka Connect and Tributary in both directions:
 * - table partition, protocol 1: `{"protocol":"1","table":"<schema-or-db>.<table>"}`;
 *   protocol 0 (older connectors, read only): `{"table":"<table>"}`;
 * - query partition: `{"query":"query"}`;
 * - offset: `{"timestamp_nanos":n,"incrementing":i,"timestamp":ms}` (keys present as the mode needs;
 *   key order as Java's HashMap writes them).
 */
import type { SourceOffset, SourcePartition } from '../../plugins/connect-record.ts';
import type { SqlDialect, TableId } from './sql-dialect.ts';
import type { PreciseTimestamp } from './zoned-time.ts';

export const TABLE_NAME_KEY = 'table';
export const QUERY_NAME_KEY = 'query';
export const QUERY_NAME_VALUE = 'query';
export const OFFSET_PROTOCOL_VERSION_KEY = 'protocol';
export const PROTOCOL_VERSION_ONE = '1';

/** The partition Tributary writes for a table (protocol 1, fully-qualified unquoted name). */
export function tablePartition(dialect: SqlDialect, table: TableId): SourcePartition {
  return { [OFFSET_PROTOCOL_VERSION_KEY]: PROTOCOL_VERSION_ONE, [TABLE_NAME_KEY]: dialect.tableName(table, false) };
}

/** Protocol 0 partition, only read to resume from offsets older connectors wrote. */
export function legacyTablePartition(table: TableId): SourcePartition {
  return { [TABLE_NAME_KEY]: table.table };
}

export const QUERY_PARTITION: SourcePartition = Object.freeze({ [QUERY_NAME_KEY]: QUERY_NAME_VALUE });

/** Where a timestamp/incrementing querier is: Confluent's TimestampIncrementingOffset. */
export interface TimestampIncrementingOffset {
  /** Last incrementing value read; null before any (queries then use -1). */
  readonly incrementing: number | bigint | null;
  /** Last timestamp read; null before any (queries then use the epoch or `timestamp.initial`). */
  readonly timestamp: PreciseTimestamp | null;
}

export const EMPTY_OFFSET: TimestampIncrementingOffset = Object.freeze({ incrementing: null, timestamp: null });

/** The offset map stored in the offsets topic. */
export function offsetToMap(o: TimestampIncrementingOffset): SourceOffset {
  const map: Record<string, unknown> = {};
  if (o.timestamp) map['timestamp_nanos'] = o.timestamp.nanos;
  if (o.incrementing !== null) map['incrementing'] = o.incrementing;
  if (o.timestamp) map['timestamp'] = o.timestamp.epochMs;
  return map;
}

/** Reads a stored offset map; missing keys mean "from the beginning". */
export function offsetFromMap(map: SourceOffset | null | undefined): TimestampIncrementingOffset {
  if (!map) return EMPTY_OFFSET;
  const incrementing = toLong(map['incrementing']);
  const millis = toLong(map['timestamp']);
  let timestamp: PreciseTimestamp | null = null;
  if (millis !== null) {
    const nanos = toLong(map['timestamp_nanos']);
    const ms = Number(millis);
    // Java's Timestamp(ms).setNanos(n) keeps the second of `ms` and replaces its fraction.
    timestamp = nanos === null ? { epochMs: ms, nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 } : withNanos(ms, Number(nanos));
  }
  return { incrementing, timestamp };
}

function withNanos(ms: number, nanos: number): PreciseTimestamp {
  const second = Math.floor(ms / 1000) * 1000;
  return { epochMs: second + Math.floor(nanos / 1_000_000), nanos };
}

function toLong(v: unknown): number | bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const big = BigInt(v);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  return null;
}
