/**
 * The text form of Connect values, after org.apache.kafka.connect.data.Values: what
 * SimpleHeaderConverter writes into headers and InsertHeader's literals, and the parser that
 * reads such text back into a value with an inferred schema (booleans, integers of the smallest
 * fitting width, floats, ISO dates/times/timestamps, `[...]` lists and `{k:v}` maps).
 */
import { DataError, SchemaBuilder, Schemas, Struct } from '../plugins/connect-schema.ts';
import type { Schema, SchemaType } from '../plugins/connect-schema.ts';
import type { SchemaAndValue } from '../plugins/plugin-types.ts';
import { describeType, isBytes, isPlainObject, normalizeInt64, schemaEquals } from './data-util.ts';
import { formatDouble, formatFloat } from './java-format.ts';
import { Decimal, dateSchema, decimalSchema, formatTemporal, timeSchema, timestampSchema } from './logical-types.ts';

const NULL_RESULT: SchemaAndValue = { schema: null, value: null };

/** Values.convertToString: the text form of a value; strings are written bare at the top level. */
export function convertToString(schema: Schema | null | undefined, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return append(value, schema ?? null, false);
}

function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function append(value: unknown, schema: Schema | null, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return embedded ? `"${escape(value)}"` : value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    if (schema?.type === 'FLOAT32') return formatFloat(value);
    if (schema?.type === 'FLOAT64' || !Number.isInteger(value)) return formatDouble(value);
    return String(value);
  }
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Date) return formatTemporal(value, schema);
  if (isBytes(value)) {
    const b64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return embedded ? `"${b64}"` : b64;
  }
  if (Array.isArray(value)) return `[${value.map((v) => append(v, schema?.valueSchema ?? null, true)).join(',')}]`;
  if (value instanceof Map || isPlainObject(value)) {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    const k = schema?.keySchema ?? null;
    const v = schema?.valueSchema ?? null;
    return `{${entries.map(([key, val]) => `${append(key, k, true)}:${append(val, v, true)}`).join(',')}}`;
  }
  if (value instanceof Struct) {
    const fields = value.schema.fields ?? [];
    return `{${fields.map((f) => `${append(f.name, null, true)}:${append(value.get(f.name), f.schema, true)}`).join(',')}}`;
  }
  throw new DataError(`Failed to serialize unexpected value type ${describeType(value)}: ${String(value)}`);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TEMPORAL_AHEAD = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z|\d{2}:\d{2}:\d{2}\.\d{3}Z/y;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function validDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date | null {
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y);
  const ok = date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return ok ? date : null;
}

function parseTemporal(token: string): SchemaAndValue | null {
  let m = TIMESTAMP.exec(token);
  if (m) {
    const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
    const date = validDate(y, mo, d, h, mi, s, ms);
    return date ? { schema: timestampSchema(), value: date } : null;
  }
  m = TIME.exec(token);
  if (m) {
    const [h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number];
    return h < 24 && mi < 60 && s < 60 ? { schema: timeSchema(), value: new Date(((h * 60 + mi) * 60 + s) * 1000 + ms) } : null;
  }
  m = DATE.exec(token);
  if (m) {
    const date = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return date ? { schema: dateSchema(), value: date } : null;
  }
  return null;
}

/** Values' number inference: smallest integer type, else FLOAT32, FLOAT64, then Decimal. */
function parseNumber(token: string): SchemaAndValue {
  const decimal = Decimal.parse(token);
  if (decimal.isIntegral()) {
    const n = decimal.toBigInt();
    if (BigInt.asIntN(8, n) === n) return { schema: Schemas.INT8, value: Number(n) };
    if (BigInt.asIntN(16, n) === n) return { schema: Schemas.INT16, value: Number(n) };
    if (BigInt.asIntN(32, n) === n) return { schema: Schemas.INT32, value: Number(n) };
    if (BigInt.asIntN(64, n) === n) return { schema: Schemas.INT64, value: normalizeInt64(n) };
  }
  const d = Number(token);
  if (decimal.scale !== 0 && Number.isFinite(Math.fround(d))) return { schema: Schemas.FLOAT32, value: Math.fround(d) };
  if (decimal.scale !== 0 && Number.isFinite(d)) return { schema: Schemas.FLOAT64, value: d };
  return { schema: decimalSchema(decimal.scale), value: decimal };
}

const NUMERIC_RANK: Partial<Record<SchemaType, number>> = { INT8: 1, INT16: 2, INT32: 3, INT64: 4, FLOAT32: 5, FLOAT64: 6 };
const isLogical = (s: Schema) => s.name !== undefined;

/** Values.mergeSchemas: numeric types widen; other types must match. */
function mergeSchemas(a: Schema, b: Schema): Schema | null {
  const ra = isLogical(a) ? undefined : NUMERIC_RANK[a.type];
  const rb = isLogical(b) ? undefined : NUMERIC_RANK[b.type];
  if (ra !== undefined && rb !== undefined) return ra >= rb ? a : b;
  return schemaEquals(a, b) ? a : null;
}

function commonSchema(items: readonly (SchemaAndValue | null)[]): Schema | null {
  let common: Schema | null = null;
  for (const item of items) {
    if (!item?.schema) continue;
    common = common ? mergeSchemas(common, item.schema) : item.schema;
    if (!common) return null;
  }
  return common;
}

/** Converts a parsed value to the (wider) common schema's representation. */
function align(schema: Schema | null, item: SchemaAndValue | null): unknown {
  const v = item?.value ?? null;
  if (schema === null || v === null || typeof v !== 'number' && typeof v !== 'bigint') return v;
  if (schema.type === 'FLOAT32') return Math.fround(Number(v));
  if (schema.type === 'FLOAT64') return Number(v);
  return v;
}

class ValueParser {
  private pos = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text.charAt(this.pos);
  }

  private consume(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  /** An embedded value: quoted string, literal, number, temporal, list or map. Null for `null`. */
  parseEmbedded(): SchemaAndValue | null {
    const c = this.peek();
    if (c === '"') return this.parseQuoted();
    if (c === '[') return this.parseArray();
    if (c === '{') return this.parseMap();
    TEMPORAL_AHEAD.lastIndex = this.pos;
    const temporal = TEMPORAL_AHEAD.exec(this.text);
    if (temporal && /^[\s,\]}:]?$/.test(this.text.charAt(this.pos + temporal[0].length))) {
      const parsed = parseTemporal(temporal[0]);
      if (parsed) {
        this.pos += temporal[0].length;
        return parsed;
      }
    }
    const start = this.pos;
    while (this.pos < this.text.length && !',:[]{}"'.includes(this.text.charAt(this.pos))) this.pos++;
    const token = this.text.slice(start, this.pos).trim();
    if (token === 'null') return null;
    if (token === 'true' || token === 'false') return { schema: Schemas.BOOLEAN, value: token === 'true' };
    if (/^[\d+-]/.test(token) && NUMBER.test(token)) return parseNumber(token);
    const t = parseTemporal(token);
    if (t) return t;
    throw new DataError('Failed to parse embedded value');
  }

  private parseQuoted(): SchemaAndValue {
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text.charAt(this.pos++);
      if (ch === '"') return parseTemporal(out) ?? { schema: Schemas.STRING, value: out };
      out += ch === '\\' && this.pos < this.text.length ? this.text.charAt(this.pos++) : ch;
    }
    throw new DataError(`String is missing terminating '"': ${this.text}`);
  }

  private parseArray(): SchemaAndValue {
    this.pos++;
    const items: (SchemaAndValue | null)[] = [];
    while (!this.consume(']')) {
      if (this.atEnd()) throw new DataError(`Array is missing terminating ']': ${this.text}`);
      if (this.peek() === ',') throw new DataError(`Unable to parse an empty array element: ${this.text}`);
      items.push(this.parseEmbedded());
      if (this.peek() !== ']' && !this.consume(',')) throw new DataError("Array elements missing ',' delimiter");
    }
    const element = commonSchema(items);
    return {
      schema: element ? SchemaBuilder.array(element).build() : null,
      value: items.map((i) => align(element, i)),
    };
  }

  private parseMap(): SchemaAndValue {
    this.pos++;
    const entries: [SchemaAndValue, SchemaAndValue | null][] = [];
    while (!this.consume('}')) {
      if (this.atEnd()) throw new DataError(`Map is missing terminating '}': ${this.text}`);
      if (this.peek() === ',') throw new DataError(`Unable to parse a map entry with no key or value: ${this.text}`);
      const key = this.parseEmbedded();
      if (!key || key.value === null) throw new DataError(`Map entry may not have a null key: ${this.text}`);
      if (!this.consume(':')) throw new DataError(`Map entry is missing ':' at ${this.pos} in ${this.text}`);
      entries.push([key, this.parseEmbedded()]);
      if (this.peek() !== '}' && !this.consume(',')) throw new DataError(`Map entries missing ',' delimiter: ${this.text}`);
    }
    const keySchema = commonSchema(entries.map(([k]) => k));
    const valueSchema = commonSchema(entries.map(([, v]) => v));
    const value = new Map(entries.map(([k, v]) => [align(keySchema, k), align(valueSchema, v)] as const));
    return { schema: keySchema && valueSchema ? SchemaBuilder.map(keySchema, valueSchema).build() : null, value };
  }
}

/**
 * Values.parseString: infers a schema and value from text. Anything that is not a literal,
 * number, temporal, list or map is returned as the original string with a STRING schema;
 * lists and maps whose elements share no schema come back with a null schema.
 */
export function parseString(text: string): SchemaAndValue {
  if (text === '') return { schema: Schemas.STRING, value: text };
  const trimmed = text.trim();
  if (trimmed === 'null') return NULL_RESULT;
  if (trimmed === 'true' || trimmed === 'false') return { schema: Schemas.BOOLEAN, value: trimmed === 'true' };
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const parser = new ValueParser(text);
      const result = parser.parseEmbedded();
      if (parser.atEnd()) return result ?? NULL_RESULT;
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
  }
  const temporal = parseTemporal(trimmed);
  if (temporal) return temporal;
  if (/^[\d+-]/.test(trimmed) && NUMBER.test(trimmed)) return parseNumber(trimmed);
  return { schema: Schemas.STRING, value: text };
}
