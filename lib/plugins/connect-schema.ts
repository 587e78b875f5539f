/**
 * Kafka Connect's data model: schemas, structs and logical types, mirroring
 * org.apache.kafka.connect.data so converters and transforms behave as Connect's do.
 */

export type SchemaType =
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FLOAT32'
  | 'FLOAT64'
  | 'BOOLEAN'
  | 'STRING'
  | 'BYTES'
  | 'ARRAY'
  | 'MAP'
  | 'STRUCT';

export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

/** An immutable Connect schema. INT64 values are `number` when safe, else `bigint`. */
export interface Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly name?: string | undefined;
  readonly version?: number | undefined;
  readonly doc?: string | undefined;
  readonly parameters?: Readonly<Record<string, string>> | undefined;
  readonly defaultValue?: unknown;
  /** STRUCT only. */
  readonly fields?: readonly Field[] | undefined;
  /** MAP only. */
  readonly keySchema?: Schema | undefined;
  /** ARRAY and MAP only. */
  readonly valueSchema?: Schema | undefined;
}

export const LOGICAL = {
  decimal: 'org.apache.kafka.connect.data.Decimal',
  date: 'org.apache.kafka.connect.data.Date',
  time: 'org.apache.kafka.connect.data.Time',
  timestamp: 'org.apache.kafka.connect.data.Timestamp',
} as const;

export class SchemaBuilder {
  private state: {
    type: SchemaType;
    optional: boolean;
    name?: string;
    version?: number;
    doc?: string;
    parameters?: Record<string, string>;
    defaultValue?: unknown;
    fields?: Field[];
    keySchema?: Schema;
    valueSchema?: Schema;
  };

  constructor(type: SchemaType) {
    this.state = { type, optional: false };
  }

  static struct(): SchemaBuilder {
    return new SchemaBuilder('STRUCT');
  }
  static array(valueSchema: Schema): SchemaBuilder {
    const b = new SchemaBuilder('ARRAY');
    b.state.valueSchema = valueSchema;
    return b;
  }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    const b = new SchemaBuilder('MAP');
    b.state.keySchema = keySchema;
    b.state.valueSchema = valueSchema;
    return b;
  }

  optional(): this {
    this.state.optional = true;
    return this;
  }
  name(name: string): this {
    this.state.name = name;
    return this;
  }
  version(version: number): this {
    this.state.version = version;
    return this;
  }
  doc(doc: string): this {
    this.state.doc = doc;
    return this;
  }
  parameter(key: string, value: string): this {
    this.state.parameters = { ...this.state.parameters, [key]: value };
    return this;
  }
  defaultValue(value: unknown): this {
    this.state.defaultValue = value;
    return this;
  }
  field(name: string, schema: Schema): this {
    if (this.state.type !== 'STRUCT') throw new TypeError('fields are only for STRUCT schemas');
    const fields = this.state.fields ?? [];
    if (fields.some((f) => f.name === name)) throw new TypeError(`duplicate field ${name}`);
    this.state.fields = [...fields, { name, index: fields.length, schema }];
    return this;
  }
  build(): Schema {
    const s = { ...this.state };
    if (s.type === 'STRUCT' && !s.fields) s.fields = [];
    return Object.freeze(s);
  }
}

function primitive(type: SchemaType, optional: boolean): Schema {
  return Object.freeze({ type, optional });
}

/** Connect's predefined schemas (Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA, ...). */
export const Schemas = {
  INT8: primitive('INT8', false),
  INT16: primitive('INT16', false),
  INT32: primitive('INT32', false),
  INT64: primitive('INT64', false),
  FLOAT32: primitive('FLOAT32', false),
  FLOAT64: primitive('FLOAT64', false),
  BOOLEAN: primitive('BOOLEAN', false),
  STRING: primitive('STRING', false),
  BYTES: primitive('BYTES', false),
  OPTIONAL_INT8: primitive('INT8', true),
  OPTIONAL_INT16: primitive('INT16', true),
  OPTIONAL_INT32: primitive('INT32', true),
  OPTIONAL_INT64: primitive('INT64', true),
  OPTIONAL_FLOAT32: primitive('FLOAT32', true),
  OPTIONAL_FLOAT64: primitive('FLOAT64', true),
  OPTIONAL_BOOLEAN: primitive('BOOLEAN', true),
  OPTIONAL_STRING: primitive('STRING', true),
  OPTIONAL_BYTES: primitive('BYTES', true),
} as const;

/** A Connect Struct: values by field name, checked against its schema. */
export class Struct {
  private readonly values = new Map<string, unknown>();

  constructor(readonly schema: Schema) {
    if (schema.type !== 'STRUCT') throw new TypeError('Struct needs a STRUCT schema');
  }

  field(name: string): Field | undefined {
    return this.schema.fields?.find((f) => f.name === name);
  }

  put(name: string, value: unknown): this {
    const f = this.field(name);
    if (!f) throw new DataError(`${name} is not a valid field name`);
    this.values.set(name, value);
    return this;
  }

  get(name: string): unknown {
    const f = this.field(name);
    if (!f) throw new DataError(`${name} is not a valid field name`);
    return this.values.has(name) ? this.values.get(name) : (f.schema.defaultValue ?? null);
  }

  /** Throws DataError when a required field is missing. */
  validate(): void {
    for (const f of this.schema.fields ?? []) {
      const v = this.get(f.name);
      if ((v === null || v === undefined) && !f.schema.optional) {
        throw new DataError(`Invalid value: null used for required field: "${f.name}", schema type: ${f.schema.type}`);
      }
    }
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Struct)) return false;
    const names = (this.schema.fields ?? []).map((f) => f.name);
    const otherNames = (other.schema.fields ?? []).map((f) => f.name);
    if (names.join('\0') !== otherNames.join('\0')) return false;
    return names.every((n) => valuesEqual(this.get(n), other.get(n)));
  }
}

/** Deep equality over Connect values (Struct, arrays, maps, buffers, bigints). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') && BigInt(a) === BigInt(b);
  }
  if (a instanceof Struct) return a.equals(b);
  if (Buffer.isBuffer(a) || a instanceof Uint8Array) {
    return (Buffer.isBuffer(b) || b instanceof Uint8Array) && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!valuesEqual(v, b.get(k))) return false;
    return true;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Connect's DataException. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
