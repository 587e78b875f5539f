/**
 * Maps database columns to Connect schemas and driver values to Connect values.
 *
 * Value conventions (shared with Tributary's converters):
 * - Decimal (org.apache.kafka.connect.data.Decimal, BYTES with parameter `scale`): a JS `string`
 *   holding the exact decimal number as the database printed it, e.g. "123.45".
 * - Date / Time / Timestamp logical types: JS `Date` (Date at midnight UTC; Time on 1970-01-01 UTC).
 * - BYTES: `Buffer`.
 * - INT64: `number` when it is a safe integer, else `bigint`.
 * - JSON columns: STRING holding the JSON text.
 * Nullable columns get optional schemas.
 */
import { DataError, LOGICAL, SchemaBuilder, Schemas, type Schema } from '../../plugins/connect-schema.ts';
import { JdbcValueError, UnsupportedColumnTypeError } from './errors.ts';
import type { ColumnKind, ColumnMeta } from './sql-dialect.ts';
import { parseDbDate, parseDbTime, parseDbTimestamp } from './zoned-time.ts';

export type NumericMapping = 'none' | 'precision_only' | 'best_fit' | 'best_fit_eager_double';
export const NUMERIC_MAPPINGS: readonly NumericMapping[] = ['none', 'precision_only', 'best_fit', 'best_fit_eager_double'];

/** Confluent's scale for NUMERIC columns declared without one. */
export const UNCONSTRAINED_DECIMAL_SCALE = 127;
const MAX_INTEGER_TYPE_PRECISION = 18;

export interface MappingOptions {
  /** db.timezone: the zone of TIMESTAMP WITHOUT TIME ZONE / DATETIME values. */
  readonly timeZone: string;
  readonly numericMapping: NumericMapping;
}

export type ValueConverter = (raw: unknown) => unknown;

export interface FieldMapping {
  readonly name: string;
  readonly schema: Schema;
  readonly convert: ValueConverter;
}

/** The Connect schema and value converter of one column; throws UnsupportedColumnTypeError. */
export function mapColumn(col: ColumnMeta, table: string, options: MappingOptions): FieldMapping {
  const optional = col.nullable !== false;
  const typed = typedMapping(col, optional, options);
  if (!typed) throw new UnsupportedColumnTypeError(table, col.name, col.typeName);
  const [schema, convert] = typed;
  return {
    name: col.name,
    schema,
    convert: (raw) => {
      if (raw === null || raw === undefined) return null;
      try {
        return convert(raw);
      } catch (e) {
        throw new JdbcValueError(`Column ${col.name} of ${table} (${col.typeName}): ${(e as Error).message}`, { cause: e });
      }
    },
  };
}

/** Converts a driver's 64-bit integer (number, string or bigint) to number when safe, else bigint. */
export function toInt64(raw: unknown): number | bigint {
  if (typeof raw === 'number') return raw;
  const big = typeof raw === 'bigint' ? raw : BigInt(String(raw));
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function typedMapping(col: ColumnMeta, optional: boolean, options: MappingOptions): [Schema, ValueConverter] | undefined {
  const kind: ColumnKind = col.kind;
  switch (kind) {
    case 'int8':
      return [optional ? Schemas.OPTIONAL_INT8 : Schemas.INT8, toNumber];
    case 'int16':
      return [optional ? Schemas.OPTIONAL_INT16 : Schemas.INT16, toNumber];
    case 'int32':
      return [optional ? Schemas.OPTIONAL_INT32 : Schemas.INT32, toNumber];
    case 'int64':
      return [optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64, toInt64];
    case 'uint64':
      return [decimalSchema(0, 20, optional), (v) => String(v)];
    case 'float32':
      return [optional ? Schemas.OPTIONAL_FLOAT32 : Schemas.FLOAT32, toNumber];
    case 'float64':
      return [optional ? Schemas.OPTIONAL_FLOAT64 : Schemas.FLOAT64, toNumber];
    case 'decimal':
      return numericMapping(col, optional, options.numericMapping);
    case 'boolean':
      return [optional ? Schemas.OPTIONAL_BOOLEAN : Schemas.BOOLEAN, toBoolean];
    case 'string':
    case 'json':
      return [optional ? Schemas.OPTIONAL_STRING : Schemas.STRING, toText];
    case 'bytes':
      return [optional ? Schemas.OPTIONAL_BYTES : Schemas.BYTES, toBuffer];
    case 'date':
      return [logical('INT32', LOGICAL.date, optional), (v) => (v instanceof Date ? v : parseDbDate(String(v)))];
    case 'time':
      return [logical('INT32', LOGICAL.time, optional), (v) => (v instanceof Date ? v : parseDbTime(String(v)))];
    case 'timestamp':
    case 'timestamptz':
      return [
        logical('INT64', LOGICAL.timestamp, optional),
        (v) => {
          if (v instanceof Date) return v;
          const text = String(v);
          // MySQL's zero date: no instant, so no value.
          if (text.startsWith('0000-00-00')) return null;
          return new Date(parseDbTimestamp(text, options.timeZone).epochMs);
        },
      ];
    case 'unsupported':
      return undefined;
  }
}

function numericMapping(col: ColumnMeta, optional: boolean, mapping: NumericMapping): [Schema, ValueConverter] {
  const precision = col.precision ?? 0;
  const scale = col.scale ?? -1;
  const unconstrained = scale < 0;
  if (!unconstrained && mapping !== 'none') {
    const fitsInteger = scale === 0 && precision > 0 && precision <= MAX_INTEGER_TYPE_PRECISION;
    if (fitsInteger) return integerByPrecision(precision, optional);
    const wantsDouble =
      (mapping === 'best_fit' && scale > 0 && precision <= MAX_INTEGER_TYPE_PRECISION) || (mapping === 'best_fit_eager_double' && scale > 0);
    if (wantsDouble) return [optional ? Schemas.OPTIONAL_FLOAT64 : Schemas.FLOAT64, toNumber];
  }
  if (unconstrained && (mapping === 'best_fit' || mapping === 'best_fit_eager_double')) {
    return [optional ? Schemas.OPTIONAL_FLOAT64 : Schemas.FLOAT64, toNumber];
  }
  const effectiveScale = unconstrained ? UNCONSTRAINED_DECIMAL_SCALE : scale;
  return [decimalSchema(effectiveScale, precision, optional), toDecimalText];
}

function integerByPrecision(precision: number, optional: boolean): [Schema, ValueConverter] {
  if (precision > 9) return [optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64, toInt64];
  if (precision > 4) return [optional ? Schemas.OPTIONAL_INT32 : Schemas.INT32, toNumber];
  if (precision > 2) return [optional ? Schemas.OPTIONAL_INT16 : Schemas.INT16, toNumber];
  return [optional ? Schemas.OPTIONAL_INT8 : Schemas.INT8, toNumber];
}

/** Connect's Decimal schema with Confluent's `connect.decimal.precision` parameter. */
export function decimalSchema(scale: number, precision: number, optional: boolean): Schema {
  const b = new SchemaBuilder('BYTES').name(LOGICAL.decimal).version(1).parameter('scale', String(scale));
  if (precision > 0) b.parameter('connect.decimal.precision', String(precision));
  return (optional ? b.optional() : b).build();
}

function logical(type: 'INT32' | 'INT64', name: string, optional: boolean): Schema {
  const b = new SchemaBuilder(type).name(name).version(1);
  return (optional ? b.optional() : b).build();
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const n = Number(v);
  if (Number.isNaN(n) && String(v) !== 'NaN') throw new DataError(`"${String(v)}" is not a number`);
  return n;
}

function toDecimalText(v: unknown): string {
  const text = String(v).trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) throw new DataError(`"${text}" is not a finite decimal`);
  return text;
}

function toBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (Buffer.isBuffer(v)) return v.some((b) => b !== 0);
  const s = String(v).toLowerCase();
  return s === '1' || s === 't' || s === 'true' || s === 'y' || s === 'yes';
}

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'string' && v.startsWith('\\x')) return Buffer.from(v.slice(2), 'hex');
  return Buffer.from(String(v), 'utf8');
}
