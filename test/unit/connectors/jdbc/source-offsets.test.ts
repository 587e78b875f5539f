import { describe, expect, it } from 'vitest';
import { MysqlDialect } from '../../../../lib/connectors/jdbc/mysql-dialect.ts';
import { PostgresDialect } from '../../../../lib/connectors/jdbc/postgres-dialect.ts';
import { legacyTablePartition, offsetFromMap, offsetToMap, QUERY_PARTITION, tablePartition } from '../../../../lib/connectors/jdbc/source-offsets.ts';

describe('source partitions and offsets in Confluent\'s shape', () => {
  it('table partitions are protocol 1 with the qualified name; protocol 0 has the bare name', () => {
    expect(JSON.stringify(tablePartition(new PostgresDialect(), { schema: 'public', table: 'accounts' }))).toBe('{"protocol":"1","table":"public.accounts"}');
    expect(tablePartition(new MysqlDialect(), { catalog: 'shop', table: 'accounts' })).toEqual({ protocol: '1', table: 'shop.accounts' });
    expect(legacyTablePartition({ catalog: 'shop', table: 'accounts' })).toEqual({ table: 'accounts' });
    expect(QUERY_PARTITION).toEqual({ query: 'query' });
  });

  it('offset maps carry incrementing, timestamp (millis) and timestamp_nanos in Java HashMap order', () => {
    const ts = { epochMs: Date.UTC(2024, 0, 1, 0, 0, 0, 123), nanos: 123_456_000 };
    expect(JSON.stringify(offsetToMap({ incrementing: 42, timestamp: ts }))).toBe(`{"timestamp_nanos":123456000,"incrementing":42,"timestamp":${ts.epochMs}}`);
    expect(offsetToMap({ incrementing: 7, timestamp: null })).toEqual({ incrementing: 7 });
    expect(offsetToMap({ incrementing: null, timestamp: null })).toEqual({});
  });

  it('reads maps written by Confluent, including missing nanos and string longs', () => {
    expect(offsetFromMap({ timestamp_nanos: 999_999_999, incrementing: 5, timestamp: 1_000_999 })).toEqual({
      incrementing: 5,
      timestamp: { epochMs: 1_000_999, nanos: 999_999_999 },
    });
    // Timestamp(ms) alone keeps the millis as its nanos.
    expect(offsetFromMap({ timestamp: 1_500 })).toEqual({ incrementing: null, timestamp: { epochMs: 1_500, nanos: 500_000_000 } });
    expect(offsetFromMap({ incrementing: '9223372036854775807' }).incrementing).toBe(9223372036854775807n);
    expect(offsetFromMap(null)).toEqual({ incrementing: null, timestamp: null });
  });
});
