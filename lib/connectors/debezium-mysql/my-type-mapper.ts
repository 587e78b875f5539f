/**
 * MySQL/MariaDB column types to Connect schemas and values as Debezium's MySQL connector maps
 * them. Values come from mysql2 (snapshot) and the binlog reader (stream) with the same session
 * options: temporal values as text, DECIMAL and BIGINT as exact strings, binary as Buffers.
 */
import { Decimal } from '../../converters/logical-types.ts';
import { LOGICAL, SchemaBuilder, type Schema } from '../../plugins/connect-schema.ts';
import type { DecimalHandling, TimePrecision } from '../debezium-common/cdc-config.ts';
import type { CdcColumn } from '../debezium-common/debezium-envelope.ts';
import { epochDays, isoUtcFromMicros, timeMicros, timestampMicros } from '../debezium-common/temporal.ts';
import type { MyColumnInfo } from './my-catalog.ts';

export interface MyColumnMapping {
  readonly column: CdcColumn;
  convert(value: unknown): unknown;
}

type Mapped = { schema: SchemaBuilder; convert: (v: unknown) => unknown };
const sb = (type: ConstructorParameters<typeof SchemaBuilder>[0]) => new SchemaBuilder(type);
const named = (type: ConstructorParameters<typeof SchemaBuilder>[0], name: string) => sb(type).name(name).version(1);
const text = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
const int = (v: unknown) => Number(v);
const int64 = (v: unknown) => {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(String(v));
};

export function mapMyColumn(c: MyColumnInfo, s: { decimalHandling: DecimalHandling; timePrecision: TimePrecision }): MyColumnMapping {
  const m = mapType(c, s);
  if (!c.notNull) m.schema.optional();
  // Debezium puts a column's literal default into its schema (expressions such as current_timestamp() stay out).
  if (c.defaultLiteral && c.defaultValue !== null && c.defaultValue !== undefined) m.schema.defaultValue(m.convert(c.defaultValue));
  const schema: Schema = m.schema.build();
  return { column: { name: c.name, schema }, convert: (v) => (v === null || v === undefined ? null : m.convert(v)) };
}

function enumValues(columnType: string): string {
  const inner = /^\w+\((.*)\)$/.exec(columnType)?.[1] ?? '';
  return [...inner.matchAll(/'((?:[^']|'')*)'/g)].map((x) => (x[1] ?? '').replace(/''/g, "'")).join(',');
}

function mapType(c: MyColumnInfo, s: { decimalHandling: DecimalHandling; timePrecision: TimePrecision }): Mapped {
  const unsigned = c.columnType.includes('unsigned');
  switch (c.dataType) {
    case 'tinyint':
      return { schema: sb('INT16'), convert: int };
    case 'smallint':
      return { schema: unsigned ? sb('INT32') : sb('INT16'), convert: int };
    case 'mediumint':
      return { schema: sb('INT32'), convert: int };
    case 'int':
    case 'integer':
      return { schema: unsigned ? sb('INT64') : sb('INT32'), convert: unsigned ? int64 : int };
    case 'bigint':
      // bigint.unsigned.handling.mode=long (Debezium's default): values past 2^63-1 wrap around.
      return { schema: sb('INT64'), convert: (v) => { const n = int64(v); return typeof n === 'bigint' ? BigInt.asIntN(64, n) : n; } };
    case 'float':
      return { schema: sb('FLOAT32'), convert: int };
    case 'double':
    case 'real':
      return { schema: sb('FLOAT64'), convert: int };
    case 'decimal':
    case 'numeric': {
      const scale = c.scale ?? 0;
      if (s.decimalHandling === 'double') return { schema: sb('FLOAT64'), convert: (v) => Number(v) };
      if (s.decimalHandling === 'string') return { schema: sb('STRING'), convert: text };
      const schema = sb('BYTES').name(LOGICAL.decimal).version(1).parameter('scale', String(scale)).parameter('connect.decimal.precision', String(c.precision ?? 10));
      return { schema, convert: (v) => Decimal.parse(String(v)).withScale(scale) };
    }
    case 'bit':
      if (c.precision === 1 || c.columnType === 'bit(1)') return { schema: sb('BOOLEAN'), convert: (v) => (Buffer.isBuffer(v) ? v[v.length - 1] === 1 : Boolean(Number(v))) };
      return { schema: named('BYTES', 'io.debezium.data.Bits').parameter('length', String(c.precision ?? 1)), convert: (v) => (Buffer.isBuffer(v) ? Buffer.from(v).reverse() : v) };
    case 'boolean':
      return { schema: sb('BOOLEAN'), convert: (v) => Boolean(Number(v)) };
    case 'date':
      if (s.timePrecision === 'connect') return { schema: sb('INT32').name(LOGICAL.date).version(1), convert: (v) => new Date(epochDays(String(v)) * 86_400_000) };
      return { schema: named('INT32', 'io.debezium.time.Date'), convert: (v) => epochDays(String(v)) };
    case 'datetime': {
      const p = c.datetimePrecision ?? 0;
      if (s.timePrecision === 'connect') return { schema: sb('INT64').name(LOGICAL.timestamp).version(1), convert: (v) => new Date(Math.floor(timestampMicros(String(v)) / 1000)) };
      if (p <= 3) return { schema: named('INT64', 'io.debezium.time.Timestamp'), convert: (v) => Math.floor(timestampMicros(String(v)) / 1000) };
      return { schema: named('INT64', 'io.debezium.time.MicroTimestamp'), convert: (v) => timestampMicros(String(v)) };
    }
    case 'timestamp': {
      const p = c.datetimePrecision ?? 0;
      return { schema: named('STRING', 'io.debezium.time.ZonedTimestamp'), convert: (v) => isoUtcFromMicros(timestampMicros(String(v)), p) };
    }
    case 'time': {
      const p = c.datetimePrecision ?? 0;
      if (s.timePrecision === 'connect') return { schema: sb('INT32').name(LOGICAL.time).version(1), convert: (v) => new Date(Math.floor(timeMicros(String(v)) / 1000)) };
      if (p <= 3 && s.timePrecision === 'adaptive') return { schema: named('INT32', 'io.debezium.time.Time'), convert: (v) => Math.floor(signedTimeMicros(String(v)) / 1000) };
      return { schema: named('INT64', 'io.debezium.time.MicroTime'), convert: (v) => signedTimeMicros(String(v)) };
    }
    case 'year':
      return { schema: named('INT32', 'io.debezium.time.Year'), convert: int };
    case 'json':
      return { schema: named('STRING', 'io.debezium.data.Json'), convert: (v) => (typeof v === 'string' || Buffer.isBuffer(v) ? text(v) : JSON.stringify(v)) };
    case 'enum':
      return { schema: named('STRING', 'io.debezium.data.Enum').parameter('allowed', enumValues(c.columnType)), convert: text };
    case 'set':
      return { schema: named('STRING', 'io.debezium.data.EnumSet').parameter('allowed', enumValues(c.columnType)), convert: (v) => (Array.isArray(v) ? v.join(',') : text(v)) };
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { schema: sb('BYTES'), convert: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'binary')) };
    default:
      // char, varchar, text types, and anything else as its text.
      return { schema: sb('STRING'), convert: text };
  }
}

/** TIME may be negative or above 24 h in MySQL. */
function signedTimeMicros(t: string): number {
  const neg = t.startsWith('-');
  const m = /^-?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(t);
  if (!m) return timeMicros(t);
  const v = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + Number((m[4] ?? '').padEnd(6, '0'));
  return neg ? -v : v;
}
