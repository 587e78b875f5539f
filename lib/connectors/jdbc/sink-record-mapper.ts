/**
 * Turns SinkRecords into table columns and statement parameters, as Confluent's FieldsMetadata
 * and PreparedStatementBinder do: which fields form the primary key (pk.mode / pk.fields),
 * which are written (fields.whitelist), and how Connect values are bound.
 */
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { DataError, LOGICAL, Schemas, Struct, type Schema } from '../../plugins/connect-schema.ts';
import { DEFAULT_KAFKA_PK_NAMES, type JdbcSinkSettings } from './jdbc-sink-config.ts';
import type { SinkColumn } from './sql-dialect.ts';
import { formatDbTimestamp, preciseFromMillis } from './zoned-time.ts';

export interface FieldsMetadata {
  readonly keyColumns: readonly SinkColumn[];
  readonly valueColumns: readonly SinkColumn[];
  /** Identifies the column set, to tell when consecutive records can share a statement. */
  readonly signature: string;
}

type MapperSettings = Pick<JdbcSinkSettings, 'pkMode' | 'pkFields' | 'fieldsInclude' | 'deleteEnabled' | 'connectorName'>;

/** Checks a record has the key and value its configuration needs; throws DataError like Confluent's. */
export function validateRecord(record: SinkRecord, s: MapperSettings): void {
  const where = `(topic='${record.topic}',partition=${record.kafkaPartition},offset=${record.kafkaOffset},timestamp=${record.timestamp ?? 'null'})`;
  const config = `'delete.enabled=${s.deleteEnabled}' and 'pk.mode=${s.pkMode}'`;
  const needsKey = s.pkMode === 'record_key' || s.deleteEnabled;
  if (needsKey && (record.key === null || record.key === undefined || !record.keySchema || isContainer(record.keySchema, true))) {
    throw new DataError(
      `Sink connector '${s.connectorName}' is configured with ${config} and therefore requires records with a non-null key and non-null Struct or primitive key schema, ` +
        `but found record at ${where} with a ${typeOf(record.key)} key and ${record.keySchema ? record.keySchema.type : 'null'} key schema.`,
    );
  }
  const tombstone = record.value === null || record.value === undefined;
  if (tombstone && s.deleteEnabled) return;
  if (tombstone || !record.valueSchema || record.valueSchema.type !== 'STRUCT' || !(record.value instanceof Struct)) {
    throw new DataError(
      `Sink connector '${s.connectorName}' is configured with ${config} and therefore requires records with a non-null Struct value and non-null Struct schema, ` +
        `but found record at ${where} with a ${typeOf(record.value)} value and ${record.valueSchema ? record.valueSchema.type : 'null'} value schema. ` +
        'Schemaless JSON cannot be written; use a converter with schemas (e.g. JsonConverter with schemas.enable=true).',
    );
  }
}

/** The key and value columns of a record for its table; throws DataError on a pk.fields mismatch. */
export function fieldsMetadata(table: string, record: SinkRecord, s: MapperSettings): FieldsMetadata {
  const keyColumns: SinkColumn[] = [];
  const valueSchema = record.value === null || record.value === undefined ? null : (record.valueSchema ?? null);
  switch (s.pkMode) {
    case 'none':
      break;
    case 'kafka': {
      const names = s.pkFields.length === 0 ? DEFAULT_KAFKA_PK_NAMES : s.pkFields;
      const schemas = [Schemas.STRING, Schemas.INT32, Schemas.INT64];
      names.forEach((name, i) => keyColumns.push({ name, schema: schemas[i] as Schema, isKey: true }));
      break;
    }
    case 'record_key': {
      const ks = record.keySchema;
      if (!ks) throw new DataError(`PK mode for table '${table}' is record_key, but record key schema is missing`);
      if (ks.type === 'STRUCT') {
        keyColumns.push(...pick(ks, s.pkFields, table, 'record_key', 'key'));
      } else if (!isContainer(ks, false)) {
        if (s.pkFields.length !== 1) {
          throw new DataError(`Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: ${s.pkFields.join(',')}`);
        }
        keyColumns.push({ name: s.pkFields[0] as string, schema: ks, isKey: true });
      } else {
        throw new DataError(`Key schema must be primitive type or Struct, but is of type: ${ks.type}`);
      }
      break;
    }
    case 'record_value':
      if (!valueSchema) throw new DataError(`PK mode for table '${table}' is record_value, but record value schema is missing`);
      keyColumns.push(...pick(valueSchema, s.pkFields, table, 'record_value', 'value'));
      break;
  }
  const keyNames = new Set(keyColumns.map((c) => c.name));
  const include = new Set(s.fieldsInclude);
  const valueColumns: SinkColumn[] = [];
  for (const f of valueSchema?.fields ?? []) {
    if (keyNames.has(f.name) || (include.size > 0 && !include.has(f.name))) continue;
    valueColumns.push({ name: f.name, schema: f.schema, isKey: false });
  }
  if (keyColumns.length === 0 && valueColumns.length === 0 && valueSchema) {
    throw new DataError(`No fields found using key and value schemas for table: ${table}`);
  }
  const signature = [...keyColumns, ...valueColumns].map((c) => `${c.isKey ? 'k' : 'v'}:${c.name}:${c.schema.type}:${c.schema.name ?? ''}:${c.schema.optional}`).join('|');
  return { keyColumns, valueColumns, signature };
}

/** The primary key values of a record, in key column order. */
export function keyValues(record: SinkRecord, meta: FieldsMetadata, s: Pick<JdbcSinkSettings, 'pkMode'>): unknown[] {
  switch (s.pkMode) {
    case 'kafka':
      return [record.topic, record.kafkaPartition, record.kafkaOffset];
    case 'record_key':
      return record.key instanceof Struct ? meta.keyColumns.map((c) => (record.key as Struct).get(c.name)) : [record.key];
    case 'record_value':
      return meta.keyColumns.map((c) => (record.value as Struct).get(c.name));
    default:
      return [];
  }
}

/** The written (non-key) values of a record, in value column order. */
export function nonKeyValues(record: SinkRecord, meta: FieldsMetadata): unknown[] {
  const value = record.value as Struct;
  return meta.valueColumns.map((c) => value.get(c.name));
}

/** Converts a Connect value to what the driver binds for a column of that schema. */
export function bindValue(value: unknown, schema: Schema, column: string, timeZone: string): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case LOGICAL.decimal:
      return decimalText(value, Number(schema.parameters?.['scale'] ?? '0'));
    case LOGICAL.date: {
      const d = value instanceof Date ? value : new Date(Number(value) * 86_400_000);
      return d.toISOString().slice(0, 10);
    }
    case LOGICAL.time: {
      const d = value instanceof Date ? value : new Date(Number(value));
      return d.toISOString().slice(11, 23);
    }
    case LOGICAL.timestamp: {
      const ms = value instanceof Date ? value.getTime() : Number(value);
      return formatDbTimestamp(preciseFromMillis(ms), timeZone);
    }
  }
  switch (schema.type) {
    case 'INT64':
      return typeof value === 'bigint' ? value.toString() : value;
    case 'BYTES':
      return Buffer.isBuffer(value) ? value : value instanceof Uint8Array ? Buffer.from(value) : value;
    case 'STRUCT':
    case 'ARRAY':
    case 'MAP':
      throw new DataError(`Field ${column} has schema type ${schema.type}, which the JDBC sink cannot write to a column`);
    default:
      return value;
  }
}

/**
 * Decimal values: the exact decimal text; also accepts numbers, bigints, the converters'
 * `Decimal` objects ({unscaled, scale}) and Connect's unscaled bytes.
 */
function decimalText(value: unknown, scale: number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (isScaledDecimal(value)) return plainDecimal(value.unscaled, value.scale);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    const bytes = Buffer.from(value);
    let unscaled = bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
    if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
    return plainDecimal(unscaled, scale);
  }
  throw new DataError(`Cannot write ${typeOf(value)} as a Decimal`);
}

function isScaledDecimal(v: unknown): v is { unscaled: bigint; scale: number } {
  return typeof v === 'object' && v !== null && typeof (v as { unscaled?: unknown }).unscaled === 'bigint' && typeof (v as { scale?: unknown }).scale === 'number';
}

function plainDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const abs = (negative ? -unscaled : unscaled).toString();
  let text: string;
  if (scale <= 0) {
    text = abs + '0'.repeat(-scale);
  } else {
    const digits = abs.padStart(scale + 1, '0');
    text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${text}` : text;
}

function pick(schema: Schema, names: readonly string[], table: string, mode: string, side: string): SinkColumn[] {
  const fields = schema.fields ?? [];
  if (schema.type !== 'STRUCT') throw new DataError(`PK mode for table '${table}' is ${mode}, but the ${side} schema is ${schema.type}, not a Struct`);
  if (names.length === 0) return fields.map((f) => ({ name: f.name, schema: f.schema, isKey: true }));
  return names.map((name) => {
    const f = fields.find((x) => x.name === name);
    if (!f) {
      throw new DataError(`PK mode for table '${table}' is ${mode} with configured PK fields [${names.join(', ')}], but record ${side} schema does not contain field: ${name}`);
    }
    return { name, schema: f.schema, isKey: true };
  });
}

function isContainer(schema: Schema, structAllowed: boolean): boolean {
  return schema.type === 'ARRAY' || schema.type === 'MAP' || (!structAllowed && schema.type === 'STRUCT');
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Struct) return 'Struct';
  if (v instanceof Map) return 'Map';
  if (Array.isArray(v)) return 'Array';
  if (Buffer.isBuffer(v)) return 'Buffer';
  return typeof v === 'object' ? 'Object (schemaless map)' : typeof v;
}
