/**
 * PostgreSQL column types to Connect schemas and values as Debezium's PostgreSQL connector maps
 * them, from the text form pgoutput and the snapshot queries deliver.
 */
import { Decimal, bigIntToBytes } from '../../converters/logical-types.ts';
import { LOGICAL, SchemaBuilder, Schemas, Struct, type Schema } from '../../plugins/connect-schema.ts';
import type { CdcColumn } from '../debezium-common/debezium-envelope.ts';
import type { DecimalHandling, TimePrecision } from '../debezium-common/cdc-config.ts';
import { epochDays, isoTimeFromMicros, isoUtcFromMicros, timeMicros, timestampMicros, zoneSeconds } from '../debezium-common/temporal.ts';
import { CdcValueError } from '../debezium-common/cdc-errors.ts';

/** What the catalog says about a column. */
export interface PgColumnInfo {
  readonly name: string;
  readonly typeName: string;
  readonly typeMod: number;
  /** pg_type.typtype: b(ase), e(num), d(omain), c(omposite)... */
  readonly typeType: string;
  /** For arrays, the element type's name. */
  readonly elementTypeName: string | null;
  readonly enumLabels: string | null;
  readonly notNull: boolean;
  /** The column default as pg_get_expr prints it, or null. */
  readonly defaultExpr?: string | null;
}

export interface ColumnMapping {
  readonly column: CdcColumn;
  /** The value Debezium puts for this column when a key-only tuple lacks it: its default, else a zero for required columns. */
  readonly fallback: unknown;
  /** Text form from PostgreSQL → Connect value. */
  convert(text: string): unknown;
}

export interface MappingSettings {
  readonly decimalHandling: DecimalHandling;
  readonly timePrecision: TimePrecision;
}

type Mapped = { schema: SchemaBuilder; convert: (text: string) => unknown };

const sb = (type: ConstructorParameters<typeof SchemaBuilder>[0]) => new SchemaBuilder(type);
const named = (type: ConstructorParameters<typeof SchemaBuilder>[0], name: string) => sb(type).name(name).version(1);
const numberOrText = (t: string) => (t === 'NaN' || t === 'Infinity' || t === '-Infinity' ? Number(t) : Number(t));

/** The Connect schema and converter of a column. */
export function mapColumn(info: PgColumnInfo, settings: MappingSettings): ColumnMapping {
  const m = mapType(info.typeName, info.typeMod, info, settings);
  if (!info.notNull) m.schema.optional();
  const zero = info.notNull ? zeroOf(m.schema.build()) : null;
  let dflt: unknown = null;
  if (info.defaultExpr) {
    const literal = constantText(info.defaultExpr);
    try {
      dflt = literal === null ? zero : m.convert(literal);
    } catch {
      dflt = zero;
    }
  }
  if (dflt !== null) m.schema.defaultValue(dflt);
  const schema = m.schema.build();
  let convert = m.convert;
  if (schema.type === 'STRUCT') {
    const raw = m.convert;
    convert = (t) => {
      const v = raw(t) as Record<string, unknown> | null;
      if (!v) return null;
      const s = new Struct(schema);
      for (const [k, x] of Object.entries(v)) s.put(k, x);
      return s;
    };
  }
  return { column: { name: info.name, schema }, convert, fallback: dflt ?? zero };
}

/** The text of a constant default (`'x'::text`, `42`, `(-1)`, `true`), or null for an expression. */
export function constantText(expr: string): string | null {
  const quoted = /^'((?:[^']|'')*)'(?:::[\w\s."\[\]]+)?$/.exec(expr);
  if (quoted) return (quoted[1] ?? '').replace(/''/g, "'");
  const num = /^\(?(-?\d+(?:\.\d+)?)\)?(?:::[\w\s]+)?$/.exec(expr);
  if (num) return num[1] ?? null;
  if (expr === 'true' || expr === 'false') return expr;
  return null;
}

/** Debezium's stand-in for a missing required value: zero of the schema's type. */
function zeroOf(schema: Schema): unknown {
  if (schema.name && !schema.name.startsWith('io.debezium.time.')) return null;
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
    case 'FLOAT32':
    case 'FLOAT64':
      return 0;
    case 'BOOLEAN':
      return false;
    case 'STRING':
      return schema.name ? null : '';
    default:
      return null;
  }
}

function mapType(typeName: string, typeMod: number, info: PgColumnInfo, s: MappingSettings): Mapped {
  if (info.typeType === 'e') {
    return { schema: named('STRING', 'io.debezium.data.Enum').parameter('allowed', info.enumLabels ?? ''), convert: (t) => t };
  }
  if (typeName.startsWith('_') && info.elementTypeName) {
    const element = mapType(info.elementTypeName, -1, { ...info, typeType: 'b', elementTypeName: null }, s);
    const elementSchema = element.schema.optional().build();
    return { schema: SchemaBuilder.array(elementSchema), convert: (t) => parseArray(t).map((v) => (v === null ? null : element.convert(v))) };
  }
  switch (typeName) {
    case 'int2':
      return { schema: sb('INT16'), convert: Number };
    case 'int4':
      return { schema: sb('INT32'), convert: Number };
    case 'int8':
    case 'oid':
      return { schema: sb('INT64'), convert: int64 };
    case 'bool':
      return { schema: sb('BOOLEAN'), convert: (t) => t === 't' || t === 'true' };
    case 'float4':
      return { schema: sb('FLOAT32'), convert: numberOrText };
    case 'float8':
      return { schema: sb('FLOAT64'), convert: numberOrText };
    case 'numeric':
      return numeric(typeMod, s.decimalHandling);
    case 'money':
      return decimalOf(2, null, s.decimalHandling, (t) => t.replace(/[^0-9.-]/g, ''));
    case 'bytea':
      return { schema: sb('BYTES'), convert: (t) => (t.startsWith('\\x') ? Buffer.from(t.slice(2), 'hex') : Buffer.from(t, 'binary')) };
    case 'date':
      if (s.timePrecision === 'connect') return { schema: sb('INT32').name(LOGICAL.date).version(1), convert: (t) => new Date(epochDays(t) * 86_400_000) };
      return { schema: named('INT32', 'io.debezium.time.Date'), convert: epochDays };
    case 'timestamp': {
      const p = typeMod < 0 ? 6 : typeMod;
      if (s.timePrecision === 'connect') return { schema: sb('INT64').name(LOGICAL.timestamp).version(1), convert: (t) => new Date(Math.floor(timestampMicros(t) / 1000)) };
      if (p <= 3) return { schema: named('INT64', 'io.debezium.time.Timestamp'), convert: (t) => Math.floor(timestampMicros(t) / 1000) };
      return { schema: named('INT64', 'io.debezium.time.MicroTimestamp'), convert: timestampMicros };
    }
    case 'timestamptz': {
      const p = typeMod < 0 ? 6 : typeMod;
      return { schema: named('STRING', 'io.debezium.time.ZonedTimestamp'), convert: (t) => isoUtcFromMicros(zonedMicros(t), p) };
    }
    case 'time': {
      const p = typeMod < 0 ? 6 : typeMod;
      if (s.timePrecision === 'connect') return { schema: sb('INT32').name(LOGICAL.time).version(1), convert: (t) => new Date(Math.floor(timeMicros(t) / 1000)) };
      if (p <= 3 && s.timePrecision === 'adaptive') return { schema: named('INT32', 'io.debezium.time.Time'), convert: (t) => Math.floor(timeMicros(t) / 1000) };
      return { schema: named('INT64', 'io.debezium.time.MicroTime'), convert: timeMicros };
    }
    case 'timetz':
      return { schema: named('STRING', 'io.debezium.time.ZonedTime'), convert: zonedTime };
    case 'interval':
      return { schema: named('INT64', 'io.debezium.time.MicroDuration'), convert: intervalMicros };
    case 'uuid':
      return { schema: named('STRING', 'io.debezium.data.Uuid'), convert: (t) => t };
    case 'json':
    case 'jsonb':
      return { schema: named('STRING', 'io.debezium.data.Json'), convert: (t) => t };
    case 'xml':
      return { schema: named('STRING', 'io.debezium.data.Xml'), convert: (t) => t };
    case 'bit':
    case 'varbit':
      if (typeMod === 1) return { schema: sb('BOOLEAN'), convert: (t) => t === '1' };
      return { schema: named('BYTES', 'io.debezium.data.Bits').parameter('length', String(typeMod < 0 ? 0 : typeMod)), convert: bitsToBytes };
    default:
      // text, varchar, bpchar, name, inet, cidr, macaddr, ranges, ...: Debezium sends their text.
      return { schema: sb('STRING'), convert: (t) => t };
  }
}

function int64(t: string): number | bigint {
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : BigInt(t);
}

function numeric(typeMod: number, mode: DecimalHandling): Mapped {
  if (typeMod < 0) {
    if (mode === 'precise') {
      const schema = SchemaBuilder.struct().name('io.debezium.data.VariableScaleDecimal').version(1).doc('Variable scaled decimal').field('scale', Schemas.INT32).field('value', Schemas.BYTES);
      return {
        schema,
        // mapColumn wraps this in a Struct of the final (maybe optional) schema.
        convert: (t) => {
          if (t === 'NaN') return null;
          const d = Decimal.parse(t);
          return { scale: d.scale, value: bigIntToBytes(d.unscaled) };
        },
      };
    }
    return decimalOf(0, null, mode, (t) => t);
  }
  const precision = ((typeMod - 4) >> 16) & 0xffff;
  const scale = (typeMod - 4) & 0xffff;
  return decimalOf(scale, precision, mode, (t) => t);
}

function decimalOf(scale: number, precision: number | null, mode: DecimalHandling, clean: (t: string) => string): Mapped {
  if (mode === 'double') return { schema: sb('FLOAT64'), convert: (t) => Number(clean(t)) };
  if (mode === 'string') return { schema: sb('STRING'), convert: clean };
  const schema = sb('BYTES').name(LOGICAL.decimal).version(1).parameter('scale', String(scale));
  if (precision !== null) schema.parameter('connect.decimal.precision', String(precision));
  return { schema, convert: (t) => Decimal.parse(clean(t)).withScale(scale) };
}

/** Microseconds since the epoch of `YYYY-MM-DD HH:MM:SS[.f]+HH[:MM]`. */
function zonedMicros(t: string): number {
  const m = /^(.*?)([+-]\d{2}(?::?\d{2}){0,2})$/.exec(t);
  if (!m) throw new CdcValueError(`Cannot read timestamp with time zone ${t}`);
  return timestampMicros(m[1] ?? '') - zoneSeconds(m[2] ?? '') * 1_000_000;
}

function zonedTime(t: string): string {
  const m = /^(.*?)([+-]\d{2}(?::?\d{2}){0,2})$/.exec(t);
  if (!m) throw new CdcValueError(`Cannot read time with time zone ${t}`);
  return `${isoTimeFromMicros(timeMicros(m[1] ?? '') - zoneSeconds(m[2] ?? '') * 1_000_000)}Z`;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** Debezium's MicroDuration: months count 30.4375 days. Reads PostgreSQL's default interval style. */
export function intervalMicros(t: string): number {
  let micros = 0;
  const unit = /(-?\d+) (year|mon|day)s?/g;
  for (let m = unit.exec(t); m; m = unit.exec(t)) {
    const n = Number(m[1]);
    if (m[2] === 'year') micros += n * 12 * DAYS_PER_MONTH * 86_400_000_000;
    else if (m[2] === 'mon') micros += n * DAYS_PER_MONTH * 86_400_000_000;
    else micros += n * 86_400_000_000;
  }
  const time = /(-?)(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(t);
  if (time) {
    const v = ((Number(time[2]) * 60 + Number(time[3])) * 60 + Number(time[4])) * 1_000_000 + Number((time[5] ?? '').padEnd(6, '0'));
    micros += time[1] === '-' ? -v : v;
  }
  return Math.round(micros);
}

function bitsToBytes(t: string): Buffer {
  // Debezium sends bit strings little-endian by byte.
  const n = BigInt(`0b${t || '0'}`);
  const bytes: number[] = [];
  let v = n;
  const len = Math.max(1, Math.ceil(t.length / 8));
  for (let i = 0; i < len; i++) {
    bytes.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return Buffer.from(bytes);
}

/** A one-dimensional PostgreSQL array literal `{a,"b c",NULL}` → element texts (null for NULL). */
export function parseArray(t: string): (string | null)[] {
  if (!t.startsWith('{') || !t.endsWith('}')) throw new CdcValueError(`Cannot read array ${t}`);
  const body = t.slice(1, -1);
  const out: (string | null)[] = [];
  if (body === '') return out;
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let v = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        v += body[i] ?? '';
        i++;
      }
      out.push(v);
      i += 2; // closing quote and comma
    } else {
      const end = body.indexOf(',', i);
      const v = body.slice(i, end < 0 ? body.length : end);
      out.push(v === 'NULL' ? null : v);
      i = end < 0 ? body.length + 1 : end + 1;
    }
  }
  return out;
}

