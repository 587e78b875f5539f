/**
 * org.apache.kafka.connect.transforms.TimestampConverter$Key / $Value: converts a timestamp field
 * (or the whole key/value) between formatted strings, Unix epoch numbers and Connect's Date, Time
 * and Timestamp types.
 */
import { ConfigDef, ConfigError } from '../config/config-def.ts';
import { DataError, LOGICAL, SchemaBuilder, Schemas, Struct } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { oneOf } from '../converters/converter-config.ts';
import { describeType, integralBigInt, normalizeInt64, setOwn, structValue } from '../converters/data-util.ts';
import { MILLIS_PER_DAY, dateSchema, timeSchema, timestampSchema } from '../converters/logical-types.ts';
import { KeyValueTransform } from './operating-side.ts';
import { SimpleDateFormat } from './simple-date-format.ts';
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_DOC,
  SchemaCache,
  copyMap,
  copySchemaBasics,
  parseConfig,
  requireMap,
  requireStructOrNull,
} from './transform-util.ts';

const FIELD_CONFIG = 'field';
const TARGET_TYPE_CONFIG = 'target.type';
const FORMAT_CONFIG = 'format';
const UNIX_PRECISION_CONFIG = 'unix.precision';
const PURPOSE = 'converting timestamp formats';

export type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
export type UnixPrecision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

const UNIX_FACTOR: Record<UnixPrecision, bigint> = { seconds: 1000n, milliseconds: 1n, microseconds: 1000n, nanoseconds: 1000000n };

export class TimestampConverter extends KeyValueTransform {
  static readonly overview =
    'Convert timestamps between different formats such as Unix epoch, strings, and Connect Date/Timestamp types. Applies to individual fields or to the entire value.';

  private field = '';
  private target: TimestampType = 'Timestamp';
  private format: SimpleDateFormat | null = null;
  private precision: UnixPrecision = 'milliseconds';
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache();

  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: FIELD_CONFIG, type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp' })
      .define({
        name: TARGET_TYPE_CONFIG,
        type: 'STRING',
        importance: 'HIGH',
        documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
        validator: oneOf(false, 'string', 'unix', 'Date', 'Time', 'Timestamp'),
        validValues: '[string, unix, Date, Time, Timestamp]',
      })
      .define({
        name: FORMAT_CONFIG,
        type: 'STRING',
        defaultValue: '',
        importance: 'MEDIUM',
        documentation: 'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.',
      })
      .define({
        name: UNIX_PRECISION_CONFIG,
        type: 'STRING',
        defaultValue: 'milliseconds',
        importance: 'LOW',
        documentation:
          'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.' +
          'Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
        validator: oneOf(false, 'nanoseconds', 'microseconds', 'milliseconds', 'seconds'),
        validValues: '[nanoseconds, microseconds, milliseconds, seconds]',
      })
      .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.field = cfg[FIELD_CONFIG] as string;
    this.target = cfg[TARGET_TYPE_CONFIG] as TimestampType;
    this.precision = cfg[UNIX_PRECISION_CONFIG] as UnixPrecision;
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    const pattern = cfg[FORMAT_CONFIG] as string;
    if (this.target === 'string' && pattern.trim() === '') {
      throw new ConfigError('TimestampConverter requires format option to be specified when using string timestamps', FORMAT_CONFIG);
    }
    try {
      this.format = pattern.trim() === '' ? null : new SimpleDateFormat(pattern);
    } catch (e) {
      throw new ConfigError(`TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`, FORMAT_CONFIG, { cause: e });
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.on.schema(record);
    const value = this.on.value(record);
    if (!schema) {
      if (value === null || this.field === '') return this.on.update(record, null, this.convert(value, null));
      const updated = copyMap(requireMap(value, PURPOSE));
      setOwn(updated, this.field, this.convert(Object.hasOwn(updated, this.field) ? updated[this.field] : null, null));
      return this.on.update(record, null, updated);
    }
    if (this.field === '') return this.on.update(record, this.targetSchema(schema.optional), this.convert(value, typeOfSchema(schema)));
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.schemas.getOrBuild(schema, (s) => this.buildSchema(s));
    return this.on.update(record, updatedSchema, this.convertStruct(struct, updatedSchema));
  }

  private buildSchema(schema: Schema): Schema {
    const b = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields ?? []) b.field(f.name, f.name === this.field ? this.targetSchema(f.schema.optional) : f.schema);
    if (schema.optional) b.optional();
    const withoutDefault = b.build();
    if (schema.defaultValue instanceof Struct) b.defaultValue(this.convertStruct(schema.defaultValue, withoutDefault));
    return b.build();
  }

  private convertStruct(struct: Struct | null, updatedSchema: Schema): Struct | null {
    if (!struct) return null;
    const out = new Struct(updatedSchema);
    for (const f of struct.schema.fields ?? []) {
      const v = structValue(struct, f.name, this.replaceNullWithDefault);
      out.put(f.name, f.name === this.field ? this.convert(v, typeOfSchema(f.schema)) : v);
    }
    return out;
  }

  private targetSchema(optional: boolean): Schema {
    switch (this.target) {
      case 'string':
        return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
      case 'unix':
        return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
      case 'Date':
        return dateSchema(optional);
      case 'Time':
        return timeSchema(optional);
      case 'Timestamp':
        return timestampSchema(optional);
    }
  }

  /** Converts a timestamp in `from` form (inferred from the value when null) to the target form. */
  convert(value: unknown, from: TimestampType | null): unknown {
    if (value === null || value === undefined) return null;
    const raw = this.toRaw(value, from ?? inferType(value));
    return this.fromRaw(raw);
  }

  private toRaw(value: unknown, from: TimestampType): Date {
    switch (from) {
      case 'string': {
        if (typeof value !== 'string') throw new DataError(`Expected string timestamp to be a String, but found ${describeType(value)}`);
        const parsed = this.format?.parse(value) ?? null;
        if (!parsed || Number.isNaN(parsed.getTime())) {
          throw new DataError(`Could not parse timestamp: value (${value}) does not match pattern (${this.format?.pattern ?? ''})`);
        }
        return parsed;
      }
      case 'unix': {
        const n = integralBigInt(value);
        if (n === undefined) throw new DataError(`Expected Unix timestamp to be a Long, but found ${describeType(value)}`);
        const ms = this.precision === 'seconds' ? n * UNIX_FACTOR.seconds : n / UNIX_FACTOR[this.precision];
        if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n) throw new DataError(`Unix timestamp ${n} is out of range`);
        return new Date(Number(ms));
      }
      default:
        if (!(value instanceof Date)) throw new DataError(`Expected ${from} to be a Date, but found ${describeType(value)}`);
        return value;
    }
  }

  private fromRaw(raw: Date): unknown {
    const ms = raw.getTime();
    switch (this.target) {
      case 'string':
        return (this.format as SimpleDateFormat).format(raw);
      case 'unix': {
        const big = BigInt(ms);
        return normalizeInt64(this.precision === 'seconds' ? big / UNIX_FACTOR.seconds : big * UNIX_FACTOR[this.precision]);
      }
      case 'Date':
        return new Date(Math.floor(ms / MILLIS_PER_DAY) * MILLIS_PER_DAY);
      case 'Time':
        return new Date(((ms % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
      case 'Timestamp':
        return raw;
    }
  }
}

function typeOfSchema(schema: Schema): TimestampType {
  if (schema.name === LOGICAL.timestamp) return 'Timestamp';
  if (schema.name === LOGICAL.date) return 'Date';
  if (schema.name === LOGICAL.time) return 'Time';
  if (schema.type === 'STRING') return 'string';
  if (schema.type === 'INT64') return 'unix';
  throw new DataError(`Schema ${schema.type}${schema.name ? ` (${schema.name})` : ''} does not correspond to a known timestamp type format`);
}

function inferType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if (integralBigInt(value) !== undefined) return 'unix';
  if (typeof value === 'string') return 'string';
  throw new DataError(`TimestampConverter does not support ${describeType(value)} objects as timestamps`);
}
