import { describe, expect, it } from 'vitest';
import { mapColumn, toInt64, type MappingOptions } from '../../../../lib/connectors/jdbc/column-type-mapper.ts';
import { UnsupportedColumnTypeError } from '../../../../lib/connectors/jdbc/errors.ts';
import { mysqlColumnType, MYSQL_FLAGS } from '../../../../lib/connectors/jdbc/mysql-dialect.ts';
import { pgColumnType } from '../../../../lib/connectors/jdbc/postgres-dialect.ts';
import type { ColumnMeta } from '../../../../lib/connectors/jdbc/sql-dialect.ts';
import { decimalFromBytes, decimalToBytes } from '../../../../lib/converters/logical-types.ts';
import { LOGICAL } from '../../../../lib/plugins/connect-schema.ts';

const opts: MappingOptions = { timeZone: 'UTC', numericMapping: 'none' };
const col = (over: Partial<ColumnMeta>): ColumnMeta => ({ name: 'c', kind: 'string', typeName: 't', nullable: true, ...over });

describe('pgColumnType', () => {
  it.each([
    [23, -1, 'int32'],
    [21, -1, 'int16'],
    [20, -1, 'int64'],
    [700, -1, 'float32'],
    [701, -1, 'float64'],
    [16, -1, 'boolean'],
    [25, -1, 'string'],
    [1043, 24, 'string'],
    [17, -1, 'bytes'],
    [1082, -1, 'date'],
    [1083, 3, 'time'],
    [1114, 6, 'timestamp'],
    [1184, -1, 'timestamptz'],
    [114, -1, 'json'],
    [3802, -1, 'json'],
    [2950, -1, 'string'],
    [1007, -1, 'unsupported'],
    [1186, -1, 'unsupported'],
  ])('oid %i (typmod %i) is %s', (oid, typmod, kind) => {
    expect(pgColumnType(oid, typmod).kind).toBe(kind);
  });

  it('reads NUMERIC precision and scale from the type modifier; unconstrained has scale -1', () => {
    expect(pgColumnType(1700, 655367)).toMatchObject({ kind: 'decimal', precision: 10, scale: 3 });
    expect(pgColumnType(1700, -1)).toMatchObject({ kind: 'decimal', precision: 0, scale: -1 });
  });

  it('maps enums to strings and domains to their base type, via pg_type facts', () => {
    expect(pgColumnType(16388, -1, { typname: 'mood', typtype: 'e', typcategory: 'E' }).kind).toBe('string');
    expect(pgColumnType(16390, -1, { typname: 'posint', typtype: 'd', typcategory: 'N', baseKind: 'int32' }).kind).toBe('int32');
    expect(pgColumnType(16391, -1, { typname: '_mood', typtype: 'b', typcategory: 'A' }).kind).toBe('unsupported');
  });
});

describe('mysqlColumnType', () => {
  const f = (columnType: number, over: Partial<Parameters<typeof mysqlColumnType>[0]> = {}) =>
    mysqlColumnType({ columnType, flags: 0, decimals: 0, columnLength: 11, characterSet: 63, ...over });
  it('maps integer widths and signedness', () => {
    expect(f(1, { columnLength: 1 }).kind).toBe('boolean');
    expect(f(1, { columnLength: 4 }).kind).toBe('int8');
    expect(f(1, { columnLength: 3, flags: MYSQL_FLAGS.UNSIGNED }).kind).toBe('int16');
    expect(f(3).kind).toBe('int32');
    expect(f(3, { flags: MYSQL_FLAGS.UNSIGNED }).kind).toBe('int64');
    expect(f(8).kind).toBe('int64');
    expect(f(8, { flags: MYSQL_FLAGS.UNSIGNED }).kind).toBe('uint64');
  });
  it('reads DECIMAL precision from the column length', () => {
    expect(f(246, { columnLength: 12, decimals: 3 })).toMatchObject({ kind: 'decimal', precision: 10, scale: 3 });
    expect(f(246, { columnLength: 11, decimals: 0 })).toMatchObject({ precision: 10, scale: 0 });
  });
  it('tells text from binary by character set, and knows dates and JSON', () => {
    expect(f(253, { characterSet: 224 }).kind).toBe('string');
    expect(f(253).kind).toBe('bytes');
    expect(f(252, { characterSet: 224, extendedFormat: 'json' }).kind).toBe('json');
    expect(f(12).kind).toBe('timestamp');
    expect(f(7).kind).toBe('timestamp');
    expect(f(10).kind).toBe('date');
    expect(f(255).kind).toBe('unsupported');
  });
});

describe('mapColumn', () => {
  it('nullable columns get optional schemas; NOT NULL ones required', () => {
    expect(mapColumn(col({ kind: 'int32', nullable: false }), 't', opts).schema).toMatchObject({ type: 'INT32', optional: false });
    expect(mapColumn(col({ kind: 'int32', nullable: undefined }), 't', opts).schema).toMatchObject({ type: 'INT32', optional: true });
  });

  it('DECIMAL is a Decimal with scale and precision; values are the exact decimal text', () => {
    const m = mapColumn(col({ kind: 'decimal', precision: 10, scale: 2 }), 't', opts);
    expect(m.schema).toMatchObject({ type: 'BYTES', name: LOGICAL.decimal, parameters: { scale: '2', 'connect.decimal.precision': '10' } });
    expect(m.convert('12345678.90')).toBe('12345678.90');
    expect(m.convert(null)).toBeNull();
    expect(() => m.convert('NaN')).toThrow(/Column c of t \(t\): "NaN" is not a finite decimal/);
    expect(mapColumn(col({ kind: 'decimal', precision: 0, scale: -1 }), 't', opts).schema.parameters).toEqual({ scale: '127' });
  });

  it('decimal text values serialise through the converters\' Decimal logical type at the schema scale', () => {
    const m = mapColumn(col({ kind: 'decimal', precision: 10, scale: 3 }), 't', opts);
    const bytes = decimalToBytes(m.schema, m.convert('-12.345'));
    expect(decimalFromBytes(m.schema, bytes).toPlainString()).toBe('-12.345');
    const unconstrained = mapColumn(col({ kind: 'decimal', precision: 0, scale: -1 }), 't', opts);
    expect(decimalFromBytes(unconstrained.schema, decimalToBytes(unconstrained.schema, '1.5')).toNumber()).toBe(1.5);
  });

  it('numeric.mapping best_fit gives integers and doubles', () => {
    const best = { ...opts, numericMapping: 'best_fit' as const };
    expect(mapColumn(col({ kind: 'decimal', precision: 4, scale: 0 }), 't', best).schema.type).toBe('INT16');
    expect(mapColumn(col({ kind: 'decimal', precision: 12, scale: 0 }), 't', best).schema.type).toBe('INT64');
    expect(mapColumn(col({ kind: 'decimal', precision: 10, scale: 2 }), 't', best).convert('1.25')).toBe(1.25);
    expect(mapColumn(col({ kind: 'decimal', precision: 30, scale: 2 }), 't', best).schema.name).toBe(LOGICAL.decimal);
  });

  it('INT64 is a number when safe and a bigint beyond', () => {
    const m = mapColumn(col({ kind: 'int64' }), 't', opts);
    expect(m.convert('42')).toBe(42);
    expect(m.convert('9007199254740993')).toBe(9007199254740993n);
    expect(toInt64(-7n)).toBe(-7);
  });

  it('dates, times and timestamps become Dates; naive timestamps are read in db.timezone', () => {
    expect(mapColumn(col({ kind: 'date' }), 't', opts).convert('2024-02-29')).toEqual(new Date(Date.UTC(2024, 1, 29)));
    expect(mapColumn(col({ kind: 'time' }), 't', opts).convert('12:34:56.789')).toEqual(new Date(Date.UTC(1970, 0, 1, 12, 34, 56, 789)));
    const ts = mapColumn(col({ kind: 'timestamp' }), 't', { ...opts, timeZone: 'America/New_York' });
    expect(ts.schema).toMatchObject({ type: 'INT64', name: LOGICAL.timestamp });
    expect(ts.convert('2024-07-01 08:00:00.5')).toEqual(new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 500)));
    expect(mapColumn(col({ kind: 'timestamptz' }), 't', opts).convert('2024-07-01 08:00:00+02')).toEqual(new Date(Date.UTC(2024, 6, 1, 6)));
  });

  it('booleans, bytes and JSON', () => {
    expect(mapColumn(col({ kind: 'boolean' }), 't', opts).convert(1)).toBe(true);
    expect(mapColumn(col({ kind: 'boolean' }), 't', opts).convert(Buffer.from([0]))).toBe(false);
    expect(mapColumn(col({ kind: 'bytes' }), 't', opts).convert(Buffer.from('ab'))).toEqual(Buffer.from('ab'));
    expect(mapColumn(col({ kind: 'json' }), 't', opts).convert('{"a":1}')).toBe('{"a":1}');
  });

  it('an unmappable type fails naming table and column', () => {
    expect(() => mapColumn(col({ name: 'shape', kind: 'unsupported', typeName: 'geometry' }), 'shop.places', opts)).toThrow(
      new UnsupportedColumnTypeError('shop.places', 'shape', 'geometry'),
    );
  });
});
